"""Computing the "3 chủ động" scorecard of a district from its received monthly reports."""

from __future__ import annotations

from datetime import datetime
from fnmatch import fnmatchcase
from typing import Any

from bot.config import Settings
from bot.periods import period_end, period_start, shift
from handlers.reports.calendar import due, reporting_period
from handlers.scorecard.judge import evaluate, verdict
from handlers.scorecard.measures import Figures
from handlers.scorecard.model import BranchScore, Scorecard, UnitScore
from handlers.scorecard.rules import ScorecardRules, load_rules
from storage.models import District
from storage.repositories.scorecard import (
    AnswerKeys,
    BranchRow,
    FlaggedReport,
    ScorecardRepository,
)
from storage.uow import UnitOfWork


def rules_of(settings: Settings) -> ScorecardRules:
    """The province's rules (reporting.scorecard_file) or the built-in ones."""
    return load_rules(settings.reporting.scorecard_file)


def months_between(first: str, last: str) -> list[str]:
    """Every month from `first` to `last`, both included."""
    months, period = [], first
    while period <= last:
        months.append(period)
        period = shift(period, 1)
    return months


def due_periods(first: str, last: str, now: datetime, settings: Settings) -> list[str]:
    """The months of the range whose report was due by `now`: a month still open counts later."""
    return [p for p in months_between(first, last) if due(p, settings) <= now]


def reused_counts(rules: ScorecardRules, flagged: list[FlaggedReport]) -> dict[int, int]:
    """Per branch: received reports with a flag saying a photo was used before."""
    patterns = rules.evidence.reused_flags
    counts: dict[int, int] = {}
    for report in flagged:
        codes = [str(f.get("code", "")) for f in report.flags if isinstance(f, dict)]
        if any(fnmatchcase(code, p) for code in codes for p in patterns):
            counts[report.branch_id] = counts.get(report.branch_id, 0) + 1
    return counts


async def _branch_figures(
    uow: UnitOfWork,
    district: District,
    periods: list[str],
    rules: ScorecardRules,
    settings: Settings,
) -> dict[int, dict[str, Any]]:
    """The SQL sums per branch, merged into Figures field values."""
    if not periods:
        return {}
    repo = uow.get(ScorecardRepository)
    keys = AnswerKeys(**rules.fields.model_dump())
    tz = settings.bot.timezone
    sums = await repo.report_sums(district.id, periods, keys)
    bounds = await repo.member_bounds(district.id, periods, keys)
    photos = await repo.photo_sums(
        district.id,
        periods,
        keys.meeting_held,
        rules.evidence.meeting_item,
        rules.evidence.project_item_prefix,
    )
    reused = reused_counts(rules, await repo.flagged(district.id, periods))
    youth = await repo.youth_sums(
        district.id, period_start(periods[0], tz), period_end(periods[-1], tz)
    )
    merged: dict[int, dict[str, Any]] = {}
    for branch_id in {*sums, *youth}:
        row = dict(sums.get(branch_id, {}))
        moves = row.pop("moves", 0)
        first_members, first_moves, last_members = bounds.get(branch_id, (0, 0, 0))
        if row.get("received"):
            row["reporting"] = 1
            row["members"] = last_members
            row["balanced"] = int(first_members - first_moves + moves == last_members)
        meetings_photo, projects_photo = photos.get(branch_id, (0, 0))
        row["meetings_with_photos"] = meetings_photo
        row["projects_with_photos"] = min(projects_photo, row.get("projects", 0))
        row["reused_flagged"] = reused.get(branch_id, 0)
        row["cases_followed"], row["cases_reviewed"], row["cases_helped"] = youth.get(
            branch_id, (0, 0, 0)
        )
        merged[branch_id] = row
    return merged


def _branch_score(
    branch: BranchRow, values: dict[str, Any], rules: ScorecardRules, months: int
) -> BranchScore:
    figures = Figures(branches=1, expected=months, **values)
    return BranchScore(branch.code, branch.name, figures, months, rules)


async def build_scorecard(
    uow: UnitOfWork,
    district: District,
    first: str,
    last: str,
    now: datetime,
    settings: Settings,
    rules: ScorecardRules | None = None,
) -> Scorecard:
    """The district's scorecard for the months `first`..`last` that are due by `now`."""
    rules = rules or rules_of(settings)
    periods = due_periods(first, last, now, settings)
    months = len(periods)
    values = await _branch_figures(uow, district, periods, rules, settings)
    by_unit: dict[int, list[BranchScore]] = {}
    units: dict[int, tuple[str, str]] = {}
    for branch in await uow.get(ScorecardRepository).branches(district.id):
        units.setdefault(branch.unit_id, (branch.unit_code, branch.unit_name))
        scored = _branch_score(branch, values.get(branch.id, {}), rules, months)
        by_unit.setdefault(branch.unit_id, []).append(scored)
    results = []
    for unit_id, (code, name) in units.items():
        branches = tuple(by_unit[unit_id])
        figures = sum((b.figures for b in branches), Figures())
        criteria = evaluate(rules, figures, months)
        score, met = verdict(rules, criteria)
        results.append(UnitScore(code, name, figures, criteria, score, met, branches))
    return Scorecard(
        district.code,
        district.name,
        first,
        last,
        tuple(periods),
        rules.version,
        rules.overall.min_score,
        rules.overall.required,
        tuple(results),
    )


def year_range(year: int) -> tuple[str, str]:
    """January to December of `year`."""
    return f"{year:04d}-01", f"{year:04d}-12"


def default_year(now: datetime, settings: Settings) -> int:
    """The year of the latest month already due: in early January, last year's verdict."""
    period = reporting_period(now, settings)
    if due(period, settings) > now:
        period = shift(period, -1)
    return int(period[:4])
