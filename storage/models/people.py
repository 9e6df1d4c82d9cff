"""People, the chat identities they write from, and the roles they hold."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, Timestamped
from storage.models.org import Branch, District, GrassrootsUnit


class Role(StrEnum):
    """What a person may do, and where."""

    SECRETARY = "secretary"  # Bí thư chi đoàn: reports for one branch
    UNIT_SECRETARY = "unit-secretary"  # Bí thư đoàn cơ sở: follows the branches of one unit
    LEADER = "leader"  # Ban Thường vụ Huyện đoàn: reads digests and reports of one district
    ADMIN = "admin"  # district admin: invites, reminders, broadcasts


class Person(Timestamped, Base):
    """Someone who talks to the bot; may write from several chat identities."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(255), default="")
    locale: Mapped[str | None] = mapped_column(String(8), default=None)

    identities: Mapped[list[ChatIdentity]] = relationship(back_populates="person")
    roles: Mapped[list[RoleAssignment]] = relationship(
        back_populates="person", order_by="RoleAssignment.id"
    )


class ChatIdentity(Timestamped, Base):
    """One account on one channel (Telegram user id, Zalo user id, console name)."""

    __tablename__ = "chat_identities"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
    chat_id: Mapped[str] = mapped_column(String(128))

    person: Mapped[Person] = relationship(back_populates="identities")


class RoleAssignment(Timestamped, Base):
    """A role held by a person over a branch, a grassroots unit or a district."""

    __tablename__ = "role_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"), default=None)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("grassroots_units.id"), default=None)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), default=None)
    active: Mapped[bool] = mapped_column(default=True)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)

    person: Mapped[Person] = relationship(back_populates="roles")
    branch: Mapped[Branch | None] = relationship()
    unit: Mapped[GrassrootsUnit | None] = relationship()
    district: Mapped[District | None] = relationship()
