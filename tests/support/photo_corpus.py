"""Synthetic "photos" and the ways chat apps and people change them, for measuring photo matching.

Every photo is drawn from a seed, so the test set is the same on every machine: a background
(gradient, horizon scene or texture), shapes, a banner of text and sensor noise. `sibling` draws a
second, different photo of the same "place" (same background and palette, other shapes and
text): the hard case for a near-duplicate check, like two shots of one meeting room.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from pathlib import Path

import matplotlib
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

from bot.media_fingerprint import fingerprint

# A font with Vietnamese letters that is always installed: matplotlib ships DejaVu Sans.
FONT = str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")
SIZES = [(800, 600), (600, 800), (960, 540), (720, 720), (1024, 768)]
BANNERS = (
    "Sinh hoạt chi đoàn tháng Ra quân Mùa hè xanh Chủ nhật xanh Hiến máu tình nguyện "
    "Thắp sáng đường quê Nhà nhân ái Kết nạp đoàn viên mới Ấp Long Phụng Trường THPT "
    "Dọn vệ sinh kênh Trồng cây Tiếp sức mùa thi Văn nghệ Tuyên truyền an toàn giao thông"
)
WORDS = BANNERS.split()


def _rgb(rng: random.Random) -> tuple[int, int, int]:
    return (rng.randrange(256), rng.randrange(256), rng.randrange(256))


def _gradient(size: tuple[int, int], rng: random.Random) -> np.ndarray:
    """Two colours blended along a random direction."""
    w, h = size
    angle = rng.uniform(0, 2 * np.pi)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    t = (xs / w) * np.cos(angle) + (ys / h) * np.sin(angle)
    t = (t - t.min()) / max(float(np.ptp(t)), 1e-6)
    a, b = np.array(_rgb(rng), np.float32), np.array(_rgb(rng), np.float32)
    return a + (b - a) * t[..., None]


def _scene(size: tuple[int, int], rng: random.Random) -> np.ndarray:
    """A sky over ground, the horizon somewhere in the middle third."""
    w, h = size
    horizon = int(h * rng.uniform(0.35, 0.65))
    sky = _gradient((w, horizon), rng)
    ground = _gradient((w, h - horizon), rng)
    return np.concatenate([sky, ground], axis=0)


def _texture(size: tuple[int, int], rng: random.Random) -> np.ndarray:
    """Smooth random blobs: low-resolution noise scaled up (a wall, foliage, water)."""
    w, h = size
    cells = rng.choice([4, 6, 10, 16])
    np_rng = np.random.default_rng(rng.randrange(2**32))
    small = (np_rng.random((cells, cells, 3)) * 255).astype(np.uint8)
    big = Image.fromarray(small).resize((w, h), Image.Resampling.BICUBIC)
    tint = np.array(_rgb(rng), np.float32)
    return np.asarray(big, np.float32) * 0.6 + tint * 0.4


BACKGROUNDS: list[Callable[[tuple[int, int], random.Random], np.ndarray]] = [
    _gradient,
    _scene,
    _texture,
]


def _shapes(draw: ImageDraw.ImageDraw, size: tuple[int, int], rng: random.Random) -> None:
    """Ellipses, boxes, polygons and lines: people, tables, banners, trees."""
    w, h = size
    for _ in range(rng.randrange(6, 30)):
        x0, y0 = rng.randrange(w), rng.randrange(h)
        x1 = min(w, x0 + rng.randrange(10, w // 3))
        y1 = min(h, y0 + rng.randrange(10, h // 3))
        colour = (*_rgb(rng), rng.randrange(120, 256))
        kind = rng.randrange(4)
        if kind == 0:
            draw.ellipse((x0, y0, x1, y1), fill=colour)
        elif kind == 1:
            draw.rectangle((x0, y0, x1, y1), fill=colour)
        elif kind == 2:
            points = [(rng.randrange(w), rng.randrange(h)) for _ in range(rng.randrange(3, 7))]
            draw.polygon(points, fill=colour)
        else:
            draw.line((x0, y0, x1, y1), fill=colour, width=rng.randrange(2, 12))


def _banner(draw: ImageDraw.ImageDraw, size: tuple[int, int], rng: random.Random) -> None:
    """A line or two of text, as on the banner behind every branch meeting."""
    w, h = size
    font = ImageFont.truetype(FONT, rng.randrange(18, 48))
    for _ in range(rng.randrange(1, 3)):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(2, 6)))
        xy = (rng.randrange(w // 2), rng.randrange(h - 50))
        draw.text(xy, words, fill=(*_rgb(rng), 255), font=font)


def _finish(pixels: np.ndarray, rng: random.Random) -> Image.Image:
    """Sensor noise and a little softness, as a phone camera gives."""
    np_rng = np.random.default_rng(rng.randrange(2**32))
    noisy = pixels + np_rng.normal(0, rng.uniform(2, 9), pixels.shape)
    image = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8), "RGB")
    return image.filter(ImageFilter.GaussianBlur(rng.uniform(0, 0.8)))


def photo(seed: int, *, place: int | None = None) -> Image.Image:
    """A synthetic photo. Photos sharing `place` share background and size, nothing else."""
    base = random.Random(f"place-{seed if place is None else place}")
    size = base.choice(SIZES)
    background = base.choice(BACKGROUNDS)(size, base)
    rng = random.Random(f"photo-{seed}")
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    _shapes(draw, size, rng)
    _banner(draw, size, rng)
    canvas = Image.fromarray(np.clip(background, 0, 255).astype(np.uint8), "RGB").convert("RGBA")
    return _finish(np.asarray(Image.alpha_composite(canvas, layer).convert("RGB"), np.float32), rng)


def sibling(seed: int) -> Image.Image:
    """Another photo taken at the same place as `photo(seed)`: a different photo, not a copy."""
    return photo(1_000_000 + seed, place=seed)


def jpeg(image: Image.Image, quality: int = 92, **params: object) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=quality, **params)
    return out.getvalue()


def decode(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return image.copy()


# -- what happens to a photo between two sends ---------------------------------------------------


def resize(image: Image.Image, factor: float) -> Image.Image:
    w, h = image.size
    return image.resize((max(1, round(w * factor)), max(1, round(h * factor))), Image.LANCZOS)


def long_side(image: Image.Image, pixels: int) -> Image.Image:
    """What Telegram and Zalo do to a photo sent as a photo: the long side capped."""
    copy = image.copy()
    copy.thumbnail((pixels, pixels), Image.LANCZOS)
    return copy


def crop(image: Image.Image, fraction: float, *, centred: bool) -> Image.Image:
    """Cut `fraction` of the width and height: around the middle, or off the top-left corner."""
    w, h = image.size
    dx, dy = round(w * fraction), round(h * fraction)
    if centred:
        return image.crop((dx // 2, dy // 2, w - (dx - dx // 2), h - (dy - dy // 2)))
    return image.crop((dx, dy, w, h))


def border(image: Image.Image, fraction: float, colour: tuple[int, int, int]) -> Image.Image:
    """A frame around the photo, as collage and "story" apps add."""
    w, h = image.size
    return ImageOps.expand(image, border=round(max(w, h) * fraction), fill=colour)


def recompress(image: Image.Image, quality: int) -> Image.Image:
    return decode(jpeg(image, quality))


TRANSFORMS: dict[str, Callable[[Image.Image], Image.Image]] = {
    "same file": lambda im: im,
    "resize 50%": lambda im: resize(im, 0.5),
    "resize 25%": lambda im: resize(im, 0.25),
    "jpeg q60": lambda im: recompress(im, 60),
    "jpeg q45": lambda im: recompress(im, 45),
    "jpeg q30": lambda im: recompress(im, 30),
    "crop 5% centred": lambda im: crop(im, 0.05, centred=True),
    "crop 5% corner": lambda im: crop(im, 0.05, centred=False),
    "border 5% white": lambda im: border(im, 0.05, (255, 255, 255)),
    "border 3% black": lambda im: border(im, 0.03, (0, 0, 0)),
    "chat re-send (1280 px, q75)": lambda im: recompress(long_side(im, 1280), 75),
    "resize 50% + q40": lambda im: recompress(resize(im, 0.5), 40),
    "crop 5% + resize 70% + q35": lambda im: recompress(
        resize(crop(im, 0.05, centred=False), 0.7), 35
    ),
    "border 5% + q50": lambda im: recompress(border(im, 0.05, (250, 250, 250)), 50),
    "crop 3% + border 3% + q60": lambda im: recompress(
        border(crop(im, 0.03, centred=True), 0.03, (20, 20, 20)), 60
    ),
}


# -- measuring a matching rule ------------------------------------------------------------------


def hashes(images: list[Image.Image]) -> np.ndarray:
    """(n, 2) unsigned pHash, dHash of each image."""
    prints = [fingerprint(image) for image in images]
    return np.array([[p.phash, p.dhash] for p in prints], dtype=np.uint64)


def distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Bit distances (…, 2) between broadcastable hash arrays."""
    return np.bitwise_count(a ^ b).astype(np.int16)


def matched(d: np.ndarray, rule: tuple[int, int | None]) -> np.ndarray:
    phash_limit, dhash_limit = rule
    ok = d[..., 0] <= phash_limit
    return ok if dhash_limit is None else ok & (d[..., 1] <= dhash_limit)


def build(originals: int, extra: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """First sends, re-sends per transform, siblings, and extra photos (negatives only).

    Each photo is hashed as soon as it is made: the images themselves are not kept.
    """
    first, resent, siblings = [], [], []
    for seed in range(originals):
        sent = decode(jpeg(photo(seed)))
        first.append(hashes([sent])[0])
        resent.append(hashes([transform(sent) for transform in TRANSFORMS.values()]))
        siblings.append(hashes([decode(jpeg(sibling(seed)))])[0])
    others = np.array([hashes([decode(jpeg(photo(originals + seed)))])[0] for seed in range(extra)])
    by_transform = np.stack(resent, axis=1)  # (transforms, originals, 2)
    return np.array(first), by_transform, np.array(siblings), others
