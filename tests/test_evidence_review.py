"""Photo evidence after the new-user review: formats, pixel limit, no repeated lists, labels."""

from __future__ import annotations

import io
import warnings

import pytest
from PIL import Image

from bot.media import MAX_PIXELS, ImageRejected, MediaStore, accepted_formats
from tests.support.harness import Harness
from tests.test_evidence_photos import evidence_rows, image_bytes, set_projects


def big_png(width: int, height: int) -> bytes:
    """A one-colour PNG: tiny on disk, huge in pixels."""
    out = io.BytesIO()
    Image.new("L", (width, height)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["GIF", "BMP"])
async def test_gif_and_bmp_are_refused_naming_the_formats_we_take(
    sqlite_harness: Harness, fmt: str
) -> None:
    chat = await sqlite_harness.registered()
    await chat.photo(image_bytes(fmt, 3))
    assert f"Mình chỉ nhận ảnh {accepted_formats()}" in chat.text
    assert "JPG, PNG, WEBP" in chat.text
    assert await evidence_rows(sqlite_harness) == []


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_camera_formats_are_kept(tmp_path: object, fmt: str) -> None:
    store = MediaStore(tmp_path, 10_000_000)  # type: ignore[arg-type]
    assert store.inspect(image_bytes(fmt, 4)).width == 32


def test_too_many_pixels_refused_without_a_pillow_warning(tmp_path: object) -> None:
    store = MediaStore(tmp_path, 50_000_000)  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning that leaks fails the test
        with pytest.raises(ImageRejected) as refused:
            store.inspect(big_png(12000, 9000))
        assert refused.value.reason == "too_many_pixels"
        with pytest.raises(ImageRejected) as bomb:  # beyond Pillow's own hard limit
            store.inspect(big_png(15000, 13000))
        assert bomb.value.reason == "too_many_pixels"
    assert store.inspect(big_png(8000, 5000)).width * 5000 <= MAX_PIXELS


async def test_huge_image_gets_a_clear_reason(sqlite_harness: Harness) -> None:
    chat = await sqlite_harness.registered()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        await chat.photo(big_png(12000, 9000))
    assert "quá nhiều điểm ảnh (tối đa 40 megapixel)" in chat.text
    assert await evidence_rows(sqlite_harness) == []


async def test_photo_outside_a_flow_offers_only_the_items(sqlite_harness: Harness) -> None:
    await set_projects(sqlite_harness, ["Trồng cây"])
    chat = await sqlite_harness.registered()
    await chat.photo(image_bytes("PNG", 5))
    assert chat.choices == ["Sinh hoạt chi đoàn", "Hoạt động 1: Trồng cây", "Cả báo cáo", "Xong"]
    assert "bấm hoặc gõ số" in chat.text
    await chat.photo(image_bytes("PNG", 6))
    assert chat.choices == [] and len(chat.texts) == 2
    await chat.say("sinh hoat")  # words of a label, as typed on Zalo
    assert "Đã gắn 2 ảnh vào «Sinh hoạt chi đoàn»" in chat.text
    assert [r.item for r in await evidence_rows(sqlite_harness)] == ["meeting", "meeting"]
