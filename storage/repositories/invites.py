"""Invite codes and wrong-code attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Invite, InviteFailure


class InviteRepository:
    """Create, find and count invites and failed attempts."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, invite: Invite) -> None:
        self.session.add(invite)

    async def code_exists(self, code: str) -> bool:
        return await self.session.scalar(select(Invite.id).where(Invite.code == code)) is not None

    async def by_code(self, code: str) -> Invite | None:
        return await self.session.scalar(
            select(Invite).where(Invite.code == code).with_for_update()
        )

    async def claim(self, invite_id: int, now: datetime) -> bool:
        """Mark the invite used if nobody has and it is still valid; True for exactly one caller.

        One conditional UPDATE, so two chats redeeming the same code at once cannot both win, on
        SQLite (whose SELECT … FOR UPDATE locks nothing) as on PostgreSQL.
        """
        result = await self.session.execute(
            update(Invite)
            .where(Invite.id == invite_id, Invite.used_at.is_(None), Invite.expires_at > now)
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        return getattr(result, "rowcount", 0) == 1

    async def record_failure(self, channel: str, chat_id: str, at: datetime) -> None:
        self.session.add(InviteFailure(channel=channel, chat_id=chat_id, at=at))
        await self.session.flush()

    async def failures_since(self, channel: str, chat_id: str, since: datetime) -> int:
        count = await self.session.scalar(
            select(func.count(InviteFailure.id)).where(
                InviteFailure.channel == channel,
                InviteFailure.chat_id == chat_id,
                InviteFailure.at >= since,
            )
        )
        return int(count or 0)
