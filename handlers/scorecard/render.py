"""The scorecard as short chat text: a line per unit, the figures behind each criterion missed."""

from __future__ import annotations

from bot.i18n import Catalog, Formatter, decimal, names_per_group, percent
from handlers.scorecard.measures import CriterionResult, MeasureResult
from handlers.scorecard.model import Scorecard, UnitScore


def fmt_value(result: MeasureResult, value: float | None, locale: str) -> str:
    """A measure's value or bound as people read it: a percentage for shares, else a number."""
    if value is None:
        return "–"
    return decimal(value, locale) if result.per_year else percent(value)


def fmt_score(score: float, locale: str) -> str:
    """A score out of 100, without needless decimals."""
    return decimal(round(score, 1), locale)


def measure_text(result: MeasureResult, f: Formatter) -> str:
    """'đã nộp 21/24 báo cáo = 88% (cần ≥ 90%)'."""
    return f.t(
        f"scorecard.measure.{result.measure}",
        num=f.number(result.numerator),
        den=f.number(result.denominator),
        value=fmt_value(result, result.value, f.locale),
        bound=fmt_value(result, result.bound, f.locale),
        op="≥" if result.kind == "min" else "≤",
    )


def criterion_text(criterion: CriterionResult, f: Formatter) -> str:
    """The criterion's name and the figures of its measures that fail."""
    failing = [m for m in criterion.measures if not m.met] or list(criterion.measures)
    figures = "; ".join(measure_text(m, f) for m in failing)
    return f.t("scorecard.criterion_line", criterion=f.t(criterion.label_key), figures=figures)


def unit_lines(unit: UnitScore, f: Formatter, limit: int) -> list[str]:
    """The unit's verdict, then each criterion it misses with the branches that pull it down."""
    key = "scorecard.unit_met" if unit.met else "scorecard.unit_not_met"
    lines = [f.t(key, unit=unit.name, score=fmt_score(unit.score, f.locale))]
    for criterion in unit.criteria:
        if criterion.met:
            continue
        lines.append(criterion_text(criterion, f))
        weak = unit.weak_branches(criterion.key)
        if weak:
            lines.append(f.t("scorecard.weak_line", branches=f.names(weak, limit)))
    return lines


def required_names(card: Scorecard, f: Formatter) -> str:
    """The names of the required criteria, joined."""
    labels = {c.key: c.label_key for u in card.units for c in u.criteria}
    return ", ".join(f.t(labels[k]) for k in card.required if k in labels) or "–"


def scorecard_text(card: Scorecard, catalog: Catalog, locale: str) -> str:
    """The whole scorecard in one language: counts and branch names, never a youth's name."""
    f = Formatter(catalog, locale)
    t = f.t
    first, last = f.month(card.first), f.month(card.last)
    lines = [t("scorecard.title", district=card.district_name)]
    if not card.months:
        lines.append(t("scorecard.no_months", first=first, last=last))
        return "\n".join(lines)
    if not card.units:
        lines.append(t("scorecard.no_units"))
        return "\n".join(lines)
    lines.append(
        t(
            "scorecard.range_line",
            first=first,
            last=f.month(card.periods[-1]),
            months=card.months,
        )
    )
    lines.append(
        t(
            "scorecard.summary_line",
            met=card.met_units,
            units=len(card.units),
            min_score=fmt_score(card.min_score, locale),
            required=required_names(card, f),
        )
    )
    weak_lists = sum(1 for u in card.units for c in u.criteria if not c.met)
    limit = names_per_group(weak_lists)
    for unit in card.units:
        lines.append("")
        lines.extend(unit_lines(unit, f, limit))
    lines += ["", t("scorecard.rules_note", version=card.rules_version)]
    return "\n".join(lines)
