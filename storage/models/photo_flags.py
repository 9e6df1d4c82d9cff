"""Doubts about photo evidence (ảnh minh chứng) that the district should see; never refusals."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Timestamped


class PhotoDoubt(StrEnum):
    """Why a photo is flagged."""

    REUSED = "reused"  # the picture was already used in another report (any branch, any month)
    TAKEN_LONG_BEFORE = "taken_long_before"  # its camera date is long before the report's month


class PhotoMatch(StrEnum):
    """How a reused photo matched its first use."""

    EXACT = "exact"  # the same file, byte for byte (same SHA-256)
    SIMILAR = "similar"  # the same picture recompressed, resized, cropped or framed


class PhotoFlag(Timestamped, Base):
    """One doubt about one photo: what, and for a reused photo, its first use."""

    __tablename__ = "photo_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    match: Mapped[str | None] = mapped_column(String(16), default=None)
    # The earliest evidence row in another report showing the same picture.
    origin_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"), default=None)
    # pHash bits apart from the first use (0 for the same file).
    distance: Mapped[int | None] = mapped_column(default=None)
    taken_at: Mapped[datetime | None] = mapped_column(default=None)
