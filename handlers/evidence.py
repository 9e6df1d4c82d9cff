"""Photo evidence (ảnh minh chứng): photos attached to the month's report, and to an item of it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from bot.engine.context import Context
from bot.engine.router import Flow, Router
from bot.engine.types import Choice, InKind, Photo
from bot.i18n import period_text, plural_key
from bot.media import MAX_PIXELS, ImageRejected, MediaStore, accepted_formats
from bot.periods import period_of
from bot.photo_index import NearDuplicateIndex
from handlers.access import is_secretary_of, secretary_branches
from handlers.choice_words import resolve_typed
from handlers.i18n import fmt
from handlers.photo_checks import check_photo
from handlers.reports.calendar import due
from handlers.reports.lifecycle import editable, lock_reason
from storage.models import Evidence, MonthlyReport, Role
from storage.repositories.reports import ReportRepository
from storage.uow import UnitOfWork

router = Router("evidence")

MEETING = "meeting"
GENERAL = "general"  # the payload for "the report as a whole"; stored as item None
ACTIVITY = "activity:"
LABEL_CHARS = 40


async def attach_photo(
    ctx: Context,
    report: MonthlyReport,
    photo: Photo,
    *,
    caption: str | None = None,
    item: str | None = None,
) -> bool:
    """Store the photo and attach it to `report` (and `item`); tells the user how it went."""
    return await store_photo(ctx, report, photo, caption=caption, item=item) is not None


async def store_photo(
    ctx: Context,
    report: MonthlyReport,
    photo: Photo,
    *,
    caption: str | None = None,
    item: str | None = None,
) -> Evidence | None:
    """As `attach_photo`, returning the new evidence row (None when refused or a duplicate)."""
    if refuse_locked(ctx, report):
        return None
    store = ctx.service(MediaStore)
    max_mb = ctx.settings.media.max_photo_mb
    if photo.problem == "too_large":
        ctx.say("evidence.too_large", mb=f"{max_mb:g}")
        return None
    if photo.data is None:
        ctx.say("evidence.unreachable")
        return None
    try:
        image = store.save(photo.data)
    except ImageRejected as exc:
        refuse(ctx, exc.reason)
        return None
    existing = await ctx.repo(ReportRepository).evidence(report.id)
    if any(e.sha256 == image.sha256 for e in existing):
        ctx.say("evidence.duplicate")
        return None
    evidence = Evidence(
        report_id=report.id,
        sha256=image.sha256,
        size=image.size,
        mime=image.mime,
        width=image.width,
        height=image.height,
        caption=(caption or "").strip() or None,
        item=item,
        by_id=ctx.person.id if ctx.person else None,
        created_at=ctx.now,
    )
    ctx.uow.session.add(evidence)
    await ctx.uow.flush()
    index = ctx.service(NearDuplicateIndex)
    await check_photo(ctx.uow, evidence, image, report, index=index, settings=ctx.settings)
    ctx.say(plural_key("evidence.saved", len(existing) + 1, ctx.locale), count=len(existing) + 1)
    return evidence


def refuse_locked(ctx: Context, report: MonthlyReport) -> bool:
    """Refuse photos for a locked report (approved, or past its deadline and not reopened or
    returned): they would change what the district already holds. True when refused."""
    if editable(report, ctx.now, ctx.settings):
        return False
    reason = lock_reason(report, ctx.now, ctx.settings)
    ctx.say(f"evidence.{reason}", deadline=fmt(ctx).moment(due(report.period, ctx.settings)))
    return True


def refuse(ctx: Context, reason: str) -> None:
    """Say why a file was not kept, naming the limits and the formats we take."""
    ctx.say(
        f"evidence.rejected_{reason}",
        mb=f"{ctx.settings.media.max_photo_mb:g}",
        formats=accepted_formats(),
        megapixels=MAX_PIXELS // 1_000_000,
    )


async def photo_counts(uow: UnitOfWork, report_id: int) -> dict[str | None, int]:
    """How many photos each item of a report has: "meeting", "activity:2", None (general)."""
    rows = await uow.session.execute(
        select(Evidence.item, func.count(Evidence.id))
        .where(Evidence.report_id == report_id)
        .group_by(Evidence.item)
    )
    return {item: int(count) for item, count in rows}


def activities(report: MonthlyReport) -> list[str]:
    """The activities the report lists (answers["projects"]), as evidence can name them."""
    projects = (report.answers or {}).get("projects")
    return [str(p) for p in projects] if isinstance(projects, list) else []


def item_label(ctx: Context, item: str | None, report: MonthlyReport) -> str:
    """What an item is called for people: the meeting, "Activity 2: …", or the report."""
    if item == MEETING:
        return ctx.t("evidence.item_meeting")
    if item and item.startswith(ACTIVITY):
        number = int(item.removeprefix(ACTIVITY))
        names = activities(report)
        name = names[number - 1] if 0 < number <= len(names) else ""
        short = name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
        return ctx.t("evidence.item_activity", n=number, name=short)
    return ctx.t("evidence.item_general")


async def counts_text(ctx: Context, report: MonthlyReport) -> str:
    """One line per item with its number of photos, for a summary."""
    counts = await photo_counts(ctx.uow, report.id)
    order = [MEETING, *(f"{ACTIVITY}{n}" for n in range(1, len(activities(report)) + 1)), None]
    order += sorted(k for k in counts if k not in order and k is not None)
    return "\n".join(
        ctx.t(
            plural_key("evidence.count_line", counts[item], ctx.locale),
            item=item_label(ctx, item, report),
            count=counts[item],
        )
        for item in order
        if counts.get(item)
    )


def item_of_payload(payload: str, report: MonthlyReport) -> tuple[bool, str | None]:
    """(True, stored item) for a payload naming an item of this report, else (False, None)."""
    if payload == MEETING:
        return True, MEETING
    if payload == GENERAL:
        return True, None
    number = payload.removeprefix(ACTIVITY)
    if payload.startswith(ACTIVITY) and number.isdigit():
        return 0 < int(number) <= len(activities(report)), payload
    return False, None


class EvidenceFlow(Flow):
    """Send photos now, say what each batch proves, "Xong" to finish (steps: branch, photos)."""

    name = "evidence"

    async def start(self, ctx: Context, args: str) -> None:
        branches = secretary_branches(ctx)
        if len(branches) == 1:
            self.enter(ctx, branches[0].id)
        else:
            ctx.goto(self.name, "branch", {"held": []})
        await self.ask(ctx)

    def enter(self, ctx: Context, branch_id: int) -> None:
        period = period_of(ctx.now, ctx.settings.bot.timezone)
        ctx.goto(self.name, "photos", {"branch_id": branch_id, "period": period, "batch": []})

    async def _report(self, ctx: Context) -> MonthlyReport:
        return await ctx.repo(ReportRepository).get_or_create(
            ctx.data["branch_id"], ctx.data["period"], ctx.now
        )

    async def ask(self, ctx: Context) -> None:
        if ctx.step == "branch":
            choices = tuple(
                Choice(payload=f"branch:{b.id}", label=b.name) for b in secretary_branches(ctx)
            )
            ctx.say("evidence.which_branch", choices=choices)
            return
        report = await self._report(ctx)
        if not ctx.data.get("batch") and refuse_locked(ctx, report):
            ctx.end_flow()
            return
        done = ctx.choice("done", "evidence.done")
        month = period_text(report.period)
        batch = ctx.data.get("batch", [])
        if not batch:
            ctx.say("evidence.send_photos", month=month, choices=(done,))
            return
        ctx.say(
            plural_key("evidence.which_item", len(batch), ctx.locale),
            count=len(batch),
            choices=item_choices(ctx, report),
        )

    async def on_input(self, ctx: Context) -> None:
        if ctx.step == "branch":
            await self._on_branch(ctx)
            return
        if ctx.input.kind is InKind.PHOTO and ctx.input.photo is not None:
            await self._on_photo(ctx, ctx.input.photo)
            return
        report = await self._report(ctx)
        offered = item_choices(ctx, report) if ctx.data.get("batch") else ()
        resolve_typed(ctx, [[c.payload, c.label] for c in offered] or None)
        choice = ctx.input.choice or ""
        if choice == "done":
            await self._finish(ctx)
            return
        known, item = item_of_payload(choice, report)
        if not known:
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
            ctx.say(plural_key("evidence.more_photos", waiting, ctx.locale), count=waiting)

    async def take_photo(self, ctx: Context, photo: Photo, caption: str) -> bool:
        """Attach a photo to the chosen branch's report and add it to the unlabelled batch."""
        report = await self._report(ctx)
        evidence = await store_photo(ctx, report, photo, caption=caption)
        if evidence is not None:
            ctx.update(batch=[*ctx.data.get("batch", []), evidence.id])
        return evidence is not None

    async def _assign(self, ctx: Context, report: MonthlyReport, item: str | None) -> None:
        batch = [int(i) for i in ctx.data.get("batch", [])]
        if not batch:
            ctx.say("evidence.nothing_to_label")
            await self.ask(ctx)
            return
        await ctx.uow.session.execute(
            update(Evidence)
            .where(Evidence.id.in_(batch), Evidence.report_id == report.id)
            .values(item=item)
        )
        ctx.update(batch=[])
        ctx.say(
            plural_key("evidence.labelled", len(batch), ctx.locale),
            count=len(batch),
            item=item_label(ctx, item, report),
        )
        await self.ask(ctx)

    async def _on_branch(self, ctx: Context) -> None:
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
        max_mb = f"{ctx.settings.media.max_photo_mb:g}"
        if photo.data is None:
            problem = "too_large" if photo.problem == "too_large" else "unreachable"
            ctx.say(f"evidence.{problem}", mb=max_mb)
            return False
        try:
            image = ctx.service(MediaStore).save(photo.data)
        except ImageRejected as exc:
            refuse(ctx, exc.reason)
            return False
        entry = {"sha256": image.sha256, "mime": image.mime, "caption": caption}
        ctx.update(held=[*ctx.data.get("held", []), entry])
        held = len(ctx.data["held"])
        ctx.say(plural_key("evidence.held", held, ctx.locale), count=held)
        return True

    async def _finish(self, ctx: Context) -> None:
        report = await self._report(ctx)
        lines = await counts_text(ctx, report)
        ctx.end_flow()
        if lines:
            ctx.say("evidence.finished", month=period_text(report.period), lines=lines)
        else:
            ctx.say("evidence.finished_empty", month=period_text(report.period))

    async def cancel(self, ctx: Context) -> None:
        if ctx.step == "photos":
            await self._finish(ctx)
        else:
            ctx.end_flow()
            ctx.say("evidence.cancelled")


def item_choices(ctx: Context, report: MonthlyReport) -> tuple[Choice, ...]:
    """What a batch of photos can prove: the meeting, each activity, the whole report; or done."""
    items = [MEETING, *(f"{ACTIVITY}{n}" for n in range(1, len(activities(report)) + 1))]
    choices = tuple(Choice(payload=i, label=item_label(ctx, i, report)) for i in items)
    general = ctx.choice(GENERAL, "evidence.item_general")
    return (*choices, general, ctx.choice("done", "evidence.done"))


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
        ctx.goto(evidence_flow.name, "branch", {"held": []})
        kept = await evidence_flow.hold(ctx, photo, ctx.input.text)
    else:
        evidence_flow.enter(ctx, branches[0].id)
        kept = await evidence_flow.take_photo(ctx, photo, ctx.input.text)
    if kept:
        await evidence_flow.ask(ctx)
    else:
        ctx.end_flow()
