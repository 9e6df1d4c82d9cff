"""The report's photo step (ảnh minh chứng): say what the photos show, send them, then Done."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.engine.context import Context
from bot.engine.types import InKind, Reply
from handlers.evidence import attach_photo
from handlers.report import render
from handlers.report.answers import clean_text
from handlers.report.form import Form, FormField
from handlers.report.working import load_working
from storage.models import MonthlyReport

if TYPE_CHECKING:
    from handlers.report.flow import ReportFlow


def _item(ctx: Context, answers: dict[str, Any]) -> str | None:
    """Where photos go now: 'meeting', 'activity:2', or None for the report as a whole (also
    when the chosen item no longer exists, e.g. the activity list was shortened)."""
    item = ctx.data.get("photo_item")
    if not isinstance(item, str) or item not in render.photo_items(answers) or item == "general":
        return None
    return item


def prompt(ctx: Context, form: Form, question: FormField, answers: dict[str, Any]) -> Reply:
    """The step's question with its progress, the current target and the target buttons."""
    number, total = render.progress(form, answers, question.key)
    reply = render.photo_reply(ctx, question.question_key, _item(ctx, answers), answers)
    return Reply(
        text=ctx.t("report.progress", n=number, total=total) + " " + reply.text,
        choices=reply.choices,
    )


async def on_input(
    ctx: Context, flow: ReportFlow, report: MonthlyReport, form: Form, question: FormField
) -> None:
    """A photo is attached where the secretary said; a target button changes that; Done ends."""
    answers = load_working(ctx, report).answers
    if ctx.input.kind is InKind.PHOTO and ctx.input.photo is not None:
        caption = clean_text(ctx.input.text)[:500] or None
        await attach_photo(ctx, report, ctx.input.photo, caption=caption, item=_item(ctx, answers))
        ctx.reply(render.photo_reply(ctx, "report.photos_more", _item(ctx, answers), answers))
        return
    choice = ctx.input.choice or ""
    if choice == render.PHOTO_DONE:
        await flow.advance(ctx, form, answers, question.key)
        return
    target = choice.removeprefix("ph:")
    if choice.startswith("ph:") and target in render.photo_items(answers):
        ctx.update(photo_item=target)
        ctx.reply(render.photo_reply(ctx, "report.photos_target", _item(ctx, answers), answers))
        return
    ctx.say("report.expect.photo")
    ctx.reply(prompt(ctx, form, question, answers))
