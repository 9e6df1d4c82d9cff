"""The persistent outbox: every proactive message (reminder, digest, broadcast) is a row here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Timestamped


class OutboxMessage(Timestamped, Base):
    """One message to one chat, sent at most once thanks to its idempotency key."""

    __tablename__ = "outbox"
    # What a sender claims: queued rows of one channel, due first.
    __table_args__ = (Index("ix_outbox_due", "status", "channel", "available_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    chat_id: Mapped[str] = mapped_column(String(128))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    # The rendered Reply: {"text", "choices": [[payload, label]], "photo": path, "document": path}
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    available_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None] = mapped_column(default=None)
    # The sender run ("name#run") holding the claim: a sender that starts again under the same
    # name knows its predecessor is gone and takes its claims back at once, without the lease.
    claimed_by: Mapped[str | None] = mapped_column(String(128), default=None)
    # Committed just before a send, cleared with its outcome. Still set after a crash: this one
    # message may have gone out; it is sent again (the only duplicate a crash can cause).
    attempted_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)


class SendSchedule(Base):
    """A bot's sending schedule (lịch gửi) per channel, shared by every process's outbox sender.

    `next_at` is the earliest moment (epoch seconds, on the database's clock) the next outbox
    message may go: each sender takes a moment with one atomic UPDATE that moves it on by the
    channel's interval, so N processes together stay within the bot's rate.
    """

    __tablename__ = "send_schedules"

    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_at: Mapped[float] = mapped_column(Float)
