"""Youth in difficult circumstances (thanh niên có hoàn cảnh khó khăn): sensitive data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, Timestamped, utcnow
from storage.models.org import Branch


class YouthCase(Timestamped, Base):
    """One young person in difficulty, followed by a branch; never hard-deleted."""

    __tablename__ = "youth_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(255))
    birth_year: Mapped[int | None] = mapped_column(default=None)
    sex: Mapped[str | None] = mapped_column(String(16), default=None)
    area: Mapped[str | None] = mapped_column(String(255), default=None)
    categories: Mapped[list[Any]] = mapped_column(default=list)
    situation: Mapped[str | None] = mapped_column(Text, default=None)
    help_needed: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[str] = mapped_column(String(16), default="open")
    close_reason: Mapped[str | None] = mapped_column(String(64), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    branch: Mapped[Branch] = relationship()
    events: Mapped[list[YouthCaseEvent]] = relationship(
        back_populates="case", order_by="YouthCaseEvent.id"
    )


class YouthCaseEvent(Base):
    """History of a case: created, updated, help given, closed."""

    __tablename__ = "youth_case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("youth_cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    at: Mapped[datetime]

    case: Mapped[YouthCase] = relationship(back_populates="events")


class AuditEntry(Base):
    """Who read or changed sensitive data, and when (Nghị định 13/2023/NĐ-CP)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(128))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
