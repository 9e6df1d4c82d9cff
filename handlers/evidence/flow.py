"""/minhchung and photos sent at any time: photos for this month's report, said what they prove.

Steps: `branch` (which branch, when the person has several; photos sent meanwhile are held),
`photos` (send photos; each batch is put under an item, or the report as a whole; Xong ends),
and the photos already sent (`album`): one of them shown (`photo`), moved to another item
(`move`) or removed (`remove`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from bot.engine.context import Context
from bot.engine.router import Router
from bot.engine.types import Choice, InKind, Photo
from bot.i18n import period_text
from bot.media import MediaStore
from handlers.access import is_secretary_of, secretary_branches
from handlers.choice_words import resolve_typed
from handlers.evidence import album, items
from handlers.evidence.store import checked_image, refuse_locked, store_photo
from handlers.i18n import fmt
from handlers.reports.calendar import current_period
from handlers.reports.form import form_for
from handlers.steps import StepFlow, StepSpec
from storage.models import MonthlyReport, Role
from storage.repositories.evidence import EvidenceRepository
from storage.repositories.reports import ReportRepository

router = Router("evidence")
DONE = "done"


class Step(StrEnum):
    """Where /minhchung stands."""

    BRANCH = "branch"
    PHOTOS = "photos"
    ALBUM = "album"
    PHOTO = "photo"
    MOVE = "move"
    REMOVE = "remove"


#: The steps about photos already sent: a photo sent there is taken as a new one.
ALBUM_STEPS = (Step.ALBUM, Step.PHOTO, Step.MOVE, Step.REMOVE)


class EvidenceFlow(StepFlow[Step]):
    """Send photos now, say what each batch proves, "Xong" to finish."""

    name = "evidence"

    def __init__(self) -> None:
        super().__init__(Step, Step.PHOTOS)

    def steps(self) -> dict[Step, StepSpec[Step]]:
        return {
            Step.BRANCH: StepSpec(self.ask_branch, self.on_branch),
            Step.PHOTOS: StepSpec(self.ask_photos, self.on_photos),
            Step.ALBUM: StepSpec(self.ask_album, self.on_album, back=Step.PHOTOS),
            Step.PHOTO: StepSpec(self.ask_photo, self.on_photo, back=Step.ALBUM),
            Step.MOVE: StepSpec(self.ask_move, self.on_move, back=Step.PHOTO),
            Step.REMOVE: StepSpec(self.ask_remove, self.on_remove, back=Step.PHOTO),
        }

    async def on_input(self, ctx: Context) -> None:
        """A photo sent while looking at those already sent is a new photo."""
        if self.step(ctx) in ALBUM_STEPS and ctx.input.kind is InKind.PHOTO:
            self.go(ctx, Step.PHOTOS)
        await super().on_input(ctx)

    async def start(self, ctx: Context, args: str) -> None:
        branches = secretary_branches(ctx)
        if len(branches) == 1:
            self.enter(ctx, branches[0].id)
        else:
            ctx.goto(self.name, Step.BRANCH.value, {"held": []})
        await self.ask(ctx)

    def enter(self, ctx: Context, branch_id: int) -> None:
        """Work on this branch's report of the current month."""
        period = current_period(ctx.now, ctx.settings)
        ctx.goto(
            self.name, Step.PHOTOS.value, {"branch_id": branch_id, "period": period, "batch": []}
        )

    async def _report(self, ctx: Context) -> MonthlyReport:
        return await ctx.repo(ReportRepository).get_or_create(
            ctx.data["branch_id"], ctx.data["period"], ctx.now
        )

    # -- branch ------------------------------------------------------------------------------
    async def ask_branch(self, ctx: Context) -> None:
        choices = tuple(Choice(f"branch:{b.id}", b.name) for b in secretary_branches(ctx))
        ctx.say("evidence.which_branch", choices=choices)

    async def on_branch(self, ctx: Context) -> None:
        """A branch picked (photos sent meanwhile are held, then attached to its report)."""
        if ctx.input.kind is InKind.PHOTO and ctx.input.photo is not None:
            await self.hold(ctx, ctx.input.photo, ctx.input.text)
            await self.ask(ctx)
            return
        choice = ctx.input.choice or ""
        raw = choice.removeprefix("branch:")
        if not (choice.startswith("branch:") and raw.isdigit() and is_secretary_of(ctx, int(raw))):
            ctx.say("evidence.pick_branch")
            await self.ask(ctx)
            return
        held: list[dict[str, Any]] = ctx.data.get("held", [])
        self.enter(ctx, int(raw))
        store = ctx.service(MediaStore)
        for photo in held:
            data = store.read(photo["sha256"], photo["mime"])
            await self.take_photo(ctx, Photo(data), photo["caption"])
        await self.ask(ctx)

    async def hold(self, ctx: Context, photo: Photo, caption: str) -> bool:
        """Keep a photo aside (checked and stored by content) until the branch is chosen."""
        image = checked_image(ctx, photo)
        if image is None:
            return False
        entry = {"sha256": image.sha256, "mime": image.mime, "caption": caption}
        ctx.update(held=[*ctx.data.get("held", []), entry])
        held = len(ctx.data["held"])
        ctx.say(fmt(ctx).plural_key("evidence.held", held), count=held)
        return True

    # -- photos ------------------------------------------------------------------------------
    async def ask_photos(self, ctx: Context) -> None:
        """Send photos; once a batch is in, which item it proves."""
        report = await self._report(ctx)
        batch = ctx.data.get("batch", [])
        if not batch and refuse_locked(ctx, report):
            ctx.end_flow()
            return
        if not batch:
            month = period_text(report.period)
            sent = len(await album.photos_of(ctx, report))
            choices = (*album.album_choice(ctx, sent), done_choice(ctx))
            ctx.say("evidence.send_photos", month=month, choices=choices)
            return
        ctx.say(
            fmt(ctx).plural_key("evidence.which_item", len(batch)),
            count=len(batch),
            choices=item_choices(ctx, report),
        )

    async def on_photos(self, ctx: Context) -> None:
        """A photo, an item for the batch, or Done."""
        if ctx.input.kind is InKind.PHOTO and ctx.input.photo is not None:
            await self._on_photo(ctx, ctx.input.photo)
            return
        report = await self._report(ctx)
        offered = item_choices(ctx, report) if ctx.data.get("batch") else ()
        resolve_typed(ctx, [[c.payload, c.label] for c in offered] or None)
        choice = ctx.input.choice or ""
        if choice == DONE:
            await self._finish(ctx)
            return
        if choice == album.OPEN:
            self.go(ctx, Step.ALBUM, album_page=0)
            await self.ask(ctx)
            return
        item = items.item_named(form_for(ctx.settings), report.answers or {}, choice)
        if item is None:
            ctx.say("evidence.photos_expected")
            await self.ask(ctx)
            return
        await self._assign(ctx, report, item)

    async def _on_photo(self, ctx: Context, photo: Photo) -> None:
        """Keep the photo; the item list is shown once per batch, not after every photo."""
        asked = bool(ctx.data.get("batch"))
        kept = await self.take_photo(ctx, photo, ctx.input.text)
        if not asked:
            await self.ask(ctx)
        elif kept:
            waiting = len(ctx.data.get("batch", []))
            ctx.say(fmt(ctx).plural_key("evidence.more_photos", waiting), count=waiting)

    async def take_photo(self, ctx: Context, photo: Photo, caption: str) -> bool:
        """Attach a photo to the chosen branch's report and add it to the unlabelled batch."""
        report = await self._report(ctx)
        evidence = await store_photo(ctx, report, photo, caption=caption)
        if evidence is not None:
            ctx.update(batch=[*ctx.data.get("batch", []), evidence.id])
        return evidence is not None

    async def _assign(self, ctx: Context, report: MonthlyReport, item: items.Item) -> None:
        batch = [int(i) for i in ctx.data.get("batch", [])]
        if not batch:
            ctx.say("evidence.nothing_to_label")
            await self.ask(ctx)
            return
        await ctx.repo(EvidenceRepository).label(report.id, batch, item.stored)
        ctx.update(batch=[])
        ctx.say(
            fmt(ctx).plural_key("evidence.labelled", len(batch)),
            count=len(batch),
            item=items.label(fmt(ctx), item),
        )
        await self.ask(ctx)

    async def _finish(self, ctx: Context) -> None:
        report = await self._report(ctx)
        lines = await counts_text(ctx, report)
        ctx.end_flow()
        month = period_text(report.period)
        if lines:
            ctx.say("evidence.finished", month=month, lines=lines)
        else:
            ctx.say("evidence.finished_empty", month=month)

    # -- photos already sent ---------------------------------------------------------------------
    async def ask_album(self, ctx: Context) -> None:
        report = await self._report(ctx)
        if not await album.show_list(ctx, report, done_choice(ctx)):
            ctx.say("evidence.album_empty")
            self.go(ctx, Step.PHOTOS)
            await self.ask(ctx)

    async def on_album(self, ctx: Context) -> None:
        """A photo picked, another page, back to sending, or Done."""
        choice = ctx.input.choice or ""
        kind, _, rest = choice.partition(":")
        if choice == DONE:
            await self._finish(ctx)
        elif choice == album.MORE:
            self.go(ctx, Step.PHOTOS)
            await self.ask(ctx)
        elif choice.startswith("album:page:") and rest.removeprefix("page:").isdigit():
            ctx.update(album_page=int(rest.removeprefix("page:")))
            await self.ask(ctx)
        elif kind == album.PICK and rest.isdigit():
            self.go(ctx, Step.PHOTO, photo_id=int(rest))
            await self.ask(ctx)
        else:
            ctx.say("evidence.use_buttons")
            await self.ask(ctx)

    async def _gone(self, ctx: Context) -> None:
        """The photo is no longer in the report (removed from another chat): the list again."""
        ctx.say("evidence.photo_gone")
        self.go(ctx, Step.ALBUM)
        await self.ask(ctx)

    async def ask_photo(self, ctx: Context) -> None:
        if not await album.show_photo(ctx, await self._report(ctx)):
            await self._gone(ctx)

    async def on_photo(self, ctx: Context) -> None:
        """Move it, remove it, or back to the list; a locked report changes no more."""
        choice = ctx.input.choice or ""
        report = await self._report(ctx)
        if choice == album.BACK:
            self.go(ctx, Step.ALBUM)
            await self.ask(ctx)
        elif choice in (album.MOVE, album.REMOVE):
            if refuse_locked(ctx, report):
                ctx.end_flow()
                return
            self.go(ctx, Step.MOVE if choice == album.MOVE else Step.REMOVE)
            await self.ask(ctx)
        else:
            ctx.say("evidence.use_buttons")
            await self.ask(ctx)

    async def ask_move(self, ctx: Context) -> None:
        if not await album.ask_move(ctx, await self._report(ctx)):
            await self._gone(ctx)

    async def on_move(self, ctx: Context) -> None:
        choice = ctx.input.choice or ""
        report = await self._report(ctx)
        if choice == album.BACK:
            self.go(ctx, Step.ALBUM)
            await self.ask(ctx)
        elif choice.startswith("to:") and not refuse_locked(ctx, report):
            if await album.move(ctx, report, choice.removeprefix("to:")):
                self.go(ctx, Step.ALBUM)
            await self.ask(ctx)
        elif choice.startswith("to:"):
            ctx.end_flow()
        else:
            ctx.say("evidence.use_buttons")
            await self.ask(ctx)

    async def ask_remove(self, ctx: Context) -> None:
        if not await album.ask_remove(ctx, await self._report(ctx)):
            await self._gone(ctx)

    async def on_remove(self, ctx: Context) -> None:
        choice = ctx.input.choice or ""
        report = await self._report(ctx)
        if choice == album.REMOVE_NO:
            ctx.say("evidence.remove_kept")
            self.go(ctx, Step.PHOTO)
            await self.ask(ctx)
        elif choice == album.REMOVE_YES and refuse_locked(ctx, report):
            ctx.end_flow()
        elif choice == album.REMOVE_YES:
            if not await album.remove(ctx, report):
                await self._gone(ctx)
                return
            self.go(ctx, Step.ALBUM)
            await self.ask(ctx)
        else:
            ctx.say("evidence.use_buttons")
            await self.ask(ctx)

    async def cancel(self, ctx: Context) -> None:
        if self.step(ctx) in (Step.PHOTOS, *ALBUM_STEPS):
            await self._finish(ctx)
        else:
            ctx.end_flow()
            ctx.say("evidence.cancelled")


