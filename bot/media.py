"""Photo files, content-addressed by SHA-256 under the data folder, checked by content."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

MIME_BY_FORMAT = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "GIF": ("image/gif", "gif"),
    "BMP": ("image/bmp", "bmp"),
    "MPO": ("image/jpeg", "jpg"),  # phone cameras' multi-picture JPEG
}


@dataclass(frozen=True)
class StoredImage:
    """A photo as kept on disk."""

    sha256: str
    size: int
    mime: str
    width: int
    height: int


class ImageRejected(ValueError):
    """Not a photo we keep; `reason` is "empty", "too_large" or "not_image"."""

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
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
                kind = MIME_BY_FORMAT.get(image.format or "")
                width, height = image.size
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ImageRejected("not_image") from None
        if kind is None:
            raise ImageRejected("not_image")
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
        extension = next((ext for m, ext in MIME_BY_FORMAT.values() if m == mime), "bin")
        return self.root / sha256[:2] / f"{sha256}.{extension}"

    def read(self, sha256: str, mime: str) -> bytes:
        return self.path(sha256, mime).read_bytes()
