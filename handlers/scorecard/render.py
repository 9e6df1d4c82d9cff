"""The scorecard as short chat text: a line per unit, the figures behind each criterion missed."""

from __future__ import annotations

from bot.i18n import Catalog
from bot.periods import period_label
from handlers.digest.numbers import fmt_int, fmt_pct
from handlers.digest.render import Translate, names, names_per_group, translator
from handlers.scorecard.measures import CriterionResult, MeasureResult
from handlers.scorecard.model import Scorecard, UnitScore


def fmt_decimal(value: float, locale: str) -> str:
    """0.583 → '0,58' (vi) or '0.58' (en); whole numbers without decimals."""
    text = f"{value:.0f}" if abs(value - round(value)) < 0.005 else f"{value:.2f}".rstrip("0")
    return text.replace(".", ",") if locale == "vi" else text


def fmt_value(result: MeasureResult, value: float | None, locale: str) -> str:
    """A measure's value or bound as people read it: a percentage for shares, else a number."""
    if value is None:
        return "–"
    return fmt_decimal(value, locale) if result.per_year else fmt_pct(value)


def fmt_score(score: float, locale: str) -> str:
    """A score out of 100, without needless decimals."""
    return fmt_decimal(round(score, 1), locale)


def measure_text(result: MeasureResult, t: Translate, locale: str) -> str:
    """'đã nộp 21/24 báo cáo = 88% (cần ≥ 90%)'."""
    return t(
        f"scorecard.measure.{result.measure}",
        num=fmt_int(result.numerator, locale),
        den=fmt_int(result.denominator, locale),
        value=fmt_value(result, result.value, locale),
        bound=fmt_value(result, result.bound, locale),
        op="≥" if result.kind == "min" else "≤",
    )


def criterion_text(criterion: CriterionResult, t: Translate, locale: str) -> str:
    """The criterion's name and the figures of its measures that fail."""
    failing = [m for m in criterion.measures if not m.met] or list(criterion.measures)
    figures = "; ".join(measure_text(m, t, locale) for m in failing)
    return t("scorecard.criterion_line", criterion=t(criterion.label_key), figures=figures)


def unit_lines(unit: UnitScore, t: Translate, locale: str, limit: int) -> list[str]:
    """The unit's verdict, then each criterion it misses with the branches that pull it down."""
    key = "scorecard.unit_met" if unit.met else "scorecard.unit_not_met"
    lines = [t(key, unit=unit.name, score=fmt_score(unit.score, locale))]
    for criterion in unit.criteria:
        if criterion.met:
            continue
        lines.append(criterion_text(criterion, t, locale))
        weak = unit.weak_branches(criterion.key)
        if weak:
            lines.append(t("scorecard.weak_line", branches=names(weak, limit, t)))
    return lines


def required_names(card: Scorecard, t: Translate) -> str:
    """The names of the required criteria, joined."""
    labels = {c.key: c.label_key for u in card.units for c in u.criteria}
    return ", ".join(t(labels[k]) for k in card.required if k in labels) or "–"


def scorecard_text(card: Scorecard, catalog: Catalog, locale: str) -> str:
    """The whole scorecard in one language: counts and branch names, never a youth's name."""
    t = translator(catalog, locale)
    first, last = period_label(card.first), period_label(card.last)
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
            last=period_label(card.periods[-1]),
            months=card.months,
        )
    )
    lines.append(
        t(
            "scorecard.summary_line",
            met=card.met_units,
            units=len(card.units),
            min_score=fmt_score(card.min_score, locale),
            required=required_names(card, t),
        )
    )
    weak_lists = sum(1 for u in card.units for c in u.criteria if not c.met)
    limit = names_per_group(weak_lists)
    for unit in card.units:
        lines.append("")
        lines.extend(unit_lines(unit, t, locale, limit))
    lines += ["", t("scorecard.rules_note", version=card.rules_version)]
    return "\n".join(lines)
