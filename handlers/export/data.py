"""Loading what an export contains, and logging every export of names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.periods import period_end, period_start
from storage.models import (
    Branch,
    District,
    Evidence,
    MonthlyReport,
    YouthCase,
)
from storage.repositories.audit import AuditRepository
from storage.repositories.export import ExportRepository
from storage.repositories.org import OrgRepository
from storage.repositories.photo_fingerprints import PhotoDoubtView, PhotoFingerprints
from storage.repositories.reports import ReportRepository
from storage.uow import UnitOfWork


@dataclass
class ExportData:
    """One period's reports for one or more districts, one row per branch."""

    period: str
    rows: list[tuple[Branch, MonthlyReport | None]]
    evidence: list[tuple[Branch, MonthlyReport, Evidence]]
    youth: list[YouthCase] | None  # None: the reader may not see names
    # Doubts about photos (reused, taken long before), by evidence id.
    photo_doubts: dict[int, list[PhotoDoubtView]] = field(default_factory=dict)


async def load_export(
    uow: UnitOfWork, period: str, districts: list[District], *, with_youth: bool, tz: str
) -> ExportData:
    """Every branch of the districts with its report (or none), its photos, maybe the youth list."""
    org, reports = uow.get(OrgRepository), uow.get(ReportRepository)
    rows: list[tuple[Branch, MonthlyReport | None]] = []
    by_report: dict[int, tuple[Branch, MonthlyReport]] = {}
    for district in districts:
        found = {r.branch_id: r for r in await reports.for_district(district.id, period)}
        for branch in await org.branches_of_district(district.id):
            report = found.get(branch.id)
            rows.append((branch, report))
            if report is not None:
                by_report[report.id] = (branch, report)
    photos = await uow.get(ExportRepository).photos_of(by_report)
    evidence = [(*by_report[e.report_id], e) for e in photos]
    youth = await youth_list(uow, period, districts, tz) if with_youth else None
    doubts = await uow.get(PhotoFingerprints).doubts(e.id for e in photos)
    return ExportData(period, rows, evidence, youth, doubts)


async def youth_list(
    uow: UnitOfWork, period: str, districts: list[District], tz: str
) -> list[YouthCase]:
    """Cases followed at some time during the period (opened before its end, not closed before)."""
    start, end = period_start(period, tz), period_end(period, tz)
    return await uow.get(ExportRepository).youth_followed((d.id for d in districts), start, end)


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
