"""A submitted report summarised for review on a phone: one line per answer."""

from __future__ import annotations

from typing import Any

from bot.engine.context import Context
from bot.i18n import moment, period_text
from handlers.i18n import fmt
from handlers.reports.display import answer_text
from handlers.reports.form import Form, form_for
from storage.models import MonthlyReport


def _answer_lines(ctx: Context, form: Form, answers: dict[str, Any]) -> list[str]:
    """'• <column>: <answer>' for each given answer, in form order (others after)."""
    f = fmt(ctx)
    keys = [q.key for q in form.answer_fields()]
    lines = []
    for key in [*keys, *sorted(set(answers) - set(keys))]:
        value = answers.get(key)
        if value in (None, "", []):
            continue
        if form.has(key):
            question = form.field(key)
            label, shown = f.label(question.column_key, key), answer_text(f, question, value)
        else:
            label, shown = key, str(value)
        lines.append(f"• {label}: {shown}")
    return lines


def _column(ctx: Context, form: Form, key: str) -> str:
    """A question's column label, or its key for a question the form no longer has."""
    return fmt(ctx).label(form.field(key).column_key, key) if form.has(key) else key


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
    form = form_for(ctx.settings)
    lines += _answer_lines(ctx, form, report.answers or {})
    for flag in report.flags or []:
        if isinstance(flag, dict):
            field = _column(ctx, form, str(flag.get("field", "")))
            lines.append(
                ctx.t(
                    "admin.review_flag", field=field, note=flag.get("note") or flag.get("code", "")
                )
            )
    lines.append(ctx.t("admin.review_photos", count=photos))
    return "\n".join(lines)
