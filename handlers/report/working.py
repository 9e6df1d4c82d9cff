"""The answers being worked on: read from typed text, checked, and saved as each is given."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.engine.context import Context
from bot.i18n import REFERENCE, number
from handlers.report import answers as parse
from handlers.reports.checks import balance_rules, compute_flags, stale_after
from handlers.reports.form import FieldType, Form, FormField
from handlers.reports.lifecycle import correcting
from storage.models import MonthlyReport


def read_value(question: FormField, text: str, today: date, options: list[tuple[str, str]]) -> Any:
    """The typed text as this question's answer; raises `parse.Unreadable`.

    `options` are the choice question's (value, label) in the user's language.
    """
    kind = question.type
    if kind is FieldType.INT:
        value = parse.parse_money(text) if question.unit == "vnd" else parse.parse_int(text)
        low = question.min if question.min is not None else 0
        high = question.max
        if value < low or (high is not None and value > high):
            key = "report.expect.money_range" if question.unit else "report.expect.int_range"
            example = min(max(12, low), high if high is not None else 12)
            raise parse.Unreadable(key, min=number(low), max=number(high or value), example=example)
        return value
    if kind is FieldType.YESNO:
        return parse.parse_yesno(text)
    if kind is FieldType.DATE:
        return parse.parse_date(text, today).isoformat()
    if kind is FieldType.CHOICE:
        return parse.parse_option(text, options)
    if kind is FieldType.MULTICHOICE:
        return parse.parse_options(text, options)
    if kind is FieldType.LONGTEXT and question.lines:
        return parse.parse_lines(text, max_length=question.max_length)
    if kind is FieldType.LONGTEXT:
        return parse.parse_long_text(text, max_length=question.max_length)
    return parse.parse_text(text, max_length=question.max_length)


@dataclass
class Working:
    """The answers and flags being edited: the report's own, or a copy while correcting."""

    answers: dict[str, Any]
    flags: list[dict[str, str]] = field(default_factory=list)


def load_working(ctx: Context, report: MonthlyReport) -> Working:
    """The copy being corrected, or the report's own answers."""
    copy = ctx.data.get("copy")
    if correcting(report) and isinstance(copy, dict):
        return Working(dict(copy.get("answers", {})), list(copy.get("flags", [])))
    return Working(dict(report.answers or {}), list(report.flags or []))


def store_working(ctx: Context, report: MonthlyReport, working: Working) -> None:
    """Save in the same transaction as the conversation step (a correction stays a copy)."""
    if correcting(report):
        ctx.update(copy={"answers": working.answers, "flags": working.flags})
        return
    report.answers = dict(working.answers)
    report.flags = list(working.flags)
    report.updated_at = ctx.now


def apply_answer(ctx: Context, form: Form, working: Working, key: str, value: Any) -> Working:
    """The working copy with `key` answered: answers that no longer apply are dropped and the
    district's flags recomputed (a confirmed member-balance note is kept)."""
    answers = {**working.answers, key: value}
    for stale in stale_after(form, key, answers):
        answers.pop(stale, None)
    return settle(ctx, form, Working(answers, working.flags))


def skip_answer(ctx: Context, form: Form, working: Working, key: str) -> Working:
    """The working copy with `key` left blank on purpose: kept as None in the answers, so the
    skip survives /huy and a resume goes past it."""
    return settle(ctx, form, Working({**working.answers, key: None}, working.flags))


def settle(ctx: Context, form: Form, working: Working) -> Working:
    """Drop answers to questions that no longer apply; recompute the flags."""
    answers = dict(working.answers)
    while True:
        keep = {f.key for f in form.applicable(answers)}
        gone = [k for k in answers if form.has(k) and k not in keep]
        if not gone:
            break
        for k in gone:
            del answers[k]
    confirmed_codes = {r.code for r in balance_rules(form)}
    kept = [f for f in working.flags if f.get("code") in confirmed_codes]
    flags = kept + compute_flags(form, answers, lambda k, v: ctx.catalog.t(REFERENCE, k, **v))
    return Working(answers, flags)


def flags_for_reader(ctx: Context, form: Form, working: Working) -> list[dict[str, str]]:
    """The flags with their notes in this person's language (a confirmed reason as typed)."""
    confirmed_codes = {r.code for r in balance_rules(form)}
    kept = [f for f in working.flags if f.get("code") in confirmed_codes]
    return kept + compute_flags(form, working.answers, lambda k, v: ctx.t(k, **v))


def missing_required(form: Form, answers: dict[str, Any]) -> str | None:
    """The first question that applies, must be answered and is not."""
    for question in form.applicable(answers):
        if (
            question.required
            and question.type is not FieldType.PHOTOS
            and answers.get(question.key) is None
        ):
            return question.key
    return None
