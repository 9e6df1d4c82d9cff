"""Whether a report's figures can be trusted: its history read once, its doubts, its flags.

The one entry point for every caller (the chat's summary and send, later the CLI): two reads
(`ReportHistoryRepository.own` and `.district_month`), then the pure checks of
`handlers/reports/history.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.i18n import REFERENCE, Catalog, decimal, number
from bot.periods import shift
from handlers.reports.checks import balance_rules
from handlers.reports.form import Form
from handlers.reports.history import (
    Doubt,
    PastReport,
    PeerReport,
    copied_previous,
    copied_text,
    district_outliers,
    figure_outliers,
)
from handlers.reports.thresholds import HistoryThresholds
from storage.models import Branch
from storage.repositories.history import ReportHistoryRepository
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class History:
    """What the branch and its district sent before this report's month."""

    limits: HistoryThresholds
    past: list[PastReport]  # the branch's sent reports of the last `months` months, latest first
    peers: list[PeerReport]  # the district's other sent reports of the month
    first_report: bool  # the branch never sent a report before this month


async def read_history(uow: UnitOfWork, form: Form, branch: Branch, period: str) -> History:
    """The branch's and the district's history for `period` (two queries)."""
    district = branch.unit.district.code if branch.unit and branch.unit.district else None
    limits = form.history.for_district(district)
    repo = uow.get(ReportHistoryRepository)
    rows = await repo.own(branch.id, period, limits.months)
    oldest = shift(period, -limits.months)
    past = [PastReport(p, a) for p, a in rows if p >= oldest]
    peers = [PeerReport(b, u, a) for b, u, a in await repo.district_month(branch.id, period)]
    return History(limits, past, peers, first_report=not rows)


def doubts(form: Form, history: History, answers: dict[str, Any]) -> list[Doubt]:
    """Every doubt about these answers given the history, in a stable order."""
    limits = history.limits
    found = figure_outliers(limits, answers, history.past)
    members = balance_rules(form)[0].field if balance_rules(form) else None
    if members is not None:
        found += district_outliers(limits, answers, members, history.peers)
    for doubt in (
        copied_previous(form, limits, answers, history.past),
        copied_text(form, limits, answers, history.peers),
    ):
        if doubt is not None:
            found.append(doubt)
    return found


def shown_values(doubt: Doubt, locale: str) -> dict[str, Any]:
    """A doubt's values as its words show them: numbers grouped, rates with two decimals."""
    shown: dict[str, Any] = {}
    for key, value in doubt.values.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            shown[key] = value
        elif isinstance(value, float):
            shown[key] = decimal(value, locale)
        else:
            shown[key] = number(value, locale)
    if "period" in shown:
        year, month = str(shown["period"]).split("-")
        shown["period"] = f"{int(month)}/{year}"
    return shown


def doubt_text(catalog: Catalog, locale: str, doubt: Doubt) -> str:
    """A doubt in words, in `locale`."""
    return catalog.t(locale, f"report.flag.{doubt.code}", **shown_values(doubt, locale))


def as_flags(catalog: Catalog, found: list[Doubt]) -> list[dict[str, str]]:
    """The doubts as the report's flags for the district (notes in the reference language)."""
    return [
        {"field": d.field, "code": d.code, "note": doubt_text(catalog, REFERENCE, d)} for d in found
    ]


def merged_flags(kept: list[dict[str, str]], found: list[dict[str, str]]) -> list[dict[str, str]]:
    """The report's own flags, then the history's (one per field and code)."""
    seen = {(f.get("field"), f.get("code")) for f in kept}
    return [*kept, *(f for f in found if (f["field"], f["code"]) not in seen)]
