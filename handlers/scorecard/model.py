"""What a scorecard holds: per grassroots unit and branch, each criterion met or not, and why."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.scorecard.measures import Figures, MeasureResult


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


@dataclass(frozen=True)
class BranchScore:
    """Chi đoàn: its own figures and criteria, to tell which branches pull a unit down."""

    code: str
    name: str
    figures: Figures
    criteria: tuple[CriterionResult, ...]

    def criterion(self, key: str) -> CriterionResult:
        return next(c for c in self.criteria if c.key == key)


@dataclass(frozen=True)
class UnitScore:
    """Đoàn cơ sở: criteria met or not, the weighted score, and the verdict."""

    code: str
    name: str
    figures: Figures
    criteria: tuple[CriterionResult, ...]
    score: float  # 0–100: the weight of the criteria met, out of all weights
    met: bool
    branches: tuple[BranchScore, ...]

    def weak_branches(self, key: str) -> list[str]:
        """Names of the branches that do not meet criterion `key` on their own figures."""
        return [b.name for b in self.branches if not b.criterion(key).met]


@dataclass(frozen=True)
class Scorecard:
    """The scorecard of one district over a range of months."""

    district_code: str
    district_name: str
    first: str  # first month of the range, YYYY-MM
    last: str  # last month of the range
    periods: tuple[str, ...]  # the months in the range already due: the ones counted
    rules_version: str
    min_score: float
    required: tuple[str, ...]  # criteria a unit must meet whatever its score
    units: tuple[UnitScore, ...]

    @property
    def months(self) -> int:
        return len(self.periods)

    @property
    def met_units(self) -> int:
        return sum(1 for u in self.units if u.met)
