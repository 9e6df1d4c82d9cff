"""What a scorecard holds: per grassroots unit and branch, each criterion met or not, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from handlers.scorecard.judge import evaluate
from handlers.scorecard.measures import CriterionResult, Figures
from handlers.scorecard.rules import ScorecardRules


@dataclass(frozen=True)
class BranchScore:
    """Chi đoàn: its own figures and criteria, to tell which branches pull a unit down.

    Its criteria are judged when first read: the page and most chat answers never need them.
    """

    code: str
    name: str
    figures: Figures
    months: int
    rules: ScorecardRules = field(repr=False, compare=False)

    @cached_property
    def criteria(self) -> tuple[CriterionResult, ...]:
        return evaluate(self.rules, self.figures, self.months)

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