def done_choice(ctx: Context) -> Choice:
    return ctx.choice(DONE, "evidence.done")


def item_choices(ctx: Context, report: MonthlyReport) -> tuple[Choice, ...]:
    """What a batch of photos can prove: each item of the report, the whole report; or done."""
    f = fmt(ctx)
    found = items.items(form_for(ctx.settings), report.answers or {})
    return (*(Choice(i.payload, items.label(f, i)) for i in found), done_choice(ctx))


async def counts_text(ctx: Context, report: MonthlyReport) -> str:
    """One line per item that has photos, with how many."""
    photos = await ctx.repo(ReportRepository).evidence(report.id)
    f = fmt(ctx)
    counted = items.counts(form_for(ctx.settings), report.answers or {}, (e.item for e in photos))
    return "\n".join(
        f.plural("evidence.count_line", count, item=items.label(f, item))
        for item, count in counted
        if count
    )


evidence_flow = EvidenceFlow()
router.flow(evidence_flow)


@router.command(
    "minhchung",
    "evidence",
    roles=[Role.SECRETARY],
    help_key="evidence.help",
    menu_key="evidence.menu",
)
async def evidence_command(ctx: Context, _args: str) -> None:
    """Send photo evidence for this month's report."""
    await evidence_flow.start(ctx, "")


@router.on_photo
async def photo_anytime(ctx: Context) -> None:
    """A photo outside any flow: attach it to this month's report, then ask what it proves."""
    branches = secretary_branches(ctx)
    if not branches:
        ctx.say("evidence.not_secretary")
        return
    photo = ctx.input.photo or Photo(None, "unreachable")
    if len(branches) > 1:
        ctx.goto(evidence_flow.name, Step.BRANCH.value, {"held": []})
        kept = await evidence_flow.hold(ctx, photo, ctx.input.text)
    else:
        evidence_flow.enter(ctx, branches[0].id)
        kept = await evidence_flow.take_photo(ctx, photo, ctx.input.text)
    if kept:
        await evidence_flow.ask(ctx)
    else:
        ctx.end_flow()
