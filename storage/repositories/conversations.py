"""Conversation state and the processed-update log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Conversation, ProcessedUpdate


class ConversationRepository:
    """One row per chat, locked for the length of the update that is being handled."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, channel: str, chat_id: str) -> Conversation | None:
        return await self.session.scalar(
            select(Conversation)
            .where(Conversation.channel == channel, Conversation.chat_id == chat_id)
            .with_for_update()
        )

    async def get_or_create(self, channel: str, chat_id: str, now: datetime) -> Conversation:
        conv = await self.get(channel, chat_id)
        if conv is not None:
            return conv
        try:
            async with self.session.begin_nested():
                conv = Conversation(
                    channel=channel, chat_id=chat_id, data={}, choices=[], seq=0, updated_at=now
                )
                self.session.add(conv)
        except IntegrityError:
            # Another worker created it between our read and our insert.
            conv = await self.get(channel, chat_id)
            assert conv is not None
        return conv

    async def for_person(self, person_id: int) -> list[Conversation]:
        rows = await self.session.scalars(
            select(Conversation).where(Conversation.person_id == person_id)
        )
        return list(rows)


class AlreadyHandled(Exception):
    """Another worker recorded this update first: the unit of work must roll back."""


class UpdateLog:
    """Remembers handled update ids so a redelivered update changes nothing.

    The record is written in the same transaction as the update's effects, and last: if the
    handler fails, the update is not marked and its redelivery is handled again.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def seen(self, channel: str, update_id: str) -> bool:
        """Whether this update was already handled (committed)."""
        found = await self.session.scalar(
            select(ProcessedUpdate.update_id).where(
                ProcessedUpdate.channel == channel, ProcessedUpdate.update_id == update_id
            )
        )
        return found is not None

    async def record(self, channel: str, update_id: str, now: datetime) -> None:
        """Mark the update handled; raises `AlreadyHandled` when another worker did first."""
        try:
            async with self.session.begin_nested():
                self.session.add(
                    ProcessedUpdate(channel=channel, update_id=update_id, processed_at=now)
                )
        except IntegrityError:
            raise AlreadyHandled(f"{channel}:{update_id}") from None
