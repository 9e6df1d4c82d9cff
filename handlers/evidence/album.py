"""Ảnh đã gửi: the secretary's photos of a report, listed, one shown, moved or removed.

Helpers of the /minhchung flow: they read, say and store, and tell the flow where to go next;
the flow moves between its steps.
"""

from __future__ import annotations

from bot.engine.context import Context
from bot.engine.types import Attachment, Choice, Reply
from bot.media import MIME_BY_FORMAT, MediaStore
from bot.photo_index import NearDuplicateIndex
from handlers.evidence import items
from handlers.evidence.manage import move_photo, remove_photo
from handlers.i18n import fmt
from handlers.reports.form import form_for
from storage.models import Evidence, MonthlyReport
from storage.repositories.reports import ReportRepository

PAGE_SIZE = 8  # photos a phone lists without scrolling
OPEN, PICK, BACK, MORE = "album:open", "pic", "album:back", "album:more"
MOVE, REMOVE, REMOVE_YES, REMOVE_NO = "pic:move", "pic:remove", "pic:remove_yes", "pic:keep"


async def photos_of(ctx: Context, report: MonthlyReport) -> list[Evidence]:
    """The report's photos, in the order they were sent."""
    return await ctx.repo(ReportRepository).evidence(report.id)


def album_choice(ctx: Context, count: int) -> tuple[Choice, ...]:
    """The button that opens the list, when there is something to list."""
    return (ctx.choice(OPEN, "evidence.album_open", count=count),) if count else ()


def _label(ctx: Context, report: MonthlyReport, evidence: Evidence) -> str:
    return items.describe(fmt(ctx), form_for(ctx.settings), report.answers or {}, evidence.item)


async def show_list(ctx: Context, report: MonthlyReport, done: Choice) -> bool:
    """The photos a page at a time, one button each; False when there is none."""
    photos = await photos_of(ctx, report)
    if not photos:
        return False
    pages = -(-len(photos) // PAGE_SIZE)
    page = min(max(int(ctx.data.get("album_page", 0) or 0), 0), pages - 1)
    first = page * PAGE_SIZE
    f = fmt(ctx)
    lines, choices = [], []
    for n, evidence in enumerate(photos[first : first + PAGE_SIZE], start=first + 1):
        label = _label(ctx, report, evidence)
        caption = (
            ctx.t("evidence.album_caption", caption=evidence.caption) if evidence.caption else ""
        )
        lines.append(
            ctx.t("evidence.album_line", n=n, item=label, at=f.moment(evidence.created_at))
            + caption
        )
        choices.append(
            Choice(f"{PICK}:{evidence.id}", ctx.t("evidence.album_button", n=n, item=label))
        )
    if page > 0:
        choices.append(ctx.choice(f"album:page:{page - 1}", "evidence.previous_page"))
    if page + 1 < pages:
        choices.append(ctx.choice(f"album:page:{page + 1}", "evidence.next_page"))
    choices += [ctx.choice(MORE, "evidence.album_more"), done]
    ctx.say(
        "evidence.album",
        month=f.month(report.period),
        count=len(photos),
        lines="\n".join(lines),
        choices=tuple(choices),
    )
    return True


async def picked(ctx: Context, report: MonthlyReport) -> tuple[int, Evidence] | None:
    """The photo being looked at, with its number in the list; None when it is gone."""
    photos = await photos_of(ctx, report)
    wanted = ctx.data.get("photo_id")
    return next(((n, e) for n, e in enumerate(photos, 1) if e.id == wanted), None)


async def show_photo(ctx: Context, report: MonthlyReport) -> bool:
    """The photo itself, what it proves and when it came, and what can be done with it."""
    found = await picked(ctx, report)
    if found is None:
        return False
    n, evidence = found
    choices = (
        ctx.choice(MOVE, "evidence.move_button"),
        ctx.choice(REMOVE, "evidence.remove_button"),
        ctx.choice(BACK, "evidence.back_to_album"),
    )
    text = ctx.t(
        "evidence.photo_view",
        n=n,
        item=_label(ctx, report, evidence),
        at=fmt(ctx).moment(evidence.created_at),
    )
    ctx.reply(Reply(text=text, choices=choices, photo=_attachment(ctx, n, evidence)))
    return True


def _attachment(ctx: Context, n: int, evidence: Evidence) -> Attachment | None:
    """The photo's file, or None when it cannot be read (the text still says which it is)."""
    try:
        data = ctx.service(MediaStore).read(evidence.sha256, evidence.mime)
    except OSError:
        return None
    extension = next((ext for mime, ext in MIME_BY_FORMAT.values() if mime == evidence.mime), "jpg")
    return Attachment(data, f"anh-{n}.{extension}", evidence.mime)


async def ask_move(ctx: Context, report: MonthlyReport) -> bool:
    """Which item the photo proves instead: every item of the report but its own."""
    found = await picked(ctx, report)
    if found is None:
        return False
    n, evidence = found
    others = [
        i
        for i in items.items(form_for(ctx.settings), report.answers or {})
        if i.stored != evidence.item
    ]
    choices = tuple(Choice(f"to:{i.payload}", items.label(fmt(ctx), i)) for i in others)
    ctx.say(
        "evidence.move_which", n=n, choices=(*choices, ctx.choice(BACK, "evidence.back_to_album"))
    )
    return True


async def move(ctx: Context, report: MonthlyReport, payload: str) -> bool:
    """Move the photo to the item `payload` names; False when no such item or photo."""
    item = items.item_named(form_for(ctx.settings), report.answers or {}, payload)
    found = await picked(ctx, report)
    if item is None or found is None:
        return False
    n, evidence = found
    await move_photo(ctx.uow, report, evidence.id, item)
    ctx.say("evidence.moved", n=n, item=items.label(fmt(ctx), item))
    return True


async def ask_remove(ctx: Context, report: MonthlyReport) -> bool:
    """Remove it? — a second, deliberate answer."""
    found = await picked(ctx, report)
    if found is None:
        return False
    n, evidence = found
    choices = (
        ctx.choice(REMOVE_YES, "evidence.remove_yes"),
        ctx.choice(REMOVE_NO, "evidence.remove_no"),
    )
    ctx.say("evidence.remove_confirm", n=n, item=_label(ctx, report, evidence), choices=choices)
    return True


async def remove(ctx: Context, report: MonthlyReport) -> bool:
    """Take the photo out of the report; False when it is already gone."""
    found = await picked(ctx, report)
    if found is None:
        return False
    n, evidence = found
    await remove_photo(
        ctx.uow,
        report,
        evidence.id,
        by_id=ctx.person.id if ctx.person else None,
        now=ctx.now,
        index=ctx.service(NearDuplicateIndex),
    )
    ctx.say("evidence.removed", n=n)
    return True
