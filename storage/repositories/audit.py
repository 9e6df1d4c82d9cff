"""The audit log (nhật ký truy cập) of sensitive data: who read or changed what, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry


class AuditRepository:
    """Appends audit entries; entries are never changed or removed."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def record(
        self,
        *,
        at: datetime,
        person_id: int | None,
        action: str,
        subject: str,
        detail: dict[str, Any] | None = None,
    ) -> AuditEntry:
        """Add one entry; `detail` carries ids and field names, never the personal data itself."""
        entry = AuditEntry(
            at=at, person_id=person_id, action=action, subject=subject, detail=detail or {}
        )
        self.session.add(entry)
        return entry

    async def for_subject(self, subject: str) -> list[AuditEntry]:
        rows = await self.session.scalars(
            select(AuditEntry).where(AuditEntry.subject == subject).order_by(AuditEntry.id)
        )
        return list(rows)

    async def all(self) -> list[AuditEntry]:
        rows = await self.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return list(rows)
