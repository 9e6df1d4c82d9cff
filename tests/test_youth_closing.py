"""Closing a youth case asks first; a closed case can be reopened, with history and audit."""

from __future__ import annotations

from tests.support.harness import Harness
from tests.youth_support import add_person, audit_rows, cases, events


async def test_closing_asks_first_and_no_keeps_the_case_open(harness: Harness) -> None:
    chat = await harness.registered()
    await add_person(chat)
    await chat.say("1")
    await chat.press("Đóng hồ sơ")
    await chat.press("Đã thoát khó khăn")
    assert "Đóng hồ sơ của Nguyễn Văn An (lý do: Đã thoát khó khăn)?" in chat.text
    assert chat.choices == ["Đóng hồ sơ", "Không đóng"]
    [case] = await cases(harness)
    assert case.status == "open", "one tap on the reason closes nothing"
    await chat.press("Không đóng")
    assert "chưa đóng" in chat.text and "Ghi nhận đã giúp đỡ" in chat.choices
    [case] = await cases(harness)
    assert case.status == "open"
    assert [e.kind for e in await events(harness)] == ["created"]


async def test_a_closed_case_can_be_reopened_with_history_and_audit(harness: Harness) -> None:
    chat = await harness.registered()
    await add_person(chat)
    await chat.say("1")
    await chat.press("Đóng hồ sơ")
    await chat.press("Đã chuyển đi nơi khác")
    await chat.press("Đóng hồ sơ")
    await chat.press("Hồ sơ đã đóng")
    await chat.press("Nguyễn Văn An (2005)")
    await chat.press("Mở lại hồ sơ")
    assert "Đã mở lại hồ sơ của Nguyễn Văn An" in chat.text
    assert "Trạng thái: đang theo dõi" in chat.text and "Đóng hồ sơ" in chat.choices
    [case] = await cases(harness)
    assert (case.status, case.close_reason, case.closed_at) == ("open", None, None)
    kinds = [(e.kind, e.detail) for e in await events(harness)]
    assert kinds[-1] == ("reopened", {"was": "moved_away"})
    assert [a.action for a in await audit_rows(harness)][-2:] == ["youth.close", "youth.reopen"]


async def test_after_closing_the_only_case_the_list_offers_the_closed_ones(
    harness: Harness,
) -> None:
    chat = await harness.registered()
    await add_person(chat)
    await chat.say("1")
    await chat.press("Đóng hồ sơ")
    await chat.say("chuyen di")  # words of "Đã chuyển đi nơi khác", typed without diacritics
    assert "lý do: Đã chuyển đi nơi khác" in chat.text
    await chat.say("dong")
    assert "không còn ai đang theo dõi" in chat.text and "chưa có ai" not in chat.text
    assert "Hồ sơ đã đóng" in chat.choices
    [case] = await cases(harness)
    assert (case.status, case.close_reason) == ("closed", "moved_away")


async def test_done_does_not_sound_like_closing_cases(harness: Harness) -> None:
    chat = await harness.registered()
    await chat.say("/thanhnien")
    await chat.press("Xong")
    assert chat.text == "Xong. Gõ /thanhnien khi cần xem lại."


async def test_close_with_a_reason_keeps_the_record(harness: Harness) -> None:
    chat = await harness.registered()
    await add_person(chat)
    await add_person(chat, name="Phạm Văn Dũng", year="2001", categories="thất nghiệp")
    assert chat.choices[1] == "Phạm Văn Dũng (2001)"
    await chat.say("1")
    await chat.press("Đóng hồ sơ")
    await chat.press("Đã thoát khó khăn")
    assert "Đóng hồ sơ của Nguyễn Văn An (lý do: Đã thoát khó khăn)?" in chat.text
    await chat.press("Đóng hồ sơ")
    assert "Đã đóng hồ sơ (lý do: Đã thoát khó khăn)" in chat.text
    assert chat.choices[0] == "Phạm Văn Dũng (2001)" and "Nguyễn Văn An (2005)" not in chat.choices
    await chat.say("1")
    await chat.press("Đóng hồ sơ")
    await chat.press("Lý do khác")
    await chat.say("Đi nghĩa vụ quân sự")
    await chat.press("Đóng hồ sơ")
    assert "không còn ai đang theo dõi" in chat.text
    await chat.press("Hồ sơ đã đóng")
    assert "2 người" in chat.text and chat.choices[0] == "Nguyễn Văn An (2005)"
    await chat.press("Nguyễn Văn An (2005)")
    assert "đã đóng (Đã thoát khó khăn)" in chat.text
    assert chat.choices == ["Mở lại hồ sơ", "📜 Lịch sử hồ sơ", "Về danh sách"], "closed: reopen"
    first, second = await cases(harness)
    assert (first.status, first.close_reason) == ("closed", "out_of_difficulty")
    assert (second.status, second.close_reason) == ("closed", "other")
    assert first.closed_at == harness.clock.now()
    closing = [e for e in await events(harness) if e.kind == "closed"]
    assert [e.detail for e in closing] == [
        {"reason": "out_of_difficulty"},
        {"reason": "other", "note": "Đi nghĩa vụ quân sự"},
    ]
    assert [a.action for a in await audit_rows(harness)][-2:] == ["youth.close", "youth.close"]
