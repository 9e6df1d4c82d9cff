"""Photo files, content-addressed by SHA-256 under the data folder, checked by content."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pillow_heif
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from bot.media_fingerprint import Fingerprint, fingerprint

# Camera photos only: the formats phones save and chat apps send. GIF and BMP are not photos
# people take (animations, screenshots of old software), and the messages name exactly these.
# HEIC (iPhones) is read through pillow-heif and kept as JPEG (see `as_jpeg`).
MIME_BY_FORMAT = {
    "JPEG": ("image/jpeg", "jpg"),
    "MPO": ("image/jpeg", "jpg"),  # phone cameras' multi-picture JPEG
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "HEIF": ("image/heic", "heic"),
}
#: The largest photo we keep, in pixels: a 48-megapixel phone bins to 12 MP, so 40 MP is ample,
#: and anything bigger is a scan or a decompression bomb that would eat the server's memory.
MAX_PIXELS = 40_000_000
#: HEIC photos are kept as JPEG at this quality: visually the same, about twice the HEIC's size.
JPEG_QUALITY = 90
# Files kept before GIF and BMP were refused still need their names to be found.
_OLD_EXTENSIONS = {"image/gif": "gif", "image/bmp": "bmp"}


# iPhones save HEIC; pillow-heif teaches Pillow to read it.
pillow_heif.register_heif_opener()


def accepted_formats() -> str:
    """The formats we keep, as named to people."""
    return "JPG, PNG, WEBP, HEIC"


@dataclass(frozen=True)
class StoredImage:
    """A photo as kept on disk, and what it looks like (`fingerprint`, when it was decoded)."""

    sha256: str
    size: int
    mime: str
    width: int
    height: int
    fingerprint: Fingerprint | None = None


class ImageRejected(ValueError):
    """Not a photo we keep; `reason` is "empty", "too_large", "too_many_pixels", "not_image"
    or "damaged" (an image whose data is cut short or corrupt)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MediaStore:
    """Saves each distinct image once, at `<root>/<aa>/<sha256>.<ext>`."""

    def __init__(self, root: Path, max_bytes: int, tz: str = "Asia/Ho_Chi_Minh") -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.tz = tz  # how a camera date without an offset is read

    def inspect(self, data: bytes) -> StoredImage:
        """Check the bytes are a whole image within the limits; raises `ImageRejected`."""
        return self._prepare(data)[0]

    def _prepare(self, data: bytes) -> tuple[StoredImage, bytes]:
        """The photo as it will be kept, and the bytes to keep (HEIC becomes JPEG)."""
        if not data:
            raise ImageRejected("empty")
        if len(data) > self.max_bytes:
            raise ImageRejected("too_large")
        with _decoded(data) as image:
            kind = MIME_BY_FORMAT[image.format or ""]
            prints = fingerprint(image, self.tz)
            if image.format == "HEIF":
                data, kind = as_jpeg(image), MIME_BY_FORMAT["JPEG"]
            width, height = image.size
        stored = StoredImage(
            hashlib.sha256(data).hexdigest(), len(data), kind[0], width, height, prints
        )
        return stored, data

    def save(self, data: bytes) -> StoredImage:
        """Inspect, then write the file unless the same content is already stored."""
        image, content = self._prepare(data)
        target = self.path(image.sha256, image.mime)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, target)
        return image

    def path(self, sha256: str, mime: str) -> Path:
        return media_path(self.root, media_name(sha256, mime))

    def read(self, sha256: str, mime: str) -> bytes:
        return self.path(sha256, mime).read_bytes()


def extension(mime: str) -> str:
    """The extension a kept photo of this type has ("jpg")."""
    known = next((ext for m, ext in MIME_BY_FORMAT.values() if m == mime), None)
    return known or _OLD_EXTENSIONS.get(mime, "bin")


def media_name(sha256: str, mime: str) -> str:
    """A kept photo's file name, "<sha256>.jpg"; it lives in the folder named by its first two
    characters (`media_path`)."""
    return f"{sha256}.{extension(mime)}"


def mime_of(name: str) -> str:
    """The type of a kept photo from its name's extension (the reverse of `media_name`)."""
    suffix = name.rpartition(".")[2]
    kinds = [*MIME_BY_FORMAT.values(), *((m, ext) for m, ext in _OLD_EXTENSIONS.items())]
    return next((mime for mime, ext in kinds if ext == suffix), "application/octet-stream")


def media_path(root: Path, name: str) -> Path:
    """Where the photo `name` (see `media_name`) is kept under the store's `root`."""
    return root / name[:2] / name


@contextmanager
def _decoded(data: bytes) -> Iterator[Image.Image]:
    """The image fully decoded, every pixel read: a file cut short fails here, not later."""
    try:
        # Pillow warns (to the console) about big images and errors on huge ones; we judge
        # the size ourselves, so its own bomb check is silenced here and never leaks.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:  # so big Pillow refuses even to open it
        raise ImageRejected("too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageRejected("not_image") from None
    with image:
        if MIME_BY_FORMAT.get(image.format or "") is None:
            raise ImageRejected("not_image")
        if image.width * image.height > MAX_PIXELS:
            raise ImageRejected("too_many_pixels")
        try:
            image.load()
        except (OSError, SyntaxError, ValueError, EOFError):
            raise ImageRejected("damaged") from None
        yield image


def as_jpeg(image: Image.Image) -> bytes:
    """An iPhone's HEIC as the JPEG every phone and spreadsheet opens, turned upright, its
    camera date kept."""
    upright = ImageOps.exif_transpose(image).convert("RGB")
    exif = image.getexif()
    exif.pop(ExifTags.Base.Orientation, None)
    out = io.BytesIO()
    upright.save(out, format="JPEG", quality=JPEG_QUALITY, exif=exif.tobytes())
    return out.getvalue()
