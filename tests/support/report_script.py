"""Driving the monthly report through the harness: answers a secretary would type, by question."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image
from sqlalchemy import select

from storage.models import Conversation, Evidence, MonthlyReport, ReportRevision
from storage.repositories.org import OrgRepository
from tests.support.harness import Chat, Harness

#: How /duyet lists secretary u1's report of November 2026.
IN_REVIEW = "Chi đoàn ấp Long Phụng · 11/2026"

# What a secretary types for each question (clock: 10/11/2026, so "hôm qua" is in November).
TYPED: dict[str, str] = {
    "members_total": "30",
    "admitted": "2",
    "transferred_in": "0",
    "transferred_out": "1",
    "meeting_held": "có",
    "meeting_date": "hôm qua",
    "meeting_attendance": "20 người",
    "one_plus_one": "5",
    "projects_count": "2",
    "projects": "Dọn vệ sinh kênh ấp; Trồng 100 cây xanh",
    "volunteer_activities": "1, 3",
    "party_introduced": "0",
    "support_poverty_models": "1",
    "support_charity_houses": "0",
    "support_startup_vnd": "5 triệu",
    "mood": "Đoàn viên phấn khởi",
    "difficulties": "Thiếu kinh phí",
    "photos": "xong",
}


async def conversation(harness: Harness, chat: Chat) -> Conversation:
    async with harness.uow() as uow:
        conv = await uow.session.scalar(
            select(Conversation).where(
                Conversation.channel == chat.channel, Conversation.chat_id == chat.user_id
            )
        )
        assert conv is not None
        return conv


async def step(harness: Harness, chat: Chat) -> str:
    """The chat's current step: 'field:admitted', 'summary', … or '' outside any flow."""
    return (await conversation(harness, chat)).step or ""


async def fill(harness: Harness, chat: Chat, until: str | None = None, **typed: str) -> None:
    """Answer question after question (overrides by key) until `until` is asked or the summary."""
    answers = {**TYPED, **typed}
    for _ in range(40):
        current = await step(harness, chat)
        if not current.startswith("field:"):
            return
        key = current.removeprefix("field:")
        if key == until:
            return
        if key == "photos" and answers[key] == TYPED["photos"]:
            await chat.press(len(chat.choices))  # "Xong" / "Done", the last button
        else:
            await chat.say(answers[key])
    raise AssertionError(f"the report never reached the summary; last: {chat.text}")


async def report_of(harness: Harness, period: str = "2026-11", code: str = "PH-TL-01") -> Any:
    """The branch's report row for the period (fresh from the database), or None."""
    async with harness.uow() as uow:
        branch = await uow.get(OrgRepository).branch_by_code(code)
        assert branch is not None
        return await uow.session.scalar(
            select(MonthlyReport).where(
                MonthlyReport.branch_id == branch.id, MonthlyReport.period == period
            )
        )


async def sent_report(harness: Harness, **typed: str) -> Chat:
    """Secretary u1 fills in this month's report (answers overridden by key) and sends it."""
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat, **typed)
    await chat.press("Gửi báo cáo")
    assert chat.said("report.receipt"), chat.text
    return chat


async def change_line(chat: Chat, line: str, value: str) -> None:
    """From the summary: change summary line `line` to `value`."""
    await chat.press("Sửa một mục")
    await chat.say(line)
    await chat.say(value)


def photo_bytes(colour: tuple[int, int, int]) -> bytes:
    """A small real photo of one colour (each colour a different photo)."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), colour).save(buffer, format="PNG")
    return buffer.getvalue()


async def photo_items(harness: Harness) -> list[str | None]:
    """What each stored photo proves, in the order they came."""
    async with harness.uow() as uow:
        return list(await uow.session.scalars(select(Evidence.item).order_by(Evidence.id)))


async def revision_actions(harness: Harness) -> list[str]:
    """Every revision kept of the report, in order: submit, return, correct…"""
    async with harness.uow() as uow:
        rows = await uow.session.scalars(select(ReportRevision).order_by(ReportRevision.number))
        return [r.action for r in rows]
