"""The outbox: enqueue proactive messages once per idempotency key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxMessage


class OutboxRepository:
    """Adding the same key twice adds nothing; the sender claims and marks rows."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def enqueue(
        self,
        *,
        key: str,
        kind: str,
        channel: str,
        chat_id: str,
        payload: dict[str, Any],
        now: datetime,
        person_id: int | None = None,
        available_at: datetime | None = None,
    ) -> bool:
        """Queue one message; False when a message with this key already exists."""
        if await self.session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)):
            return False
        try:
            async with self.session.begin_nested():
                self.session.add(
                    OutboxMessage(
                        key=key,
                        kind=kind,
                        channel=channel,
                        chat_id=chat_id,
                        person_id=person_id,
                        payload=payload,
                        status="queued",
                        attempts=0,
                        available_at=available_at or now,
                        created_at=now,
                    )
                )
        except IntegrityError:
            return False
        return True
