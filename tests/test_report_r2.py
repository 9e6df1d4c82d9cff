"""Findings of the second new-user review of the monthly report and photo evidence."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from bot.i18n import load_locale
from handlers.report import answers as parse
from storage.models import Evidence, Role
from tests.support.harness import Chat, Harness, local
from tests.support.report_script import fill, report_of, step


# -- 4. Vietnamese number words -----------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("hai muoi", 20),
        ("muoi lam", 15),
        ("hai mươi lăm", 25),
        ("ba chuc", 30),
        ("mười", 10),
        ("một trăm hai mươi", 120),
        ("hai mươi mốt", 21),
        ("hai mươi tư", 24),
        ("mười nhăm", 15),
        ("một trăm linh năm", 105),
        ("hai trăm lẻ một", 201),
        ("ba trăm", 300),
        ("chín trăm chín mươi chín", 999),
        ("2 mươi lăm", 25),
        ("hai muoi nguoi", 20),
        ("mot", 1),
        ("2 chuc", 20),
    ],
)
def test_vietnamese_number_words_are_read(typed: str, value: int) -> None:
    assert parse.parse_int(typed) == value


@pytest.mark.parametrize("typed", ["một trăm hai", "hai mươi ba mươi", "muoi muoi"])
def test_number_words_we_cannot_read_ask_for_digits(typed: str) -> None:
    with pytest.raises(parse.Unreadable) as caught:
        parse.parse_int(typed)
    assert caught.value.key == "report.expect.int_words"


# -- shared -----------------------------------------------------------------------------------
BRANCH = "Chi đoàn ấp Long Phụng · 11/2026"


def image(colour: tuple[int, int, int]) -> bytes:
    """A small real photo of one colour (each colour a different photo)."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), colour).save(buffer, format="PNG")
    return buffer.getvalue()


async def _items(harness: Harness) -> list[str | None]:
    async with harness.uow() as uow:
        return list(await uow.session.scalars(select(Evidence.item).order_by(Evidence.id)))


async def _change(chat: Chat, line: str, value: str) -> None:
    """From the summary: change summary line `line` to `value`."""
    await chat.press("Sửa một mục")
    await chat.say(line)
    await chat.say(value)


async def _at_summary_with_photos(harness: Harness) -> Chat:
    """Two projects; two photos under "Hoạt động 1: Trong cay xanh", one of the meeting."""
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat, until="photos", projects="Trong cay xanh; Don ve sinh kenh")
    await chat.press("Hoạt động 1: Trong cay xanh")
    await chat.photo(image((1, 1, 1)))
    await chat.photo(image((2, 2, 2)))
    await chat.press("Sinh hoạt chi đoàn")
    await chat.photo(image((3, 3, 3)))
    await chat.press("Xong")
    assert await step(harness, chat) == "summary"
    return chat


# -- 1. photos follow their project ------------------------------------------------------------
async def test_photos_follow_their_project_when_the_list_is_retyped(harness: Harness) -> None:
    chat = await _at_summary_with_photos(harness)
    await _change(chat, "9", "3")  # projects_count 2 → 3: the list is asked again
    assert await step(harness, chat) == "field:projects"
    await chat.say("Don ve sinh kenh\nLam duong giao thong\nTrong cay xanh")
    assert await step(harness, chat) == "summary"
    assert await _items(harness) == ["activity:3", "activity:3", "meeting"]
    assert "Hoạt động 3: Trong cay xanh: 2" in chat.text
    assert "Hoạt động 1: Don ve sinh kenh: 0" in chat.text


async def test_photos_of_a_project_or_meeting_that_is_gone_move_to_the_whole_report(
    harness: Harness,
) -> None:
    chat = await _at_summary_with_photos(harness)
    await _change(chat, "9", "1")
    await chat.say("Don ve sinh kenh")
    assert "2 ảnh của nó được chuyển sang «Cả báo cáo»" in chat.text
    assert await _items(harness) == [None, None, "meeting"]
    assert "Cả báo cáo: 2" in chat.text
    await _change(chat, "5", "không")  # no meeting held after all
    assert "1 ảnh của nó được chuyển sang «Cả báo cáo»" in chat.text
    await fill(harness, chat)
    assert await _items(harness) == [None, None, None]
    assert "Cả báo cáo: 3" in chat.text


# -- 2. a locked report takes no photos ----------------------------------------------------
async def _sent(harness: Harness) -> Chat:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat)
    await chat.press("Gửi báo cáo")
    assert "Mã biên nhận" in chat.text
    return chat


