"""How the report looks in a chat: a question with "Câu n/N", the summary, the photo prompt."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.engine.context import Context
from bot.engine.types import Choice, Reply
from bot.i18n import period_text
from handlers.evidence import items
from handlers.i18n import fmt
from handlers.reports.calendar import period_bounds, today
from handlers.reports.display import answer_text, option_labels
from handlers.reports.form import FieldType, Form, FormField
from handlers.reports.progress import question_number
from storage.models import MonthlyReport, ReportStatus

PHOTO_DONE = "ph:done"
STATUS_KEYS = {
    ReportStatus.DRAFT: "report.status.draft",
    ReportStatus.SUBMITTED: "report.status.submitted",
    ReportStatus.APPROVED: "report.status.approved",
    ReportStatus.RETURNED: "report.status.returned",
}


def status_text(ctx: Context, report: MonthlyReport | None) -> str:
    """'đã nộp', 'nộp trễ', 'bị trả lại', 'đã duyệt', 'đang soạn' or 'chưa bắt đầu'."""
    if report is None:
        return ctx.t("report.status.not_started")
    if report.status == ReportStatus.SUBMITTED and report.late:
        return ctx.t("report.status.late")
    return ctx.t(STATUS_KEYS.get(ReportStatus(report.status), "report.status.draft"))


def show_value(ctx: Context, question: FormField, value: Any) -> str:
    """An answer as the summary shows it."""
    return answer_text(fmt(ctx), question, value)


def numbered(ctx: Context, form: Form, key: str, text: str) -> str:
    """'Câu 3/18. <text>': the question's place in the whole form, then the question."""
    number, total = question_number(form, key)
    return ctx.t("report.progress", n=number, total=total) + " " + text


def date_examples(ctx: Context, period: str) -> str:
    """Example dates for the reported month: a day in it that has come ('15/11'), with
    "hôm qua" or "hôm nay" only when that day is in the month."""
    first, last = period_bounds(period, ctx.settings)
    now = today(ctx.now, ctx.settings)
    sample = max(first, min(first.replace(day=15), now, last))
    shown = f"{sample.day}/{sample.month}"
    if first <= now - timedelta(days=1) <= last:
        return ctx.t("report.date_example_yesterday", date=shown)
    if first <= now <= last:
        return ctx.t("report.date_example_today", date=shown)
    return ctx.t("report.date_example", date=shown)


def question_values(ctx: Context, question: FormField, period: str) -> dict[str, str]:
    """What a question's words, and the refusals of its answers, fill in: a date question's
    examples come from the reported month."""
    if question.type is FieldType.DATE:
        return {"examples": date_examples(ctx, period)}
    return {}


def question_reply(
    ctx: Context,
    form: Form,
    question: FormField,
    answers: dict[str, Any],
    picked: list[str],
    period: str,
) -> Reply:
    """The question with "Câu n/N", its current answer when going back, and its choices."""
    words = ctx.t(question.question_key, **question_values(ctx, question, period))
    lines = [numbered(ctx, form, question.key, words)]
    if question.key in answers and question.type is not FieldType.PHOTOS:
        shown = show_value(ctx, question, answers[question.key])
        lines.append(ctx.t("report.current_answer", value=shown))
    choices: tuple[Choice, ...] = ()
    options = option_labels(fmt(ctx), question)
    if question.type is FieldType.YESNO:
        choices = (ctx.choice("a:1", "report.yes"), ctx.choice("a:0", "report.no"))
    elif question.type is FieldType.CHOICE:
        choices = tuple(Choice(f"a:{v}", label) for v, label in options)
    elif question.type is FieldType.MULTICHOICE:
        chosen = ", ".join(label for v, label in options if v in picked) or ctx.t("report.none")
        lines.append(ctx.t("report.multi_hint", chosen=chosen))
        choices = (
            *(Choice(f"m:{v}", label) for v, label in options),
            ctx.choice("m:", "report.done"),
        )
    if not question.required:
        lines.append(ctx.t("report.optional_hint"))
    return Reply(text="\n".join(lines), choices=choices)


def photo_reply(ctx: Context, key: str, target: items.Item, found: list[items.Item]) -> Reply:
    """The photo step's prompt: where photos go now, buttons to change that, and Done."""
    f = fmt(ctx)
    choices = tuple(Choice(f"ph:{i.payload}", items.label(f, i)) for i in found)
    return Reply(
        text=ctx.t(key, target=items.label(f, target)),
        choices=(*choices, ctx.choice(PHOTO_DONE, "report.done")),
    )


def photo_counts(
    form: Form, answers: dict[str, Any], photos: list[str | None], ctx: Context
) -> str:
    """'Sinh hoạt chi đoàn: 2 · Hoạt động 1: …: 1 · Cả báo cáo: 0'."""
    f = fmt(ctx)
    return " · ".join(
        f"{items.label(f, item)}: {count}" for item, count in items.counts(form, answers, photos)
    )


def summary_text(
    ctx: Context,
    form: Form,
    answers: dict[str, Any],
    flags: list[dict[str, str]],
    photos: list[str | None],
    heading: str,
) -> str:
    """The compact summary: one numbered line per question that applies, photos, notes."""
    lines = [heading]
    for question in form.applicable(answers):
        # Each line keeps its question's number ("14." opens "Câu 14/18"), gaps and all.
        index = question_number(form, question.key)[0]
        label = ctx.t(question.label_key)
        if question.type is FieldType.PHOTOS:
            value = photo_counts(form, answers, photos, ctx)
        else:
            value = show_value(ctx, question, answers.get(question.key))
        lines.append(f"{index}. {label}: {value}")
    if flags:
        lines.append(ctx.t("report.flags_heading"))
        lines.extend(f"• {flag.get('note', '')}" for flag in flags)
    return "\n".join(lines)


def heading(ctx: Context, period: str, branch_name: str) -> str:
    """'Báo cáo tháng 11/2026 — Chi đoàn ấp Long Phụng'."""
    return ctx.t("report.summary_heading", period=period_text(period), branch=branch_name)


def correction_until_key(key: str, why: str | None) -> str:
    """`key`, or its variant saying the district returned / reopened the report."""
    return f"{key}_{why}" if why else key
