"""The figures a scorecard counts per branch (summed per unit), and the measures made of them."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Literal

MONTHS_A_YEAR = 12


@dataclass(frozen=True)
class Figures:
    """Counts over a range of months for one branch (Chi đoàn), or summed for a unit.

    Never a name: youth cases are counted, not listed.
    """

    branches: int = 0
    expected: int = 0  # reports expected: branches × months due
    received: int = 0  # submitted or approved
    on_time: int = 0
    meetings: int = 0  # reports saying the monthly meeting was held
    attendance: int = 0  # people at those meetings
    attendance_base: int = 0  # members of the branches at those meetings
    one_plus_one: int = 0  # young people gathered under "1+1"
    members: int = 0  # members in the latest received report
    projects: int = 0  # youth projects (công trình, phần việc thanh niên)
    admitted: int = 0
    reporting: int = 0  # branches with at least one received report
    balanced: int = 0  # … whose member count adds up over the range
    party_introduced: int = 0
    cases_followed: int = 0  # difficult-youth cases open at some time in the range
    cases_reviewed: int = 0  # … with any entry in their history during the range
    cases_helped: int = 0  # … with help recorded during the range
    meetings_with_photos: int = 0
    projects_with_photos: int = 0
    reused_flagged: int = 0  # received reports flagged for a photo used before

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(Figures)}
        )


@dataclass(frozen=True)
class MeasureSpec:
    """A measure is numerator / denominator, optionally turned into a yearly figure."""

    numerator: str
    denominator: str
    per_year: bool = False


#: Every measure a rules file may name, and what it divides.
MEASURES: dict[str, MeasureSpec] = {
    "reporting_rate": MeasureSpec("received", "expected"),
    "on_time_rate": MeasureSpec("on_time", "expected"),
    "meetings_rate": MeasureSpec("meetings", "expected"),
    "attendance_rate": MeasureSpec("attendance", "attendance_base"),
    "one_plus_one_per_member": MeasureSpec("one_plus_one", "members", per_year=True),
    "projects_per_branch": MeasureSpec("projects", "branches", per_year=True),
    "admitted_per_branch": MeasureSpec("admitted", "branches", per_year=True),
    "balanced_share": MeasureSpec("balanced", "reporting"),
    "youth_reviewed_share": MeasureSpec("cases_reviewed", "cases_followed"),
    "youth_helped_share": MeasureSpec("cases_helped", "cases_followed"),
    "party_per_branch": MeasureSpec("party_introduced", "branches", per_year=True),
    "meeting_photo_share": MeasureSpec("meetings_with_photos", "meetings"),
    "project_photo_share": MeasureSpec("projects_with_photos", "projects"),
    "reused_photo_share": MeasureSpec("reused_flagged", "received"),
}


@dataclass(frozen=True)
class MeasureResult:
    """One figure behind a verdict: what was counted, the value, the bound, and whether it holds."""

    measure: str
    numerator: int
    denominator: int
    value: float | None  # None: nothing to count, so the bound holds
    bound: float
    kind: Literal["min", "max"]
    per_year: bool
    met: bool


def measure(
    name: str, figures: Figures, months: int, bound: float, kind: Literal["min", "max"]
) -> MeasureResult:
    """Compute one measure and compare it with its bound."""
    spec = MEASURES[name]
    numerator = getattr(figures, spec.numerator)
    denominator = getattr(figures, spec.denominator)
    value: float | None = None
    if denominator and months:
        value = numerator / denominator
        if spec.per_year:
            value *= MONTHS_A_YEAR / months
    if value is None:
        met = True
    else:
        # Rounded so that 0.8 counted as 4/5 is not refused by a floating-point hair.
        met = round(value, 9) >= bound if kind == "min" else round(value, 9) <= bound
    return MeasureResult(name, numerator, denominator, value, bound, kind, spec.per_year, met)


@dataclass(frozen=True)
class CriterionResult:
    """One criterion for one unit or branch: met when every measure holds."""

    key: str
    ref: str
    label_key: str
    weight: float
    measures: tuple[MeasureResult, ...]

    @property
    def met(self) -> bool:
        return all(m.met for m in self.measures)
