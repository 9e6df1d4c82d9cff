"""One answer to a question of the report: read from a button or typed text, and checked.

A helper of the report flow: it says why an answer is refused and returns what it read; the
flow saves it and moves on.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from bot.engine.context import Context
from bot.engine.types import InKind
from handlers.evidence.store import attach_photo
from handlers.i18n import fmt
from handlers.report import answers as parse
from handlers.report.render import question_values
from handlers.report.working import Working, apply_answer, load_working, read_value
from handlers.reports.calendar import period_bounds, today
from handlers.reports.checks import check_answer, expected_lines
from handlers.reports.display import option_labels
from handlers.reports.form import FieldType, Form, FormField
from storage.models import MonthlyReport


class NotYet(Enum):
    """No answer to save yet."""

    ASK_AGAIN = "ask"  # refused, or a choice toggled: the question is asked again
    WAIT = "wait"  # some lines of a list are in; the rest are awaited (already said)


@dataclass(frozen=True)
class Answered:
    """The working copy before the answer, and with it."""

    before: Working
    after: Working


_NOTHING = object()


async def read(
    ctx: Context, report: MonthlyReport, form: Form, question: FormField
) -> Answered | NotYet:
    """The input as this question's answer, checked against the form's rules."""
    if ctx.input.kind is InKind.PHOTO and ctx.input.photo is not None:
        caption = parse.clean_text(ctx.input.text)[:500] or None
        await attach_photo(ctx, report, ctx.input.photo, caption=caption)
        return NotYet.ASK_AGAIN
    working = load_working(ctx, report)
    value = chosen_value(ctx, question)
    if value is NotYet.ASK_AGAIN:
        return NotYet.ASK_AGAIN
    if value is _NOTHING:
        try:
            value = read_value(
                question,
                ctx.input.text,
                today(ctx.now, ctx.settings),
                option_labels(fmt(ctx), question),
            )
        except parse.Unreadable as exc:
            ctx.say(exc.key, **{**question_values(ctx, question, report.period), **exc.values})
            return NotYet.ASK_AGAIN
        tell_if_cut(ctx, question, value)
        if question.lines:
            value = gather_lines(ctx, form, working, question.key, value)
            if value is NotYet.WAIT:
                return NotYet.WAIT
    candidate = apply_answer(ctx, form, working, question.key, value)
    first, last = period_bounds(report.period, ctx.settings)
    problem = check_answer(
        form,
        question.key,
        candidate.answers,
        period_first=first,
        period_last=last,
        today=today(ctx.now, ctx.settings),
    )
    if problem is not None:
        ctx.say(problem.key, **{**question_values(ctx, question, report.period), **problem.values})
        return NotYet.ASK_AGAIN
    return Answered(working, candidate)


def chosen_value(ctx: Context, question: FormField) -> Any:
    """A pressed (or typed-and-matched) choice as the answer; multi-choice toggles."""
    choice = ctx.input.choice
    if choice is None:
        return _NOTHING
    prefix, _, rest = choice.partition(":")
    if prefix == "a" and question.type is FieldType.YESNO:
        return rest == "1"
    if prefix == "a" and rest in question.option_values():
        return rest
    if prefix == "m" and question.type is FieldType.MULTICHOICE:
        picked = list(ctx.data.get("picked", []))
        if not rest:
            return [v for v in question.option_values() if v in picked]
        if rest in question.option_values():
            picked = [p for p in picked if p != rest] if rest in picked else [*picked, rest]
            ctx.update(picked=picked)
            return NotYet.ASK_AGAIN
    ctx.say("common.stale_button")
    return NotYet.ASK_AGAIN


def tell_if_cut(ctx: Context, question: FormField, value: Any) -> None:
    """A long answer is kept up to its limit; say so, and how long it may be."""
    length = len(parse.clean_text(ctx.input.text))
    if question.type is FieldType.LONGTEXT and isinstance(value, str) and len(value) < length:
        ctx.say("report.long_cut", length=length, max=question.max_length, end=value[-40:])


def gather_lines(ctx: Context, form: Form, working: Working, key: str, lines: list[str]) -> Any:
    """Lines sent over several messages (one project per message on a phone) are kept in the
    conversation row until the count answered for them is reached."""
    partial = list(ctx.data.get("partial", [])) if ctx.data.get("partial_key") == key else []
    combined = [*partial, *lines]
    expected = expected_lines(form, key, working.answers)
    if partial and len(lines) == expected:
        return lines  # the whole list sent again in one message
    if expected is None or len(combined) >= expected:
        return combined
    ctx.update(partial=combined, partial_key=key)
    ctx.say("report.lines_so_far", n=len(combined), count=expected, next=len(combined) + 1)
    return NotYet.WAIT


def remind_lines(ctx: Context, form: Form, working: Working, key: str) -> None:
    """When asked again mid-list, say which lines are already kept."""
    partial = ctx.data.get("partial") if ctx.data.get("partial_key") == key else None
    expected = expected_lines(form, key, working.answers)
    if partial and expected:
        ctx.say("report.lines_kept", n=len(partial), count=expected, lines="; ".join(partial))
