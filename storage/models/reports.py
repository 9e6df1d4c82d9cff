"""Monthly reports (báo cáo tháng), their revisions and their photo evidence (ảnh minh chứng)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, Timestamped, utcnow
from storage.models.org import Branch


class ReportStatus(StrEnum):
    """Where a monthly report stands."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class MonthlyReport(Timestamped, Base):
    """Báo cáo tháng: one per branch per period (YYYY-MM); answers keyed by form field."""

    __tablename__ = "monthly_reports"
    __table_args__ = (UniqueConstraint("branch_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    status: Mapped[str] = mapped_column(String(16), default=ReportStatus.DRAFT)
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Unusual-but-possible figures, flagged for the district: [{"field", "code", "note"}].
    flags: Mapped[list[Any]] = mapped_column(default=list)
    form_version: Mapped[str] = mapped_column(String(32), default="")
    reference: Mapped[str | None] = mapped_column(String(32), default=None, unique=True)
    submitted_at: Mapped[datetime | None] = mapped_column(default=None)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    late: Mapped[bool] = mapped_column(default=False)
    # Set by an admin to allow corrections after the deadline.
    reopened_until: Mapped[datetime | None] = mapped_column(default=None)
    review_comment: Mapped[str | None] = mapped_column(Text, default=None)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    reviewed_at: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    branch: Mapped[Branch] = relationship()
    revisions: Mapped[list[ReportRevision]] = relationship(
        back_populates="report", order_by="ReportRevision.number"
    )


class ReportRevision(Base):
    """Every submission, correction, return or approval of a report, with who and when."""

    __tablename__ = "report_revisions"
    __table_args__ = (UniqueConstraint("report_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("monthly_reports.id"), index=True)
    number: Mapped[int]
    action: Mapped[str] = mapped_column(String(16))
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    at: Mapped[datetime]

    report: Mapped[MonthlyReport] = relationship(back_populates="revisions")


class Evidence(Timestamped, Base):
    """Ảnh minh chứng: a content-addressed photo file attached to a report, maybe to an item."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("report_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("monthly_reports.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    mime: Mapped[str] = mapped_column(String(64))
    width: Mapped[int | None] = mapped_column(default=None)
    height: Mapped[int | None] = mapped_column(default=None)
    caption: Mapped[str | None] = mapped_column(Text, default=None)
    # What it proves: "meeting", "activity:2", or None for the report as a whole.
    item: Mapped[str | None] = mapped_column(String(64), default=None)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), default=None)
    # What the picture looks like (bot.media_fingerprint, as signed 64-bit) and the camera's
    # date; None for photos kept before fingerprints, or with nothing to recognise.
    phash: Mapped[int | None] = mapped_column(BigInteger, default=None)
    dhash: Mapped[int | None] = mapped_column(BigInteger, default=None)
    taken_at: Mapped[datetime | None] = mapped_column(default=None)
