"""Dashboard links: stored when sent, looked up when opened, revoked on request."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import DashboardLink, Role, RoleAssignment

DISTRICT_ROLES = (Role.LEADER.value, Role.ADMIN.value)


class DashboardLinkRepository:
    """One row per link; never deleted, so a revoked link stays refused."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, link: DashboardLink) -> None:
        self.session.add(link)

    async def by_token(self, token_id: str) -> DashboardLink | None:
        return await self.session.scalar(
            select(DashboardLink)
            .options(selectinload(DashboardLink.district))
            .where(DashboardLink.token_id == token_id)
        )

    async def revoke_all(self, person_id: int, now: datetime) -> int:
        """Revoke the person's links still open; returns how many."""
        result = await self.session.execute(
            update(DashboardLink)
            .where(
                DashboardLink.person_id == person_id,
                DashboardLink.revoked_at.is_(None),
                DashboardLink.expires_at > now,
            )
            .values(revoked_at=now)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def leads(self, person_id: int, district_id: int) -> bool:
        """Whether the person still holds a leader or admin role over that district."""
        count = await self.session.scalar(
            select(func.count(RoleAssignment.id)).where(
                RoleAssignment.person_id == person_id,
                RoleAssignment.district_id == district_id,
                RoleAssignment.role.in_(DISTRICT_ROLES),
                RoleAssignment.active.is_(True),
            )
        )
        return bool(count)

    async def districts_with_live_links(self, now: datetime) -> list[int]:
        """Districts someone holds an unexpired, unrevoked link to (their pages may open soon)."""
        rows = await self.session.scalars(
            select(DashboardLink.district_id)
            .where(DashboardLink.expires_at > now, DashboardLink.revoked_at.is_(None))
            .distinct()
        )
        return list(rows)
