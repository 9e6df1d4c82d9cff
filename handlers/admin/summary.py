"""A submitted report summarised for review on a phone: one line per answer."""

from __future__ import annotations

from typing import Any

from bot.engine.context import Context
from bot.i18n import day, moment, number, period_text
from handlers.export.workbook import ANSWER_FIELDS
from storage.models import MonthlyReport


def _label(ctx: Context, prefix: str, code: str) -> str:
    """A code's label from the catalog, or the code itself."""
    key = f"{prefix}.{code}"
    return ctx.t(key) if ctx.catalog.has(key) else code


def answer_text(ctx: Context, field: str, value: Any) -> str:
    """An answer as short text: có/không, 1.200, lists joined."""
    if isinstance(value, bool):
        return ctx.t("export.yes" if value else "export.no")
    if isinstance(value, int):
        return number(value, ctx.locale)
    if isinstance(value, list):
        prefix = "export.activity" if field == "volunteer_activities" else ""
        return ", ".join(_label(ctx, prefix, str(v)) if prefix else str(v) for v in value) or "–"
    if field == "meeting_date" and isinstance(value, str):
        return day(value)
    return str(value)


def report_summary(ctx: Context, report: MonthlyReport, photos: int) -> str:
    """Header (branch, month, when submitted, late), the answers, the flags, the photo count."""
    submitted = report.submitted_at
    when = moment(submitted, ctx.settings.bot.timezone) if submitted else "–"
    lines = [
        ctx.t(
            "admin.review_header",
            branch=report.branch.name,
            unit=report.branch.unit.name,
            period=period_text(report.period),
            submitted=when,
            late=ctx.t("admin.review_late") if report.late else "",
        )
    ]
    answers = report.answers or {}
    fields = [*ANSWER_FIELDS, *sorted(set(answers) - set(ANSWER_FIELDS))]
    for field in fields:
        if answers.get(field) not in (None, "", []):
            lines.append(
                f"• {_label(ctx, 'export.col', field)}: {answer_text(ctx, field, answers[field])}"
            )
    for flag in report.flags or []:
        if isinstance(flag, dict):
            field = _label(ctx, "export.col", str(flag.get("field", "")))
            lines.append(
                ctx.t(
                    "admin.review_flag", field=field, note=flag.get("note") or flag.get("code", "")
                )
            )
    lines.append(ctx.t("admin.review_photos", count=photos))
    return "\n".join(lines)
