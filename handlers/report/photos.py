"""The report's photo step (ảnh minh chứng): say what the photos show, send them, then Done.

Helpers of the report flow: they reply and store, and tell the flow what happened; moving to
another step is the flow's decision.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from bot.engine.context import Context
from bot.engine.types import InKind, Reply
from handlers.evidence import items
from handlers.evidence.store import attach_photo
from handlers.i18n import fmt
from handlers.report import render
from handlers.report.answers import clean_text
from handlers.report.working import load_working
from handlers.reports.form import Form, FormField
from handlers.reports.lifecycle import editable
from storage.models import MonthlyReport
from storage.repositories.reports import ReportRepository


class PhotoStep(Enum):
    """What an input at the photo step came to."""

    STAY = "stay"  # a photo kept, or the target changed: the step goes on
    DONE = "done"  # the secretary is done sending photos
    ENDED = "ended"  # the report locked while the step was open; the refusal said why


def target(ctx: Context, form: Form, answers: dict[str, Any]) -> items.Item:
    """Where photos go now: the item chosen, or the report as a whole (also when the chosen item
    no longer exists, e.g. the activity list was shortened)."""
    chosen = ctx.data.get("photo_item")
    found = items.item_named(form, answers, chosen) if isinstance(chosen, str) else None
    return found or items.WHOLE_REPORT


def _reply(ctx: Context, form: Form, key: str, answers: dict[str, Any]) -> Reply:
    return render.photo_reply(ctx, key, target(ctx, form, answers), items.items(form, answers))


def prompt(ctx: Context, form: Form, question: FormField, answers: dict[str, Any]) -> Reply:
    """The step's question with its number, the current target and the target buttons."""
    reply = _reply(ctx, form, question.question_key, answers)
    return Reply(text=render.numbered(ctx, form, question.key, reply.text), choices=reply.choices)


async def on_input(
    ctx: Context, report: MonthlyReport, form: Form, question: FormField
) -> PhotoStep:
    """A photo is attached where the secretary said; a target button changes that; Done ends."""
    answers = load_working(ctx, report).answers
    if ctx.input.kind is InKind.PHOTO and ctx.input.photo is not None:
        caption = clean_text(ctx.input.text)[:500] or None
        where = target(ctx, form, answers).stored
        kept = await attach_photo(ctx, report, ctx.input.photo, caption=caption, item=where)
        if not kept and not editable(report, ctx.now, ctx.settings):
            ctx.end_flow()
            return PhotoStep.ENDED
        ctx.reply(_reply(ctx, form, "report.photos_more", answers))
        return PhotoStep.STAY
    choice = ctx.input.choice or ""
    if choice == render.PHOTO_DONE:
        return PhotoStep.DONE
    chosen = items.item_named(form, answers, choice.removeprefix("ph:"))
    if choice.startswith("ph:") and chosen is not None:
        ctx.update(photo_item=chosen.payload)
        ctx.reply(_reply(ctx, form, "report.photos_target", answers))
        return PhotoStep.STAY
    ctx.say("report.expect.photo")
    ctx.reply(prompt(ctx, form, question, answers))
    return PhotoStep.STAY


async def follow(
    ctx: Context, report: MonthlyReport, form: Form, before: dict[str, Any], after: dict[str, Any]
) -> None:
    """Photos follow their line when a list changes; photos of a line or a meeting that is gone
    move to the whole report, and the secretary is told. None is lost."""
    kept = ctx.data.get("former_lines")
    former = dict(kept) if isinstance(kept, dict) else {}
    moving = items.may_move(form, before, after, former)
    photos = await ctx.repo(ReportRepository).evidence(report.id) if moving else []
    moves = items.follow(form, [(e.id, e.item) for e in photos], before, after, former)
    for evidence in photos:
        if evidence.id in moves.targets:
            evidence.item = moves.targets[evidence.id]
    ctx.update(former_lines=moves.former or None)
    if moves.to_whole_report:
        count = moves.to_whole_report
        ctx.say(fmt(ctx).plural_key("report.photos_moved", count), count=count)
