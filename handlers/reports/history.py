"""Figures against history (pure): the DHIS2 min–max / outlier idea, applied per branch.

Each check reads the report's answers beside what was sent before and returns `Doubt`s, never a
refusal: a figure far from the branch's own months (robust to one odd month: median and MAD),
a figure per member far above the district's other branches this month, a report identical to
the branch's previous one, free text identical to another branch's this month. The thresholds
are the form's `[history]` table (`handlers/reports/thresholds.py`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from statistics import median
from typing import Any

from bot.engine.textnorm import plain
from handlers.reports.form import FieldType, Form
from handlers.reports.thresholds import HistoryThresholds

#: The MAD times this estimates the standard deviation of normally spread figures.
MAD_SCALE = 1.4826


@dataclass(frozen=True)
class PastReport:
    """A report the branch sent before: its month and answers."""

    period: str
    answers: dict[str, Any]


@dataclass(frozen=True)
class PeerReport:
    """Another branch's sent report of the same month, in the same district."""

    branch_name: str
    unit_name: str
    answers: dict[str, Any]


@dataclass(frozen=True)
class Doubt:
    """Why a figure or a report is doubtful: the question (or "" for the whole report), a
    code (report.flag.<code>) and the values its words show."""

    field: str
    code: str
    values: dict[str, Any] = dataclass_field(default_factory=dict)


def number(value: Any) -> int | None:
    """A whole-number answer, or None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def figure_outliers(
    limits: HistoryThresholds, answers: dict[str, Any], past: Sequence[PastReport]
) -> list[Doubt]:
    """Each compared figure far from the branch's own sent months (needs `min_months`)."""
    doubts = []
    for key, slack in limits.floor.items():
        value = number(answers.get(key))
        seen = [v for p in past[: limits.months] if (v := number(p.answers.get(key))) is not None]
        if value is None or len(seen) < limits.min_months:
            continue
        low, high, usual = bounds(seen, limits, slack)
        if value > high or value < low:
            code = "history_high" if value > high else "history_low"
            doubts.append(Doubt(key, code, {"value": value, "usual": usual, "months": len(seen)}))
    return doubts


def bounds(seen: Sequence[int], limits: HistoryThresholds, slack: int) -> tuple[float, float, int]:
    """(lowest, highest) figures that raise no doubt, and the usual figure (the median).

    The band is the wider of `spread` scaled MADs and the median moved by `ratio` (so a steady
    branch, MAD 0, still has room), plus the slack: one odd month moves neither the median nor
    the MAD."""
    middle = float(median(seen))
    mad = float(median([abs(v - middle) for v in seen]))
    spread = limits.spread * MAD_SCALE * mad
    high = middle + max(spread, middle * (limits.ratio - 1)) + slack
    low = middle - max(spread, middle * (1 - 1 / limits.ratio)) - slack
    return low, high, round(middle)


def district_outliers(
    limits: HistoryThresholds,
    answers: dict[str, Any],
    members_key: str,
    peers: Sequence[PeerReport],
) -> list[Doubt]:
    """Each rate figure per member far above the district's other branches this month (once
    `district_min_reports` of them reported)."""
    members = number(answers.get(members_key))
    if not members or len(peers) < limits.district_min_reports:
        return []
    doubts = []
    for key, slack in limits.rates.items():
        value = number(answers.get(key))
        rates = [r for p in peers if (r := _rate(p.answers, key, members_key)) is not None]
        if value is None or len(rates) < limits.district_min_reports:
            continue
        usual = _percentile(rates, 0.9)
        if value > usual * limits.district_ratio * members + slack:
            per_member = round(value / members, 2)
            doubts.append(
                Doubt(key, "district_high", {"value": value, "rate": per_member, "usual": usual})
            )
    return doubts


def _rate(answers: dict[str, Any], key: str, members_key: str) -> float | None:
    value, members = number(answers.get(key)), number(answers.get(members_key))
    return value / members if value is not None and members else None


def _percentile(values: Sequence[float], share: float) -> float:
    """The value below which `share` of them lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def copied_previous(
    form: Form, limits: HistoryThresholds, answers: dict[str, Any], past: Sequence[PastReport]
) -> Doubt | None:
    """The same figures and text as the branch's last sent report (dates aside), when its free
    text is long enough to be more than a coincidence."""
    if not past or len(free_text(form, answers)) < limits.copy_min_chars:
        return None
    compared = [f.key for f in form.answer_fields() if f.type is not FieldType.DATE]
    before = past[0].answers
    if all(_same(answers.get(k), before.get(k)) for k in compared):
        return Doubt("", "same_as_previous", {"period": past[0].period})
    return None


def copied_text(
    form: Form, limits: HistoryThresholds, answers: dict[str, Any], peers: Sequence[PeerReport]
) -> Doubt | None:
    """Free text identical (once normalised) to another branch's report this month."""
    text = free_text(form, answers)
    if len(text) < limits.copy_min_chars:
        return None
    for peer in peers:
        if free_text(form, peer.answers) == text:
            return Doubt("", "copied_text", {"branch": peer.branch_name, "unit": peer.unit_name})
    return None


def free_text(form: Form, answers: dict[str, Any]) -> str:
    """The report's free text, normalised: every text answer joined, without diacritics, case,
    punctuation or repeated spaces."""
    parts: list[str] = []
    for question in form.answer_fields():
        if question.type not in (FieldType.TEXT, FieldType.LONGTEXT):
            continue
        value = answers.get(question.key)
        parts += value if isinstance(value, list) else [value] if isinstance(value, str) else []
    joined = plain(" ".join(str(p) for p in parts))
    return " ".join(re.sub(r"[^\w\s]", " ", joined).split())


def _same(a: Any, b: Any) -> bool:
    """Equal answers, an empty answer equal to a missing one."""
    return (a if a not in ("", []) else None) == (b if b not in ("", []) else None)