async def test_an_approved_report_refuses_photos_before_the_deadline(harness: Harness) -> None:
    chat = await _sent(harness)
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    await leader.say("/duyet")
    await leader.press(BRANCH)
    await leader.press("✅ Duyệt")
    await chat.photo(image((9, 9, 9)))
    assert "không nhận thêm ảnh" in chat.text and "chưa tới hạn nộp (17:00 25/11/2026)" in chat.text
    await chat.say("/minhchung")
    assert "không nhận thêm ảnh" in chat.text and await step(harness, chat) == ""
    await chat.say("/baocao")
    assert "dù chưa tới hạn nộp (17:00 25/11/2026)" in chat.text
    assert await _items(harness) == []


async def test_a_sent_report_past_its_deadline_refuses_photos(harness: Harness) -> None:
    chat = await _sent(harness)
    harness.clock.set(local(2026, 11, 25, 17, 1))
    await chat.photo(image((8, 8, 8)))
    assert "đã khoá" in chat.text and "không nhận thêm ảnh" in chat.text
    assert await _items(harness) == []


# -- 3. list lines survive /huy; /quaylai takes back the last line -------------------------
async def test_list_lines_survive_cancel_and_resume(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat, until="projects")
    await chat.say("Lam duong giao thong")
    assert "Đã ghi 1/2" in chat.text
    await chat.say("/huy")
    await chat.say("/baocao")
    assert "Lam duong giao thong" in chat.text and await step(harness, chat) == "field:projects"
    await chat.say("Trong cay xanh")
    assert (await report_of(harness)).answers["projects"] == [
        "Lam duong giao thong",
        "Trong cay xanh",
    ]


async def test_back_in_the_middle_of_a_list_takes_back_the_last_line(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat, until="projects")
    await chat.say("Lam duong sai chinh ta")
    await chat.say("/quaylai")
    assert "Đã bỏ dòng vừa ghi: «Lam duong sai chinh ta»" in chat.text
    assert await step(harness, chat) == "field:projects"
    await chat.say("Lam duong giao thong")
    assert "Đã ghi 1/2" in chat.text
    await chat.say("Trong cay xanh")
    assert (await report_of(harness)).answers["projects"] == [
        "Lam duong giao thong",
        "Trong cay xanh",
    ]


# -- 5. smaller ones ---------------------------------------------------------------------------
async def test_a_complete_draft_with_skipped_questions_is_done_in_my_reports(
    harness: Harness,
) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat, until="mood")
    await chat.say("/boqua")
    await chat.say("/boqua")
    await fill(harness, chat)
    await chat.say("/cuatoi")
    assert "xong, chưa gửi" in chat.text and "đã trả lời" not in chat.text


async def test_cancel_at_the_summary_resumes_at_the_summary(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat)
    await chat.say("/huy")
    await chat.say("/baocao")
    assert await step(harness, chat) == "summary"


async def test_typed_send_words_send_a_correction_and_a_return_says_why(
    harness: Harness,
) -> None:
    chat = await _sent(harness)
    await chat.say("/baocao")
    await _change(chat, "7", "18")
    await chat.say("gui bao cao")
    assert "bản sửa lần 1" in chat.text
    harness.clock.set(local(2026, 11, 25, 12, 59))  # returned just before the deadline
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    await leader.say("/duyet")
    await leader.press(BRANCH)
    await leader.press("↩️ Trả lại để sửa")
    await leader.say("Số người dự chưa khớp biên bản, nhờ sửa lại")
    await chat.say("/baocao")
    await _change(chat, "7", "19")
    await chat.say("gửi bản sửa")
    assert "Huyện đoàn đã trả lại báo cáo nên bạn vẫn sửa được đến" in chat.text
    await chat.say("/baocao")
    assert "Huyện đoàn đã trả lại báo cáo nên bạn sửa được đến" in chat.text


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
    await _change(chat, "10", "Don ve sinh kenh; Trong cay xanh")
    assert "Hoạt động 2: Trong cay xanh: 2" in chat.text
    assert await _items(harness) == ["activity:2", "activity:2", "meeting"]
    await chat.say("/huy")
    assert await _items(harness) == ["activity:1", "activity:1", "meeting"]


async def test_the_photo_step_of_a_correction_refuses_photos_once_locked(
    harness: Harness,
) -> None:
    chat = await _sent(harness)
    harness.clock.set(local(2026, 11, 25, 16, 50))
    await chat.say("/baocao")
    await chat.press("Sửa một mục")
    await chat.say("18")  # the photo step
    assert await step(harness, chat) == "field:photos"
    harness.clock.advance(minutes=20)
    await chat.photo(image((7, 7, 7)))
    assert "không nhận thêm ảnh" in chat.text and await step(harness, chat) == ""
    assert await _items(harness) == []
