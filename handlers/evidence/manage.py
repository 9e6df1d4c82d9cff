"""A secretary's own photos of a report (ảnh minh chứng đã gửi): moved to another item, removed.

Domain operations on primitives (a unit of work, the moment), called by the /minhchung flow and
open to any other caller. Removing a photo keeps what the district sees consistent: its doubts
go with it, a photo elsewhere that was flagged as reusing it points at the next earliest use of
the picture (or is no longer flagged when none is left), and the removal is audited. The file
itself stays under data/media (it is stored once by content and may serve other reports), so
sending the same photo again works as for any new photo.
"""

from __future__ import annotations

from datetime import datetime

from bot.photo_index import NearDuplicateIndex
from handlers.evidence.checks import forget_first_use
from handlers.evidence.items import Item
from storage.models import Evidence, MonthlyReport
from storage.repositories.audit import AuditRepository
from storage.repositories.evidence import EvidenceRepository
from storage.uow import UnitOfWork


async def move_photo(
    uow: UnitOfWork, report: MonthlyReport, evidence_id: int, item: Item
) -> Evidence | None:
    """Say the photo proves `item` instead; None when the report has no such photo."""
    evidence = await uow.get(EvidenceRepository).of_report(report.id, evidence_id)
    if evidence is not None:
        evidence.item = item.stored
    return evidence


async def remove_photo(
    uow: UnitOfWork,
    report: MonthlyReport,
    evidence_id: int,
    *,
    by_id: int | None,
    now: datetime,
    index: NearDuplicateIndex,
) -> Evidence | None:
    """Take the photo out of the report (see the module docstring); None when the report has
    no such photo."""
    repo = uow.get(EvidenceRepository)
    evidence = await repo.of_report(report.id, evidence_id)
    if evidence is None:
        return None
    await forget_first_use(uow, evidence, index, await repo.flags_pointing_at(evidence.id))
    uow.get(AuditRepository).record(
        at=now,
        person_id=by_id,
        action="evidence.remove",
        subject=f"evidence:{evidence.id}",
        detail={"report_id": report.id, "item": evidence.item, "sha256": evidence.sha256},
    )
    await repo.remove(evidence)
    return evidence
