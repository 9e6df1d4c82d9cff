"""The report's photo step: photos attached where the secretary says, duplicates and non-photos."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from storage.models import Evidence
from tests.support.harness import Chat, Harness
from tests.support.report_script import fill, step


def image(kind: str = "PNG", colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A small real image, in `kind` format."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), colour).save(buffer, format=kind)
    return buffer.getvalue()


async def _at_photos(harness: Harness) -> Chat:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat, until="photos")
    assert "Gửi ảnh minh chứng" in chat.text and "Cả báo cáo" in chat.text
    return chat


async def _evidence(harness: Harness) -> list[tuple[str | None, str | None, str]]:
    async with harness.uow() as uow:
        rows = await uow.session.scalars(select(Evidence).order_by(Evidence.id))
        return [(e.item, e.caption, e.mime) for e in rows]


async def test_photos_go_to_the_chosen_item_and_show_in_the_summary(harness: Harness) -> None:
    chat = await _at_photos(harness)
    assert chat.choices == [
        "Sinh hoạt chi đoàn",
        "Hoạt động 1: Dọn vệ sinh kênh ấp",
        "Hoạt động 2: Trồng 100 cây xanh",
        "Cả báo cáo",
        "Xong",
    ]
    await chat.press("Sinh hoạt chi đoàn")
    assert "gắn vào: Sinh hoạt chi đoàn" in chat.text
    await chat.photo(image(), caption="Sinh hoạt tháng 11")
    assert "Đã nhận ảnh" in chat.text and "Xong" in chat.choices
    await chat.say("2")  # typed number of the button "hoạt động 1"
    await chat.photo(image("JPEG", (10, 120, 10)))
    await chat.press("Cả báo cáo")
    await chat.photo(image(colour=(1, 2, 3)))
    assert await _evidence(harness) == [
        ("meeting", "Sinh hoạt tháng 11", "image/png"),
        ("activity:1", None, "image/jpeg"),
        (None, None, "image/png"),
    ]
    await chat.press("Xong")
    assert await step(harness, chat) == "summary"
    assert (
        "Ảnh minh chứng: Sinh hoạt chi đoàn: 1 · Hoạt động 1: Dọn vệ sinh kênh ấp: 1 · "
        "Hoạt động 2: Trồng 100 cây xanh: 0 · Cả báo cáo: 1"
    ) in chat.text


async def test_a_duplicate_a_text_file_and_an_oversize_photo_are_refused(
    harness: Harness,
) -> None:
    chat = await _at_photos(harness)
    png = image()
    await chat.photo(png)
    await chat.photo(png)
    assert "đã gửi rồi" in chat.text
    await chat.photo(b"Bao cao thang 11, khong phai anh\n")
    assert "không phải ảnh" in chat.text
    await chat.photo(None, problem="too_large")
    assert "quá lớn" in chat.text
    assert len(await _evidence(harness)) == 1
    assert await step(harness, chat) == "field:photos", "still at the photo step"


async def test_text_at_the_photo_step_explains_and_done_can_be_typed(harness: Harness) -> None:
    chat = await _at_photos(harness)
    await chat.say("gửi sau nhé")
    assert "chọn Xong" in chat.text and await step(harness, chat) == "field:photos"
    await chat.say("xong")
    assert await step(harness, chat) == "summary"


async def test_a_photo_sent_during_a_question_is_kept_and_the_question_repeated(
    harness: Harness,
) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await chat.photo(image())
    assert "Đã nhận ảnh" in chat.text and "Câu 1/" in chat.text
    assert await _evidence(harness) == [(None, None, "image/png")]
