"""Cross-field rules of the form: impossible figures refused, unusual ones flagged (pure)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.i18n import day, day_month
from handlers.reports.form import (
    CompareRule,
    DateInPeriodRule,
    FlagRule,
    Form,
    LineCountRule,
    MemberBalanceRule,
    rule_fields,
)

OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<=": operator.le,
    "<": operator.lt,
    ">=": operator.ge,
    ">": operator.gt,
    "==": operator.eq,
}


@dataclass(frozen=True)
class Problem:
    """Why an answer is refused: a message key and its values."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)
    #: The question to change first (a comparison's left side), when not the one checked.
    fix: str | None = None


@dataclass(frozen=True)
class Gap:
    """Members now differ from last month's count moved by admissions and transfers."""

    previous: int
    expected: int
    reported: int


def _number(value: Any) -> int | None:
    """A whole-number answer, or None (yes/no answers are not numbers)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def check_answer(
    form: Form,
    key: str,
    answers: dict[str, Any],
    *,
    period_first: date,
    period_last: date,
    today: date,
    first_report: bool = False,
) -> Problem | None:
    """The first refusing rule that reads `key`, given `answers` (holding the new answer);
    rules of a first report only when `first_report`."""
    for rule in form.rules:
        if key not in rule_fields(rule):
            continue
        if isinstance(rule, CompareRule) and rule.first_report and not first_report:
            continue
        problem: Problem | None = None
        if isinstance(rule, CompareRule):
            problem = _compare(rule, answers)
        elif isinstance(rule, DateInPeriodRule):
            problem = _date_in_period(rule, answers, period_first, period_last, today)
        elif isinstance(rule, LineCountRule) and key == rule.field:
            problem = _line_count(rule, answers)
        if problem is not None:
            return problem
    return None


def check_all(
    form: Form,
    answers: dict[str, Any],
    *,
    period_first: date,
    period_last: date,
    today: date,
    first_report: bool = False,
) -> tuple[str, Problem] | None:
    """Before submitting: the first applicable question whose answer a rule refuses."""
    for question in form.applicable(answers):
        if question.key in answers:
            problem = check_answer(
                form,
                question.key,
                answers,
                period_first=period_first,
                period_last=period_last,
                today=today,
                first_report=first_report,
            )
            if problem is not None:
                return problem.fix or question.key, problem
    return None


def _compare(rule: CompareRule, answers: dict[str, Any]) -> Problem | None:
    """Refused when both sides are known and the comparison fails."""
    left = _sum(answers, rule.left)
    right = rule.other if isinstance(rule.other, int) else _sum(answers, rule.right)
    if left is None or right is None or OPS[rule.op](left, right):
        return None
    return Problem(rule.message, {"left": left, "right": right}, fix=rule.left[0])


def _sum(answers: dict[str, Any], keys: list[str]) -> int | None:
    """The sum of these whole-number answers, or None while one is not given."""
    figures = [_number(answers.get(k)) for k in keys]
    return None if any(f is None for f in figures) else sum(f or 0 for f in figures)


def _date_in_period(
    rule: DateInPeriodRule, answers: dict[str, Any], first: date, last: date, today: date
) -> Problem | None:
    """Refused when the date is outside the month, or still to come."""
    value = answers.get(rule.field)
    if not isinstance(value, str):
        return None
    held = date.fromisoformat(value)
    shown = {"date": day(held), "first": day_month(first), "last": day(last)}
    if not first <= held <= last:
        return Problem(rule.message, shown)
    if held > today:
        return Problem(rule.future_message, shown)
    return None


def _line_count(rule: LineCountRule, answers: dict[str, Any]) -> Problem | None:
    """Refused when the list and its count disagree."""
    lines, count = answers.get(rule.field), _number(answers.get(rule.count))
    if not isinstance(lines, list) or count is None or len(lines) == count:
        return None
    return Problem(rule.message, {"count": count, "lines": len(lines)})


def expected_lines(form: Form, key: str, answers: dict[str, Any]) -> int | None:
    """How many lines the list `key` must have (the count answered for it), if a rule says."""
    for rule in form.rules:
        if isinstance(rule, LineCountRule) and rule.field == key:
            return _number(answers.get(rule.count))
    return None


def stale_after(form: Form, key: str, answers: dict[str, Any]) -> list[str]:
    """Answers a changed count makes wrong (a list of 3 projects when the count is now 2)."""
    stale = []
    for rule in form.rules:
        if isinstance(rule, LineCountRule) and rule.count == key and _line_count(rule, answers):
            stale.append(rule.field)
    return stale


def balance_rules(form: Form) -> list[MemberBalanceRule]:
    """The form's member-count rules."""
    return [r for r in form.rules if isinstance(r, MemberBalanceRule)]


def member_gap(
    rule: MemberBalanceRule, answers: dict[str, Any], previous: int | None
) -> Gap | None:
    """A gap between members now and last month's count moved by the month's changes."""
    figures = [
        _number(answers.get(k))
        for k in (rule.field, rule.admitted, rule.transferred_in, rule.transferred_out)
    ]
    if previous is None or any(f is None for f in figures):
        return None
    now, admitted, moved_in, moved_out = (f or 0 for f in figures)
    expected = previous + admitted + moved_in - moved_out
    return None if expected == now else Gap(previous, expected, now)


def compute_flags(
    form: Form, answers: dict[str, Any], note: Callable[[str, dict[str, Any]], str]
) -> list[dict[str, str]]:
    """Unusual-but-possible figures, as {"field", "code", "note"} for the district."""
    flags = []
    for rule in form.rules:
        if not isinstance(rule, FlagRule):
            continue
        value = _number(answers.get(rule.field))
        if value is None:
            continue
        base = _number(answers.get(rule.of)) if rule.of else 1
        if base is None:
            continue
        above = rule.above * base if rule.above is not None else None
        below = rule.below * base if rule.below is not None else None
        if (above is not None and value > above) or (below is not None and value < below):
            limit = above if above is not None and value > above else below
            values = {"value": value, "limit": round(limit or 0), "base": base}
            flags.append(
                {"field": rule.field, "code": rule.code, "note": note(rule.note_key, values)}
            )
    return flags
