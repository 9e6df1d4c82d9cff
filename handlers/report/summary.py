"""The summary before sending: every answer on one screen, then sending it with a receipt.

Helpers of the report flow: `send` says what happened and returns the question to go back to
when something must be fixed first; moving there is the flow's decision.
"""

from __future__ import annotations

from bot.engine.context import Context
from bot.engine.textnorm import plain
from bot.engine.types import Reply
from bot.i18n import period_text
from handlers.i18n import fmt
from handlers.notify.notifier import Notifier
from handlers.report import render
from handlers.report.working import (
    Working,
    flags_for_reader,
    load_working,
    missing_required,
    settle,
)
from handlers.reports import lifecycle, notices, trust
from handlers.reports.calendar import due, period_bounds, today
from handlers.reports.checks import check_all
from handlers.reports.form import Form
from storage.models import Branch, MonthlyReport
from storage.repositories.org import OrgRepository
from storage.repositories.reports import ReportRepository

SEND, CHANGE, LATER = "s:send", "s:edit", "s:later"


async def summary_text(ctx: Context, report: MonthlyReport, form: Form, working: Working) -> str:
    """Heading, numbered answers, photo counts, the district's notes, and what the history
    checks doubt (the secretary confirms by sending, or changes a line)."""
    branch = await ctx.repo(OrgRepository).branch(report.branch_id)
    photos = [e.item for e in await ctx.repo(ReportRepository).evidence(report.id)]
    heading = render.heading(ctx, report.period, branch.name if branch else "")
    flags = flags_for_reader(ctx, form, working)
    text = render.summary_text(ctx, form, working.answers, flags, photos, heading)
    if branch is None:
        return text
    history = await trust.read_history(ctx.uow, form, branch, report.period)
    found = trust.doubts(form, history, working.answers)
    if not found:
        return text
    lines = [ctx.t("report.doubts_heading")]
    for doubt in found:
        words = trust.doubt_text(ctx.catalog, ctx.locale, doubt)
        label = ctx.t(form.field(doubt.field).label_key) if form.has(doubt.field) else ""
        lines.append(f"• {label}: {words}" if label else f"• {words}")
    return text + "\n\n" + "\n".join(lines)


async def show(ctx: Context, report: MonthlyReport, form: Form, working: Working) -> None:
    """The summary with its three choices: send, change a line, later."""
    text = await summary_text(ctx, report, form, working)
    correcting = lifecycle.correcting(report)
    send = "report.send_correction" if correcting else "report.send"
    prompt = "report.summary_prompt_correction" if correcting else "report.summary_prompt"
    choices = (
        ctx.choice(SEND, send),
        ctx.choice(CHANGE, "report.change"),
        ctx.choice(LATER, "report.later"),
    )
    ctx.reply(Reply(text=text + "\n\n" + ctx.t(prompt), choices=choices))


def chosen(ctx: Context) -> str | None:
    """Send, change or later; "gửi báo cáo" typed while the button says "Gửi bản sửa" is send."""
    if ctx.input.choice is None and plain(ctx.input.text or "") in _send_words(ctx):
        return SEND
    return ctx.input.choice


def _send_words(ctx: Context) -> set[str]:
    """Typed words that mean "send", whichever of the two send buttons is shown."""
    return {plain(ctx.t("report.send")), plain(ctx.t("report.send_correction"))}


async def send(ctx: Context, report: MonthlyReport, form: Form) -> str | None:
    """Check everything once more, then submit and give the receipt. Returns the question to
    fix first (the reason was said), or None once the flow has ended (sent, unchanged, or
    locked meanwhile)."""
    f = fmt(ctx)
    if not lifecycle.editable(report, ctx.now, ctx.settings):
        ctx.end_flow()
        reason, limit = lifecycle.lock_reason(report, ctx.now, ctx.settings)
        ctx.say(f"report.{reason}", deadline=f.moment(limit))
        return None
    working = settle(ctx, form, load_working(ctx, report))
    missing = missing_required(form, working.answers)
    if missing is not None:
        ctx.say("report.missing", label=ctx.t(form.field(missing).label_key))
        return missing
    first, last = period_bounds(report.period, ctx.settings)
    now = today(ctx.now, ctx.settings)
    branch = await ctx.repo(OrgRepository).branch(report.branch_id)
    assert branch is not None
    history = await trust.read_history(ctx.uow, form, branch, report.period)
    refused = check_all(
        form,
        working.answers,
        period_first=first,
        period_last=last,
        today=now,
        first_report=history.first_report,
    )
    if refused is not None:
        key, problem = refused
        examples = render.question_values(ctx, form.field(key), report.period)
        ctx.say(problem.key, **{**examples, **problem.values})
        return key
    ctx.end_flow()
    if lifecycle.correcting(report) and lifecycle.unchanged(report, working.answers):
        until = f.moment(lifecycle.correctable_until(report, ctx.now, ctx.settings))
        ctx.say("report.no_change", deadline=until)  # no revision: the sent report stays as is
        return None
    found = trust.as_flags(ctx.catalog, trust.doubts(form, history, working.answers))
    flags = trust.merged_flags(working.flags, found)
    await _submit(ctx, report, form, branch, Working(working.answers, flags))
    return None


async def _submit(
    ctx: Context, report: MonthlyReport, form: Form, branch: Branch, working: Working
) -> None:
    """Gửi: record the report, then the receipt and until when it can still be corrected."""
    receipt = await lifecycle.submit(
        ctx.uow,
        report,
        branch,
        answers=working.answers,
        flags=working.flags,
        form_version=form.version,
        by_id=ctx.person.id if ctx.person else None,
        now=ctx.now,
        settings=ctx.settings,
    )
    if receipt.after_return:
        notifier = Notifier(ctx.uow, ctx.settings, ctx.catalog, ctx.now)
        await notices.tell_reviewer(
            notifier, report, branch, revision=receipt.number, correction=receipt.revision
        )
    f = fmt(ctx)
    ctx.say(
        "report.receipt_correction" if receipt.correction else "report.receipt",
        period=period_text(receipt.period),
        at=f.moment(receipt.at),
        reference=receipt.reference,
        revision=receipt.revision,
    )
    if receipt.late and not receipt.correction:
        ctx.say("report.receipt_late", deadline=f.moment(due(report.period, ctx.settings)))
    if lifecycle.editable(report, ctx.now, ctx.settings):
        # The same date the correction screen gives (the correction window or a reopening may
        # run past the deadline), and why it is later when the district extended it.
        until = f.moment(lifecycle.correctable_until(report, ctx.now, ctx.settings))
        why = await lifecycle.extended_by(ctx.uow, report, ctx.now, ctx.settings)
        ctx.say(render.correction_until_key("report.receipt_until", why), deadline=until)
    else:
        ctx.say("report.receipt_final")
