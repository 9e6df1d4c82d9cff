"""The report's photo step (ảnh minh chứng): say what the photos show, send them, then Done."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.engine.context import Context
from bot.engine.textnorm import fold
from bot.engine.types import InKind, Reply
from bot.i18n import plural_key
from handlers.evidence import ACTIVITY, MEETING, attach_photo
from handlers.report import render
from handlers.report.answers import clean_text
from handlers.report.working import load_working
from handlers.reports.form import Form, FormField
from handlers.reports.lifecycle import editable
from handlers.reports.progress import question_number
from storage.models import MonthlyReport
from storage.repositories.reports import ReportRepository

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
    number, total = question_number(form, question.key)
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
        kept = await attach_photo(
            ctx, report, ctx.input.photo, caption=caption, item=_item(ctx, answers)
        )
        if not kept and not editable(report, ctx.now, ctx.settings):
            ctx.end_flow()  # locked while the step was open: the refusal said why
            return
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


def _renumbering(old: list[str], new: list[str]) -> dict[int, int]:
    """Old project number → new number, matched by the project's words (công trình, phần việc)
    so a photo follows its project when the list is retyped in another order."""
    free = {j: fold(name) for j, name in enumerate(new, start=1)}
    moves: dict[int, int] = {}
    for i, name in enumerate(old, start=1):
        match = next((j for j, text in free.items() if text == fold(name)), None)
        if match is not None:
            moves[i] = match
            del free[match]
    return moves


async def follow(
    ctx: Context, report: MonthlyReport, form: Form, before: dict[str, Any], after: dict[str, Any]
) -> None:
    """Photos follow their project when the list changes; photos of a project or a meeting that
    is gone move to the whole report (item None), and the secretary is told. None is lost."""
    old = before.get("projects") or ctx.data.get("former_projects") or []
    new = after.get("projects")
    retyping = new is None and any(q.key == "projects" for q in form.applicable(after))
    if retyping and old:
        ctx.update(former_projects=list(old))  # the list is asked again: remember the old one
    elif new is not None:
        ctx.update(former_projects=None)
    valid = set(render.photo_items(after))
    renumber = _renumbering(list(old), list(new)) if new is not None and old != new else None
    moved = 0
    for evidence in await ctx.repo(ReportRepository).evidence(report.id):
        item = evidence.item
        if item is None or (retyping and item.startswith(ACTIVITY)):
            continue  # activity photos wait for the new list before they are matched
        target: str | None = item
        number = item.removeprefix(ACTIVITY)
        if renumber is not None and item.startswith(ACTIVITY) and number.isdigit():
            new_number = renumber.get(int(number))
            target = f"{ACTIVITY}{new_number}" if new_number else None
        if target not in valid and not (target == MEETING and after.get("meeting_held")):
            target = None
        if target != item:
            evidence.item = target
            moved += target is None
    if moved:
        ctx.say(plural_key("report.photos_moved", moved, ctx.locale), count=moved)
