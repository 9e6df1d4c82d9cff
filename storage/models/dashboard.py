"""Links to the district dashboard (bảng điều khiển): who got one, which district, until when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, Timestamped
from storage.models.org import District


class DashboardLink(Timestamped, Base):
    """One signed link sent by /bangdieukhien; it opens the page until it expires or is revoked."""

    __tablename__ = "dashboard_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The random part of the link; the signature over it and the district lives only in the link.
    token_id: Mapped[str] = mapped_column(String(32), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"))
    locale: Mapped[str] = mapped_column(String(8), default="vi")
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)

    district: Mapped[District] = relationship()
