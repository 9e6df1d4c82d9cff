"""Photo files, content-addressed by SHA-256 under the data folder, checked by content."""

from __future__ import annotations

import hashlib
import importlib
import io
import os
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

# Camera photos only: the formats phones save and chat apps send. GIF and BMP are not photos
# people take (animations, screenshots of old software), and the messages name exactly these.
# HEIC is kept only when a Pillow plugin that reads it is installed (see `accepted_formats`).
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
# Files kept before GIF and BMP were refused still need their names to be found.
_OLD_EXTENSIONS = {"image/gif": "gif", "image/bmp": "bmp"}


def _register_heif() -> bool:
    """Let Pillow read HEIC (iPhone photos) when the optional pillow-heif plugin is installed."""
    try:
        module = importlib.import_module("pillow_heif")
    except ImportError:
        return False
    module.register_heif_opener()
    return True


HEIF_READABLE = _register_heif()


def accepted_formats() -> str:
    """The formats we keep, as named to people: "JPG, PNG, WEBP" (and HEIC when readable)."""
    return "JPG, PNG, WEBP" + (", HEIC" if HEIF_READABLE else "")


@dataclass(frozen=True)
class StoredImage:
    """A photo as kept on disk."""

    sha256: str
    size: int
    mime: str
    width: int
    height: int


class ImageRejected(ValueError):
    """Not a photo we keep; `reason` is "empty", "too_large", "too_many_pixels" or "not_image"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MediaStore:
    """Saves each distinct image once, at `<root>/<aa>/<sha256>.<ext>`."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def inspect(self, data: bytes) -> StoredImage:
        """Check the bytes are an image within the size limit; raises `ImageRejected`."""
        if not data:
            raise ImageRejected("empty")
        if len(data) > self.max_bytes:
            raise ImageRejected("too_large")
        try:
            # Pillow warns (to the console) about big images and errors on huge ones; we judge
            # the size ourselves, so its own bomb check is silenced here and never leaks.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(data)) as image:
                    kind = MIME_BY_FORMAT.get(image.format or "")
                    width, height = image.size
                    if kind is not None and width * height <= MAX_PIXELS:
                        image.verify()
        except Image.DecompressionBombError:  # so big Pillow refuses even to open it
            raise ImageRejected("too_many_pixels") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ImageRejected("not_image") from None
        if kind is None:
            raise ImageRejected("not_image")
        if width * height > MAX_PIXELS:
            raise ImageRejected("too_many_pixels")
        return StoredImage(hashlib.sha256(data).hexdigest(), len(data), kind[0], width, height)

    def save(self, data: bytes) -> StoredImage:
        """Inspect, then write the file unless the same content is already stored."""
        image = self.inspect(data)
        target = self.path(image.sha256, image.mime)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, target)
        return image

    def path(self, sha256: str, mime: str) -> Path:
        known = next((ext for m, ext in MIME_BY_FORMAT.values() if m == mime), None)
        extension = known or _OLD_EXTENSIONS.get(mime, "bin")
        return self.root / sha256[:2] / f"{sha256}.{extension}"

    def read(self, sha256: str, mime: str) -> bytes:
        return self.path(sha256, mime).read_bytes()
