"""Invite codes made straight in a running app's database (tests of the real bot process)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from handlers.invites import create_invite, display_code, find_place
from storage.models import Role
from storage.uow import UnitOfWork


async def invite_code(
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock,
    role: Role = Role.SECRETARY,
    code: str = "PH-TL-01",
) -> str:
    """A fresh code for `role` over the branch, unit or district `code`."""
    async with UnitOfWork(sessions) as uow:
        place = await find_place(uow, role, code)
        invite = await create_invite(uow, role=role, place=place, now=clock.now(), ttl_days=14)
        return display_code(invite.code)
