"""The report's photo step: photos attached where the secretary says, duplicates and non-photos."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from bot.i18n import load_locale
from storage.models import Evidence, Role
from tests.support.harness import Chat, Harness, local
from tests.support.report_script import (
    IN_REVIEW,
    change_line,
    fill,
    photo_bytes,
    photo_items,
    sent_report,
    step,
)


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
    assert chat.said("evidence.rejected_not_image")
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


async def _at_summary_with_photos(harness: Harness) -> Chat:
    """Two projects; two photos under "Hoạt động 1: Trong cay xanh", one of the meeting."""
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat, until="photos", projects="Trong cay xanh; Don ve sinh kenh")
    await chat.press("Hoạt động 1: Trong cay xanh")
    await chat.photo(photo_bytes((1, 1, 1)))
    await chat.photo(photo_bytes((2, 2, 2)))
    await chat.press("Sinh hoạt chi đoàn")
    await chat.photo(photo_bytes((3, 3, 3)))
    await chat.press("Xong")
    assert await step(harness, chat) == "summary"
    return chat


async def test_photos_follow_their_project_when_the_list_is_retyped(harness: Harness) -> None:
    chat = await _at_summary_with_photos(harness)
    await change_line(chat, "9", "3")  # projects_count 2 → 3: the list is asked again
    assert await step(harness, chat) == "field:projects"
    await chat.say("Don ve sinh kenh\nLam duong giao thong\nTrong cay xanh")
    assert await step(harness, chat) == "summary"
    assert await photo_items(harness) == ["activity:3", "activity:3", "meeting"]
    assert "Hoạt động 3: Trong cay xanh: 2" in chat.text
    assert "Hoạt động 1: Don ve sinh kenh: 0" in chat.text


async def test_photos_of_a_project_or_meeting_that_is_gone_move_to_the_whole_report(
    harness: Harness,
) -> None:
    chat = await _at_summary_with_photos(harness)
    await change_line(chat, "9", "1")
    await chat.say("Don ve sinh kenh")
    assert chat.said("report.photos_moved.other", count=2)
    assert await photo_items(harness) == [None, None, "meeting"]
    assert "Cả báo cáo: 2" in chat.text
    await change_line(chat, "5", "không")  # no meeting held after all
    assert chat.said("report.photos_moved.one")
    await fill(harness, chat)
    assert await photo_items(harness) == [None, None, None]
    assert "Cả báo cáo: 3" in chat.text


async def test_an_approved_report_refuses_photos_before_the_deadline(harness: Harness) -> None:
    chat = await sent_report(harness)
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    await leader.say("/duyet")
    await leader.press(IN_REVIEW)
    await leader.press("✅ Duyệt")
    await chat.photo(photo_bytes((9, 9, 9)))
    assert "không nhận thêm ảnh" in chat.text and "chưa tới hạn nộp (17:00 25/11/2026)" in chat.text
    await chat.say("/minhchung")
    assert "không nhận thêm ảnh" in chat.text and await step(harness, chat) == ""
    await chat.say("/baocao")
    assert "dù chưa tới hạn nộp (17:00 25/11/2026)" in chat.text
    assert await photo_items(harness) == []


async def test_a_sent_report_past_its_deadline_refuses_photos(harness: Harness) -> None:
    chat = await sent_report(harness)
    harness.clock.set(local(2026, 11, 25, 17, 1))
    await chat.photo(photo_bytes((8, 8, 8)))
    assert "đã khoá" in chat.text and "không nhận thêm ảnh" in chat.text
    assert await photo_items(harness) == []


def test_english_photo_counts_have_no_plural_brackets() -> None:
    en = load_locale("en")
    assert [k for k, v in en.items() if "(s)" in v] == []
    assert en["evidence.saved.one"].endswith("1 evidence photo.")
    assert "{count} evidence photos" in en["evidence.saved.other"]


async def test_a_dropped_correction_puts_the_photos_back_under_their_project(
    harness: Harness,
) -> None:
    chat = await _at_summary_with_photos(harness)
    await chat.press("Gửi báo cáo")
    await chat.say("/baocao")
    await change_line(chat, "10", "Don ve sinh kenh; Trong cay xanh")
    assert "Hoạt động 2: Trong cay xanh: 2" in chat.text
    assert await photo_items(harness) == ["activity:2", "activity:2", "meeting"]
    await chat.say("/huy")
    assert await photo_items(harness) == ["activity:1", "activity:1", "meeting"]


async def test_the_photo_step_of_a_correction_refuses_photos_once_locked(
    harness: Harness,
) -> None:
    chat = await sent_report(harness)
    harness.clock.set(local(2026, 11, 25, 16, 50))
    await chat.say("/baocao")
    await chat.press("Sửa một mục")
    await chat.say("18")  # the photo step
    assert await step(harness, chat) == "field:photos"
    harness.clock.advance(minutes=20)
    await chat.photo(photo_bytes((7, 7, 7)))
    assert "không nhận thêm ảnh" in chat.text and await step(harness, chat) == ""
    assert await photo_items(harness) == []
