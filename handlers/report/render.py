"""How the report looks in a chat: questions with their progress, values, the summary."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bot.engine.context import Context
from bot.engine.types import Choice, Reply
from bot.i18n import day, number, period_text
from handlers.report.working import localised_options
from handlers.reports.form import FieldType, Form, FormField
from handlers.reports.progress import question_number
from storage.models import Evidence

PHOTO_DONE = "ph:done"
SHOWN_CHARS = 160  # a long answer is cut in the summary so it stays one screen


def _short(text: str) -> str:
    """A long answer cut to one summary line."""
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1].rstrip() + "…"


def show_value(ctx: Context, question: FormField, value: Any) -> str:
    """An answer as the summary shows it."""
    if value is None or value == "":
        return ctx.t("report.blank")
    kind = question.type
    if kind is FieldType.INT and question.unit == "vnd":
        return ctx.t("report.vnd", amount=number(int(value), ctx.locale))
    if kind is FieldType.YESNO:
        return ctx.t("report.yes" if value else "report.no")
    if kind is FieldType.DATE:
        return day(value)
    labels = dict(localised_options(ctx, question))
    if kind is FieldType.CHOICE:
        return labels.get(value, str(value))
    if kind is FieldType.MULTICHOICE:
        return ", ".join(labels.get(v, v) for v in value) or ctx.t("report.none_chosen")
    if isinstance(value, list):
        return _short("; ".join(str(v) for v in value))
    return _short(str(value))


def question_reply(
    ctx: Context, form: Form, question: FormField, answers: dict[str, Any], picked: list[str]
) -> Reply:
    """The question with "Câu n/N", its current answer when going back, and its choices."""
    number, total = question_number(form, question.key)
    lines = [ctx.t("report.progress", n=number, total=total) + " " + ctx.t(question.question_key)]
    if question.key in answers and question.type is not FieldType.PHOTOS:
        shown = show_value(ctx, question, answers[question.key])
        lines.append(ctx.t("report.current_answer", value=shown))
    choices: tuple[Choice, ...] = ()
    if question.type is FieldType.YESNO:
        choices = (ctx.choice("a:1", "report.yes"), ctx.choice("a:0", "report.no"))
    elif question.type is FieldType.CHOICE:
        choices = tuple(Choice(f"a:{v}", label) for v, label in localised_options(ctx, question))
    elif question.type is FieldType.MULTICHOICE:
        options = localised_options(ctx, question)
        chosen = ", ".join(label for v, label in options if v in picked) or ctx.t("report.none")
        lines.append(ctx.t("report.multi_hint", chosen=chosen))
        choices = (
            *(Choice(f"m:{v}", label) for v, label in options),
            ctx.choice("m:", "report.done"),
        )
    if not question.required:
        lines.append(ctx.t("report.optional_hint"))
    return Reply(text="\n".join(lines), choices=choices)


def photo_item_label(ctx: Context, item: str | None, answers: dict[str, Any]) -> str:
    """'meeting' → 'buổi sinh hoạt'; 'activity:2' → 'hoạt động 2: Trồng cây'; None → 'chung'."""
    if item == "meeting":
        return ctx.t("report.photo_item.meeting")
    if item and item.startswith("activity:"):
        index = int(item.partition(":")[2])
        projects = answers.get("projects") or []
        name = projects[index - 1] if 0 < index <= len(projects) else ""
        return ctx.t("report.photo_item.activity", n=index, name=name[:40])
    return ctx.t("report.photo_item.general")


def photo_items(answers: dict[str, Any]) -> list[str]:
    """What photos can be attached to: the meeting (if held), each activity, the whole report."""
    items = ["meeting"] if answers.get("meeting_held") else []
    items += [f"activity:{i}" for i in range(1, len(answers.get("projects") or []) + 1)]
    return [*items, "general"]


def photo_counts(ctx: Context, evidence: list[Evidence], answers: dict[str, Any]) -> str:
    """'buổi sinh hoạt 2 · hoạt động 1: … 1 · chung 0'."""
    items = photo_items(answers)
    # A photo whose item is gone is counted with the whole report: none drops out of the count.
    counts = Counter(e.item if e.item in items else "general" for e in evidence)
    return " · ".join(
        f"{photo_item_label(ctx, None if i == 'general' else i, answers)}: {counts.get(i, 0)}"
        for i in items
    )


def photo_reply(ctx: Context, key: str, item: str | None, answers: dict[str, Any]) -> Reply:
    """The photo step's prompt: where photos go now, buttons to change that, and Done."""
    target = photo_item_label(ctx, item, answers)
    choices = tuple(
        Choice(f"ph:{i}", photo_item_label(ctx, None if i == "general" else i, answers))
        for i in photo_items(answers)
    )
    return Reply(
        text=ctx.t(key, target=target), choices=(*choices, ctx.choice(PHOTO_DONE, "report.done"))
    )


def summary_text(
    ctx: Context,
    form: Form,
    answers: dict[str, Any],
    flags: list[dict[str, str]],
    evidence: list[Evidence],
    heading: str,
) -> str:
    """The compact summary: one numbered line per question that applies, photos, notes."""
    lines = [heading]
    for index, question in enumerate(form.applicable(answers), start=1):
        label = ctx.t(question.label_key)
        if question.type is FieldType.PHOTOS:
            value = photo_counts(ctx, evidence, answers)
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
