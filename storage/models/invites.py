"""Invite codes (mã mời) that turn a chat account into a secretary, leader or admin."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Timestamped


class Invite(Timestamped, Base):
    """A single-use, expiring code for one role over one place."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"), default=None)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("grassroots_units.id"), default=None)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), default=None)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)


class InviteFailure(Base):
    """A wrong code typed in one chat; five in ten minutes lock that chat out for a while."""

    __tablename__ = "invite_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    chat_id: Mapped[str] = mapped_column(String(128), index=True)
    at: Mapped[datetime]
