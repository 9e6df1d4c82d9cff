"""How far a report is: one count, the same in the flow, /cuatoi and the reminders."""

from __future__ import annotations

from handlers.reports.form import load_form
from handlers.reports.progress import progress, question_number
from storage.models import Role
from tests.support.harness import Harness
from tests.support.outbox_fakes import rows
from tests.support.report_script import fill, report_of

FORM = load_form()


async def test_the_flow_my_reports_and_the_reminder_agree_on_a_half_filled_draft(
    harness: Harness,
) -> None:
    """No meeting held: its two questions are passed over, so the draft is at question 8."""
    catalog = harness.catalog
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat, until="one_plus_one", meeting_held="không")
    answers = (await report_of(harness)).answers
    at, total = question_number(FORM, "one_plus_one")
    assert (at, total) == (8, len(FORM.fields))
    assert (progress(FORM, answers).at, progress(FORM, answers).total) == (at, total)
    assert catalog.t("vi", "report.progress", n=at, total=total) in chat.text, "the flow"

    await chat.say("/huy")
    await chat.say("/cuatoi")
    assert catalog.t("vi", "report.mine_progress", n=at, total=total) in chat.text, "/cuatoi"

    admin = await harness.registered("a1", role=Role.ADMIN, code="PH")
    await admin.say("/nhacnho")
    await admin.press("Gửi lời nhắc")
    reminder = next(m for m in (await rows(harness)).values() if m.chat_id == "u1")
    partial = catalog.t("vi", "reminders.action_partial", n=at, total=total)
    assert partial in reminder.payload["text"], "the reminder"


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
    assert harness.catalog.t("vi", "report.mine_ready") in chat.text
    assert progress(FORM, (await report_of(harness)).answers).ready


async def test_the_question_count_is_stable(harness: Harness) -> None:
    """A question keeps its number whatever was passed over before it."""
    t = harness.catalog.t
    total = len(FORM.fields)
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    intro = t("vi", "report.intro", period="11/2026", branch="Chi đoàn ấp Long Phụng", total=total)
    assert intro in chat.text and t("vi", "report.progress", n=1, total=total) in chat.text
    await fill(harness, chat, until="meeting_held")
    assert t("vi", "report.progress", n=5, total=total) in chat.text
    await chat.say("không")
    assert t("vi", "report.progress", n=8, total=total) in chat.text
    await fill(harness, chat, until="photos", meeting_held="không")
    assert t("vi", "report.progress", n=total, total=total) in chat.text
