"""Reading and writing the organisation tree."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import Branch, District, GrassrootsUnit


def norm(code: str) -> str:
    """Codes are stored upper case (the importer does it): 'ph-tl-01' finds 'PH-TL-01'."""
    return code.strip().upper()


class OrgRepository:
    """Districts, grassroots units and branches, found by their stable codes."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def districts(self, *, with_branches: bool = True) -> list[District]:
        """Every district by code; its units and branches loaded unless told not to."""
        query = select(District).order_by(District.code)
        if with_branches:
            query = query.options(
                selectinload(District.units).selectinload(GrassrootsUnit.branches)
            )
        return list(await self.session.scalars(query))

    async def district(self, district_id: int) -> District | None:
        return await self.session.get(District, district_id)

    async def list_districts(self) -> list[District]:
        """Every district by code, without loading its units and branches (national size)."""
        return list(await self.session.scalars(select(District).order_by(District.code)))

    async def district_by_code(self, code: str) -> District | None:
        return await self.session.scalar(select(District).where(District.code == norm(code)))

    async def unit_by_code(self, code: str) -> GrassrootsUnit | None:
        return await self.session.scalar(
            select(GrassrootsUnit)
            .options(selectinload(GrassrootsUnit.district))
            .where(GrassrootsUnit.code == norm(code))
        )

    async def branch_by_code(self, code: str) -> Branch | None:
        return await self.session.scalar(
            select(Branch)
            .options(selectinload(Branch.unit).selectinload(GrassrootsUnit.district))
            .where(Branch.code == norm(code))
        )

    async def branch(self, branch_id: int) -> Branch | None:
        return await self.session.scalar(
            select(Branch)
            .options(selectinload(Branch.unit).selectinload(GrassrootsUnit.district))
            .where(Branch.id == branch_id)
        )

    async def branches_of_district(self, district_id: int) -> list[Branch]:
        rows = await self.session.scalars(
            select(Branch)
            .join(GrassrootsUnit)
            .options(selectinload(Branch.unit))
            .where(GrassrootsUnit.district_id == district_id)
            .order_by(GrassrootsUnit.code, Branch.code)
        )
        return list(rows)

    async def count_districts(self) -> int:
        return int(await self.session.scalar(select(func.count(District.id))) or 0)

    def add(self, item: District | GrassrootsUnit | Branch) -> None:
        self.session.add(item)
