"""A submitted report summarised for review on a phone: one line per answer."""

from __future__ import annotations

from typing import Any

from bot.engine.context import Context
from bot.i18n import moment, period_text
from handlers.i18n import fmt
from handlers.reports.display import answer_text
from handlers.reports.form import Form, form_for
from handlers.reports.reasons import Reason, full, of_report
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


def report_summary(
    ctx: Context, report: MonthlyReport, photos: int, photo_doubts: list[Reason] | None = None
) -> str:
    """Header (branch, month, when submitted, late), the answers, the flags and the photos'
    doubts (`handlers/reports/reasons.py`, with the stored notes), the photo count."""
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
    for reason in [*of_report(report.flags or [], report.answers or {}), *(photo_doubts or [])]:
        lines.append(
            ctx.t(
                "admin.review_flag", reason=full(ctx.catalog, ctx.locale, reason, form, column=True)
            )
        )
    lines.append(ctx.t("admin.review_photos", count=photos))
    return "\n".join(lines)
