"""An answer as people read it in a chat: the summary, the district's review, anywhere."""

from __future__ import annotations

from typing import Any

from bot.i18n import Formatter
from handlers.reports.form import FieldType, FormField

SHOWN_CHARS = 160  # a long answer is cut so a summary stays one screen


def _short(text: str) -> str:
    """A long answer cut to one summary line."""
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1].rstrip() + "…"


def option_labels(f: Formatter, question: FormField) -> list[tuple[str, str]]:
    """(value, label in the reader's language) of a choice question's options."""
    return [(o.value, f.t(o.label)) for o in question.options]


def answer_text(f: Formatter, question: FormField, value: Any) -> str:
    """'25', 'Có', '15/11/2026', '5.000.000 đồng', 'Tình nguyện, Nông thôn mới', or 'bỏ trống'."""
    if value is None or value == "":
        return f.t("report.blank")
    kind = question.type
    if kind is FieldType.INT and question.unit == "vnd":
        return f.t("report.vnd", amount=f.number(int(value)))
    if kind is FieldType.INT and isinstance(value, int):
        return f.number(value)
    if kind is FieldType.YESNO:
        return f.t("report.yes" if value else "report.no")
    if kind is FieldType.DATE:
        return f.day(value)
    labels = dict(option_labels(f, question))
    if kind is FieldType.CHOICE:
        return labels.get(value, str(value))
    if kind is FieldType.MULTICHOICE:
        return ", ".join(labels.get(v, v) for v in value) or f.t("report.none_chosen")
    if isinstance(value, list):
        return _short("; ".join(str(v) for v in value))
    return _short(str(value))
