"""The organisation tree: Huyện đoàn (district) → Đoàn cơ sở (unit) → Chi đoàn (branch)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base


class District(Base):
    """Huyện đoàn / Quận đoàn / Thị đoàn: the district-level union that receives reports."""

    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))

    units: Mapped[list[GrassrootsUnit]] = relationship(
        back_populates="district", order_by="GrassrootsUnit.code"
    )


class GrassrootsUnit(Base):
    """Đoàn cơ sở: a commune, ward, school, agency or enterprise union."""

    __tablename__ = "grassroots_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)

    district: Mapped[District] = relationship(back_populates="units")
    branches: Mapped[list[Branch]] = relationship(back_populates="unit", order_by="Branch.code")


class Branch(Base):
    """Chi đoàn: a hamlet, residential area, class or workshop branch; the unit that reports."""

    __tablename__ = "branches"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    unit_id: Mapped[int] = mapped_column(ForeignKey("grassroots_units.id"), index=True)

    unit: Mapped[GrassrootsUnit] = relationship(back_populates="branches")
