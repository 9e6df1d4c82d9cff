"""Logging every export of names (the rows themselves stream from `ExportRepository`)."""

from __future__ import annotations

from datetime import datetime

from storage.models import District
from storage.repositories.audit import AuditRepository
from storage.uow import UnitOfWork


def record_youth_export(
    uow: UnitOfWork,
    *,
    person_id: int | None,
    districts: list[District],
    period: str,
    cases: int,
    now: datetime,
    via: str,
) -> None:
    """Write the export of names to the audit log (Nghị định 13/2023/NĐ-CP)."""
    uow.get(AuditRepository).record(
        at=now,
        person_id=person_id,
        action="export_youth",
        subject=",".join(f"district:{d.code}" for d in districts),
        detail={"period": period, "cases": cases, "via": via},
    )
