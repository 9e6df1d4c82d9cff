"""Queries for district operations: who to broadcast to, broadcast progress, reports to review."""

from __future__ import annotations

from sqlalchemy import case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import (
    AuditEntry,
    Branch,
    GrassrootsUnit,
    MonthlyReport,
    OutboxMessage,
    Person,
    ReportStatus,
    Role,
    RoleAssignment,
)
from storage.repositories.flags import flagged


class OpsRepository:
    """District-scoped reads for the admin and leader commands."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def district_secretaries(self, district_id: int) -> list[Person]:
        """Branch and unit secretaries (active) of the district, each once, with identities."""
        branch_ids = (
            select(Branch.id)
            .join(GrassrootsUnit, GrassrootsUnit.id == Branch.unit_id)
            .where(GrassrootsUnit.district_id == district_id)
        )
        unit_ids = select(GrassrootsUnit.id).where(GrassrootsUnit.district_id == district_id)
        holder_ids = select(RoleAssignment.person_id).where(
            RoleAssignment.active.is_(True),
            or_(
                (RoleAssignment.role == Role.SECRETARY.value)
                & RoleAssignment.branch_id.in_(branch_ids),
                (RoleAssignment.role == Role.UNIT_SECRETARY.value)
                & RoleAssignment.unit_id.in_(unit_ids),
            ),
        )
        rows = await self.session.scalars(
            select(Person)
            .options(selectinload(Person.identities))
            .where(Person.id.in_(holder_ids))
            .order_by(Person.id)
        )
        return list(rows)

    async def outbox_progress(self, key_prefix: str) -> dict[str, int]:
        """Outbox rows whose key starts with `key_prefix`, counted by status."""
        rows = await self.session.execute(
            select(OutboxMessage.status, func.count(OutboxMessage.id))
            .where(OutboxMessage.key.startswith(key_prefix, autoescape=True))
            .group_by(OutboxMessage.status)
        )
        return {status: int(count) for status, count in rows.all()}

    async def last_audit(self, action: str, subject: str) -> AuditEntry | None:
        """The latest audit entry of this action and subject."""
        return await self.session.scalar(
            select(AuditEntry)
            .where(AuditEntry.action == action, AuditEntry.subject == subject)
            .order_by(AuditEntry.id.desc())
            .limit(1)
        )

    async def audit_with(self, action: str, subject: str, marker: str) -> AuditEntry | None:
        """The audit entry of this action and subject whose detail id is `marker`."""
        rows = await self.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == action, AuditEntry.subject == subject)
            .order_by(AuditEntry.id.desc())
            .limit(50)
        )
        return next((row for row in rows if (row.detail or {}).get("id") == marker), None)

    async def count_to_review(self, district_id: int) -> int:
        """How many submitted reports of the district wait for review."""
        count = await self.session.scalar(
            select(func.count(MonthlyReport.id))
            .join(Branch, Branch.id == MonthlyReport.branch_id)
            .join(GrassrootsUnit, GrassrootsUnit.id == Branch.unit_id)
            .where(
                GrassrootsUnit.district_id == district_id,
                MonthlyReport.status == ReportStatus.SUBMITTED.value,
            )
        )
        return int(count or 0)

    async def to_review(self, district_id: int, limit: int) -> list[MonthlyReport]:
        """Submitted reports of the district waiting for review: the flagged ones first (a flag
        of the report or of a photo), then oldest submission first."""
        rows = await self.session.scalars(
            select(MonthlyReport)
            .join(Branch, Branch.id == MonthlyReport.branch_id)
            .join(GrassrootsUnit, GrassrootsUnit.id == Branch.unit_id)
            .options(selectinload(MonthlyReport.branch).selectinload(Branch.unit))
            .where(
                GrassrootsUnit.district_id == district_id,
                MonthlyReport.status == ReportStatus.SUBMITTED.value,
            )
            .order_by(case((flagged(), 0), else_=1), MonthlyReport.submitted_at, MonthlyReport.id)
            .limit(limit)
        )
        return list(rows)

    async def reopenable(self, district_id: int, limit: int) -> list[MonthlyReport]:
        """Approved or submitted reports of the district (mở lại được), latest month first."""
        rows = await self.session.scalars(
            select(MonthlyReport)
            .join(Branch, Branch.id == MonthlyReport.branch_id)
            .join(GrassrootsUnit, GrassrootsUnit.id == Branch.unit_id)
            .options(selectinload(MonthlyReport.branch).selectinload(Branch.unit))
            .where(
                GrassrootsUnit.district_id == district_id,
                MonthlyReport.status.in_(
                    [ReportStatus.APPROVED.value, ReportStatus.SUBMITTED.value]
                ),
            )
            .order_by(MonthlyReport.period.desc(), MonthlyReport.updated_at.desc())
            .limit(limit)
        )
        return list(rows)

    async def existing_keys(self, keys: list[str]) -> set[str]:
        """Which of these outbox keys are already queued or sent."""
        found: set[str] = set()
        for start in range(0, len(keys), 500):  # keep each IN list short
            rows = await self.session.scalars(
                select(OutboxMessage.key).where(OutboxMessage.key.in_(keys[start : start + 500]))
            )
            found.update(rows)
        return found
