"""What a photo looks like, in 128 bits, and when the camera says it was taken.

Two perceptual hashes (imagehash's pHash and dHash, 64 bits each) survive what chat apps and
people do to a photo between two sends: recompression, resizing, a light crop, a frame. The
rule `is_near` and its two limits were chosen by measurement (bench/photo_threshold.py, the
README's "How reports are checked"); change them only with new figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import imagehash
import numpy as np
from PIL import ExifTags, Image, ImageOps

#: Two photos are the same picture when both distances are at most these (bits out of 64).
PHASH_LIMIT = 12
DHASH_LIMIT = 15
#: Hashes are taken from a copy at most this many pixels wide or high: the hashes look at
#: 32×32 and 9×8 pixels, and shrinking first keeps a 12-megapixel photo cheap to hash.
HASH_SOURCE_PIXELS = 512
# A frame is lines of one colour at the photo's edges, on both opposite sides, ending in a
# clear step to the picture: borders added by collage and "story" apps, letterboxes.
FRAME_LINE_DRIFT = 4.0  # grey levels a frame line may differ from the outermost line
FRAME_LINE_SPREAD = 6.0  # grey levels of spread (standard deviation) inside a frame line
FRAME_STEP = 16.0  # how far the picture after the frame must differ from it
FRAME_STEP_SPREAD = 12.0  # ...or how busy it must be
FRAME_MAX_SHARE = 0.25  # never more than a quarter of a side
FRAME_SIDES_SLACK = 0.02  # opposite sides' frames may differ by 2 % of the length (+2 px)
#: Below this spread of grey levels a picture has nothing a hash could recognise.
FEATURELESS_SPREAD = 2.0
SIGN_BIT = 1 << 63

EXIF_DATE_FORMAT = "%Y:%m:%d %H:%M:%S"


@dataclass(frozen=True)
class Fingerprint:
    """A photo's perceptual hashes (unsigned 64-bit) and its camera date, if it has one.

    The hashes are None for a picture with nothing to recognise (one colour, a lens covered):
    every such picture hashes alike, so it is compared by its exact content only.
    """

    phash: int | None
    dhash: int | None
    taken_at: datetime | None = None


def fingerprint(image: Image.Image, tz: str = "Asia/Ho_Chi_Minh") -> Fingerprint:
    """Hash the photo as people see it: turned upright, without a frame."""
    taken = taken_at(image, tz)
    upright = ImageOps.exif_transpose(image)
    grey = upright.convert("L")
    grey.thumbnail((HASH_SOURCE_PIXELS, HASH_SOURCE_PIXELS))
    pixels = np.asarray(grey, dtype=np.float32)
    if pixels.std() < FEATURELESS_SPREAD:
        return Fingerprint(None, None, taken)
    picture = grey.crop(frame_box(pixels))
    return Fingerprint(_bits(imagehash.phash(picture)), _bits(imagehash.dhash(picture)), taken)


def _bits(value: imagehash.ImageHash) -> int:
    return int(str(value), 16)


def distance(a: int, b: int) -> int:
    """How many of the 64 bits differ."""
    return (a ^ b).bit_count()


def is_near(a: Fingerprint, b: Fingerprint) -> bool:
    """The same picture, maybe recompressed, resized, lightly cropped or framed."""
    if a.phash is None or a.dhash is None or b.phash is None or b.dhash is None:
        return False
    return distance(a.phash, b.phash) <= PHASH_LIMIT and distance(a.dhash, b.dhash) <= DHASH_LIMIT


def to_signed(value: int) -> int:
    """An unsigned 64-bit hash as the signed BIGINT both databases store."""
    return value - (1 << 64) if value & SIGN_BIT else value


def to_unsigned(value: int) -> int:
    return value + (1 << 64) if value < 0 else value


# -- frames ----------------------------------------------------------------------------------


def frame_box(grey: np.ndarray) -> tuple[int, int, int, int]:
    """The picture inside a frame (left, top, right, bottom); the whole image when unframed."""
    height, width = grey.shape
    top, bottom = _frame_pair(grey)
    left, right = _frame_pair(grey.T)
    return left, top, width - right, height - bottom


def _frame_pair(lines: np.ndarray) -> tuple[int, int]:
    """Frame depths at both ends of `lines` (rows), or (0, 0) unless both ends have one.

    A frame on one side only is more often the picture itself (a wall, the sky) than a border,
    and trimming it would make the same photo hash differently after a resize.
    """
    first, last = _frame_depth(lines), _frame_depth(lines[::-1])
    slack = FRAME_SIDES_SLACK * len(lines) + 2
    same_colour = abs(float(lines[0].mean()) - float(lines[-1].mean())) < FRAME_STEP
    if first and last and abs(first - last) <= slack and same_colour:
        return first, last
    return 0, 0


def _frame_depth(lines: np.ndarray) -> int:
    """How many lines from the start are one colour, followed by a clear step to the picture."""
    reference = float(lines[0].mean())
    limit = int(len(lines) * FRAME_MAX_SHARE)
    depth = 0
    for line in lines[:limit]:
        if abs(float(line.mean()) - reference) > FRAME_LINE_DRIFT or line.std() > FRAME_LINE_SPREAD:
            break
        depth += 1
    if depth == 0 or depth >= limit:
        return 0
    after = lines[depth : depth + 3]
    stepped = abs(float(after.mean()) - reference) > FRAME_STEP or after.std() > FRAME_STEP_SPREAD
    return depth if stepped else 0


# -- camera date -----------------------------------------------------------------------------


def taken_at(image: Image.Image, tz: str) -> datetime | None:
    """EXIF DateTimeOriginal as an aware moment (its own offset if given, else the bot's zone)."""
    exif = image.getexif().get_ifd(ExifTags.IFD.Exif)
    raw = exif.get(ExifTags.Base.DateTimeOriginal)
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.strptime(raw.strip("\x00 "), EXIF_DATE_FORMAT)
    except ValueError:
        return None  # cameras with no clock write "0000:00:00 00:00:00"
    offset = exif.get(ExifTags.Base.OffsetTimeOriginal)
    if isinstance(offset, str):
        try:
            return datetime.strptime(f"{raw.strip()} {offset.strip()}", f"{EXIF_DATE_FORMAT} %z")
        except ValueError:
            pass
    return moment.replace(tzinfo=ZoneInfo(tz))
