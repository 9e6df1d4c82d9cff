"""The member-count check: members now against last month's report moved by the month's changes.

A gap is not refused (people come of age, move, come back): the secretary confirms the figure
with a reason, which the district sees as a flag, or changes it.
"""

from __future__ import annotations

from typing import Any

from bot.engine.context import Context
from bot.i18n import REFERENCE, period_text
from bot.periods import previous_period, shift
from handlers.report import answers as parse
from handlers.report.working import Working, load_working, store_working
from handlers.reports.checks import balance_rules, member_gap
from handlers.reports.form import Form
from storage.models import MonthlyReport
from storage.repositories.history import ReportHistoryRepository

CONFIRM, CHANGE, KEEP = "bal:yes", "bal:fix", "bal:keep"


async def previous_figure(
    ctx: Context, report: MonthlyReport, form: Form, key: str
) -> tuple[int, str] | None:
    """The figure for `key` of the branch's last sent report (within the history's months) and
    its month. After a missed month the count is compared across the months in between: what
    happened in them is unknown, so a difference is a question with a reason, never a refusal."""
    months = form.history.months
    rows = await ctx.repo(ReportHistoryRepository).own(report.branch_id, report.period, 1)
    if not rows or rows[0][0] < shift(report.period, -months):
        return None
    period, answers = rows[0]
    value = answers.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    return value, period


async def check(
    ctx: Context, report: MonthlyReport, form: Form, working: Working, key: str
) -> tuple[Working, dict[str, Any] | None]:
    """After `key` was answered: the working copy (an outdated confirmation dropped) and, when
    the count does not add up, what the confirmation step needs."""
    for rule in balance_rules(form):
        if key not in (rule.field, rule.admitted, rule.transferred_in, rule.transferred_out):
            continue
        old = next((f for f in working.flags if f.get("code") == rule.code), None)
        flags = [f for f in working.flags if f.get("code") != rule.code]
        previous = await previous_figure(ctx, report, form, rule.field)
        gap = member_gap(rule, working.answers, previous[0] if previous else None)
        if gap is None or previous is None:
            working = Working(working.answers, flags)
            continue
        values: dict[str, Any] = {
            "previous": gap.previous,
            "expected": gap.expected,
            "reported": gap.reported,
        }
        if previous[1] != previous_period(report.period):
            values["since"] = period_text(previous[1])
        reason = old.get("reason") if old else None
        if reason and old and note(ctx, rule.code, values, reason) == old.get("note"):
            continue  # the same gap, already explained: nothing to ask again
        return Working(working.answers, flags), {
            "gap": values,
            "after": key,
            "balance_field": rule.field,
            "balance_code": rule.code,
            "old_reason": reason,
        }
    return working, None


def note(ctx: Context, code: str, gap: dict[str, Any], reason: str) -> str:
    """The flag's note for the district, in the reference language."""
    return ctx.catalog.t(REFERENCE, f"report.flag.{code}", reason=reason, **gap)


def ask(ctx: Context, confirmed: bool) -> None:
    """Is the figure right? — or, once confirmed, the reason (the one given before, if any,
    shown and kept with one tap)."""
    gap = ctx.data.get("gap", {})
    old = ctx.data.get("old_reason")
    if not confirmed and gap.get("since"):
        ctx.say("report.balance_since", period=gap["since"])
    if confirmed and old:
        keep = (ctx.choice(KEEP, "report.reason_keep"),)
        ctx.say("report.reason_question_again", choices=keep, reason=old, **gap)
        return
    if confirmed:
        ctx.say("report.reason_question", **gap)
        return
    choices = (
        ctx.choice(CONFIRM, "report.balance_yes"),
        ctx.choice(CHANGE, "report.balance_fix"),
    )
    ctx.say("report.balance_question", choices=choices, **gap)


async def keep_reason(ctx: Context, report: MonthlyReport) -> bool:
    """Keep the typed reason (or the one given before) as a flag for the district; False (and
    why) when unreadable."""
    old = ctx.data.get("old_reason")
    try:
        if ctx.input.choice == KEEP and isinstance(old, str) and old:
            reason = old
        else:
            reason = parse.parse_text(ctx.input.text, max_length=300)
    except parse.Unreadable as exc:
        ctx.say(exc.key, **exc.values)
        return False
    field = str(ctx.data.get("balance_field"))
    code = str(ctx.data.get("balance_code"))
    text = note(ctx, code, ctx.data.get("gap", {}), reason)
    working = load_working(ctx, report)
    flags = [f for f in working.flags if f.get("code") != code]
    flags.append({"field": field, "code": code, "note": text, "reason": reason})
    store_working(ctx, report, Working(working.answers, flags))
    ctx.say("report.reason_saved")
    return True


def retype(ctx: Context, report: MonthlyReport) -> str:
    """Sửa lại số đoàn viên: the questioned figure is taken out (it is no longer the answer),
    what it should be by last month is said, and the question to ask again is returned."""
    field = str(ctx.data.get("balance_field"))
    working = load_working(ctx, report)
    answers = {k: v for k, v in working.answers.items() if k != field}
    store_working(ctx, report, Working(answers, working.flags))
    ctx.say("report.balance_retype", **ctx.data.get("gap", {}))
    return field
