"""The outbox's sending schedule per channel: moments to send, handed out one at a time."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, case, func, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SendSchedule


class SendScheduleRepository:
    """Takes sending moments with one atomic UPDATE each (the row lock orders the takers).

    On PostgreSQL the moments are on the database server's clock, so processes on several
    machines agree without synchronised clocks; on SQLite (one machine) on the caller's.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _now(self, local_now: float) -> ColumnElement[Any]:
        if self.session.get_bind().dialect.name == "postgresql":
            return func.extract("epoch", func.clock_timestamp())
        return literal(local_now)

    async def take(self, channel: str, interval: float, local_now: float, count: int = 1) -> float:
        """Seconds to wait until the first of `count` moments of the channel, taken together
        (`interval` apart, the next taker's come after them).

        A taker that comes late may use the moment it missed, at most one interval back, so
        its own work between sends does not lower the rate; two moments are still `interval`
        apart, so in any second no more than 1/interval + 1 messages go out, all takers together.
        """
        now = self._now(local_now)
        earliest = now - interval
        moment = case((SendSchedule.next_at > earliest, SendSchedule.next_at), else_=earliest)
        row = (
            await self.session.execute(
                update(SendSchedule)
                .where(SendSchedule.channel == channel)
                .values(next_at=moment + interval * count)
                .returning(SendSchedule.next_at - interval * count, now)
            )
        ).first()
        if row is None:
            await self._create(channel, local_now)
            return await self.take(channel, interval, local_now, count)
        return max(0.0, float(row[0]) - float(row[1]))

    async def hold(self, channel: str, seconds: float, local_now: float) -> None:
        """The platform asked to wait (429): nobody takes a moment before `seconds` from now."""
        until = self._now(local_now) + seconds
        await self.session.execute(
            update(SendSchedule)
            .where(SendSchedule.channel == channel)
            .values(next_at=case((SendSchedule.next_at > until, SendSchedule.next_at), else_=until))
        )

    async def _create(self, channel: str, local_now: float) -> None:
        try:
            async with self.session.begin_nested():
                now = (await self.session.execute(select(self._now(local_now)))).scalar_one()
                self.session.add(SendSchedule(channel=channel, next_at=float(now)))
        except IntegrityError:
            pass  # another process created it first
