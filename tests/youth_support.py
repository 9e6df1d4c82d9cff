"""Shared steps for the difficult-youth tests: add a person, forge a button, read the tables."""

from __future__ import annotations

from sqlalchemy import select

from bot.engine.types import Incoming, InKind, Reply
from storage.models import AuditEntry, YouthCase, YouthCaseEvent
from tests.support.harness import Chat, Harness


async def add_person(
    chat: Chat,
    name: str = "Nguyễn Văn An",
    year: str = "sinh 2005",
    sex: str = "nam",
    area: str = "ấp Long Phụng",
    categories: str = "1, 4",
    situation: str = "Mồ côi cha, sống với bà ngoại, nghỉ học từ lớp 9",
    needed: str = "Học nghề sửa xe máy",
) -> None:
    """Open the list and add one person, answering every question."""
    await chat.say("/thanhnien")
    await chat.press("➕ Thêm người")
    for answer in (name, year, sex, area, categories, situation, needed):
        await chat.say(answer)
    await chat.press("Lưu")
    assert f"Đã thêm {name}" in chat.text, chat.text


async def forge(harness: Harness, chat: Chat, payload: str) -> list[Reply]:
    """A button press carrying a payload the bot never offered (a tampered client)."""
    return await harness.engine.handle(
        Incoming(
            channel=chat.channel,
            chat_id=chat.user_id,
            user_id=chat.user_id,
            kind=InKind.CHOICE,
            payload=payload,
        )
    )


async def cases(harness: Harness) -> list[YouthCase]:
    async with harness.uow() as uow:
        return list(await uow.session.scalars(select(YouthCase).order_by(YouthCase.id)))


async def events(harness: Harness) -> list[YouthCaseEvent]:
    async with harness.uow() as uow:
        rows = await uow.session.scalars(select(YouthCaseEvent).order_by(YouthCaseEvent.id))
        return list(rows)


async def audit_rows(harness: Harness) -> list[AuditEntry]:
    async with harness.uow() as uow:
        return list(await uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
