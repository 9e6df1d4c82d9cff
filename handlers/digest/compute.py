"""Computing the reporting table and the digest from the database (the way DHIS2 counts)."""

from __future__ import annotations

from bot.config import Settings
from bot.periods import deadline, period_end, period_start, shift
from handlers.digest.model import (
    Digest,
    Figure,
    ReportingTable,
    UnitStatus,
    YouthCounts,
)
from handlers.reports.figures import figure
from handlers.reports.form import Form, form_for
from handlers.reports.lifecycle import received
from handlers.reports.reasons import photo_reasons_in_district
from storage.models import District, MonthlyReport, ReportStatus
from storage.repositories.digest import CaseCounts, DigestRepository
from storage.repositories.org import OrgRepository
from storage.repositories.reports import ReportRepository
from storage.uow import UnitOfWork

TREND_MONTHS = 6


async def reporting_table(
    uow: UnitOfWork, district: District, period: str, settings: Settings, unit_id: int | None = None
) -> ReportingTable:
    """Expected, received and on-time reports per grassroots unit (one unit when `unit_id`)."""
    branches = await uow.get(OrgRepository).branches_of_district(district.id)
    reports = {
        r.branch_id: r for r in await uow.get(ReportRepository).for_district(district.id, period)
    }
    units: dict[int, UnitStatus] = {}
    for branch in branches:
        if unit_id is not None and branch.unit_id != unit_id:
            continue
        unit = units.setdefault(branch.unit_id, UnitStatus(branch.unit.code, branch.unit.name))
        unit.expected += 1
        report = reports.get(branch.id)
        if received(report):
            unit.received += 1
            unit.on_time += 0 if report is None or report.late else 1
        elif report is not None and report.status == ReportStatus.RETURNED:
            unit.returned.append(branch.name)
        else:
            unit.missing.append(branch.name)
    tz = settings.bot.timezone
    return ReportingTable(
        district.code,
        district.name,
        period,
        deadline(period, settings.reporting, tz),
        list(units.values()),
    )


def key_figures(form: Form, reports: list[MonthlyReport]) -> dict[str, int]:
    """The form's digest figures over received reports: numbers summed, yes answers counted
    (the reports whose meeting was held)."""
    questions = form.digest_fields()
    totals = {q.key: 0 for q in questions}
    for report in reports:
        if not received(report):
            continue
        answers = report.answers or {}
        for question in questions:
            totals[question.key] += figure(question, answers.get(question.key))
    return totals


def youth_counts(cases: list[CaseCounts], period: str, tz: str) -> YouthCounts:
    """Open now; new (opened) and closed within the period; each also by category."""
    start, end = period_start(period, tz), period_end(period, tz)
    counts = YouthCounts()
    for case in cases:
        flags = (
            case.status == "open",
            start <= case.created_at < end,
            case.closed_at is not None and start <= case.closed_at < end,
        )
        counts.open += flags[0]
        counts.new += flags[1]
        counts.closed += flags[2]
        if not any(flags):
            continue
        for category in case.categories or ["other"]:
            row = counts.by_category.setdefault(str(category), [0, 0, 0])
            for i, flag in enumerate(flags):
                row[i] += flag
    return counts


async def build_digest(
    uow: UnitOfWork, district: District, period: str, settings: Settings
) -> Digest:
    """The digest of one district for one period."""
    table = await reporting_table(uow, district, period, settings)
    form = form_for(settings)
    repo = uow.get(DigestRepository)
    reports = await uow.get(ReportRepository).for_district(district.id, period)
    before = await uow.get(ReportRepository).for_district(district.id, shift(period, -1))
    # Photos of drafts and returned reports are not counted: the key figures are not either.
    photos = await repo.received_photos(district.id, period)
    periods = [shift(period, -i) for i in range(TREND_MONTHS - 1, -1, -1)]
    by_period = await repo.received_by_period(district.id, periods)
    by_name = sorted(reports, key=lambda r: (r.branch.name, r.branch.unit.name))
    # A report is flagged by its own flags or by a doubt on one of its photos.
    doubtful = await photo_reasons_in_district(uow, district.id, period)
    # Months before the first received report have no data: None, not a 0% rate.
    first = next((i for i, p in enumerate(periods) if by_period[p]), len(periods) - 1)
    return Digest(
        table=table,
        figures=[Figure(q.key, q.digest_key) for q in form.digest_fields()],
        totals=key_figures(form, reports),
        previous=key_figures(form, before) if any(received(r) for r in before) else None,
        youth=youth_counts(await repo.youth_cases(district.id), period, settings.bot.timezone),
        photos=sum(photos.values()),
        branches_with_photos=sum(1 for count in photos.values() if count),
        flagged=[
            (r.branch.name, r.branch.unit.name)
            for r in by_name
            if (r.flags or r.id in doubtful) and r.status != ReportStatus.DRAFT
        ],
        returned=[r.branch.name for r in by_name if r.status == ReportStatus.RETURNED],
        trend=[
            (p, by_period[p] / table.expected if table.expected and i >= first else None)
            for i, p in enumerate(periods)
        ],
    )
