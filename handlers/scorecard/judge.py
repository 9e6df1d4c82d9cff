"""Judging figures against the rules: each criterion met or not, the score and the verdict."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.scorecard.measures import CriterionResult, Figures, measure
from handlers.scorecard.rules import ScorecardRules


def evaluate(rules: ScorecardRules, figures: Figures, months: int) -> tuple[CriterionResult, ...]:
    """Every criterion of the rules on these figures."""
    return tuple(
        CriterionResult(
            criterion.key,
            criterion.ref,
            criterion.label_key,
            criterion.weight,
            tuple(
                measure(m.measure, figures, months, m.bound, "max" if m.kind == "max" else "min")
                for m in criterion.measures
            ),
        )
        for criterion in rules.criteria
    )


def verdict(rules: ScorecardRules, criteria: Sequence[CriterionResult]) -> tuple[float, bool]:
    """The weighted score out of 100, and whether the unit is met as a whole."""
    score = 100 * sum(c.weight for c in criteria if c.met) / rules.total_weight
    required = all(c.met for c in criteria if c.key in rules.overall.required)
    return score, required and round(score, 9) >= rules.overall.min_score
