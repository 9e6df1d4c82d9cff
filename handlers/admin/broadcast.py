"""/thongbao: a message to every secretary of the district — preview, confirm, then the outbox."""

from __future__ import annotations

import secrets
from enum import StrEnum

from bot.engine.context import Context
from bot.engine.types import InKind
from handlers.access import DistrictFlow, DistrictRouter
from handlers.notify.notifier import Notice, Notifier
from handlers.steps import StepSpec
from storage.models import District, Role
from storage.repositories.audit import AuditRepository
from storage.repositories.ops import OpsRepository

router = DistrictRouter("admin.broadcast")

MAX_CHARS = 1500  # fits one Zalo message (2000) with the header


def _subject(district: District) -> str:
    """The audit subject that groups a district's broadcasts."""
    return f"district:{district.code}"


async def queue_broadcast(
    notifier: Notifier, *, district: District, text: str, broadcast_id: str, sender_id: int
) -> int:
    """One message per secretary, on the chat that reaches them; the same broadcast id never
    queues twice, and it is written once to the audit log."""
    ops = notifier.uow.get(OpsRepository)
    notices = []
    for recipient in await notifier.reach(await ops.district_secretaries(district.id)):
        body = notifier.speak(recipient).t(
            "admin.broadcast_message", district=district.name, text=text
        )
        notices.append(Notice("broadcast", (broadcast_id,), recipient, body))
    queued = await notifier.queue(notices)
    if await ops.audit_with("broadcast", _subject(district), broadcast_id) is None:
        notifier.uow.get(AuditRepository).record(
            at=notifier.now,
            person_id=sender_id,
            action="broadcast",
            subject=_subject(district),
            detail={"id": broadcast_id, "text": text, "queued": queued},
        )
    return queued


async def show_progress(ctx: Context, district: District) -> None:
    """Queued, sent and parked counts of the district's last broadcast (if there was one)."""
    ops = ctx.repo(OpsRepository)
    last = await ops.last_audit("broadcast", _subject(district))
    if last is None:
        return
    counts = await ops.outbox_progress(f"broadcast:{last.detail['id']}:")
    sent, parked = counts.get("sent", 0), counts.get("parked", 0)
    excerpt = str(last.detail.get("text", ""))
    ctx.say(
        "admin.broadcast_progress",
        excerpt=excerpt if len(excerpt) <= 60 else excerpt[:59] + "…",
        sent=sent,
        queued=sum(counts.values()) - sent - parked,
        parked=parked,
    )


class Step(StrEnum):
    """Where a broadcast stands."""

    TEXT = "text"
    CONFIRM = "confirm"


class BroadcastFlow(DistrictFlow[Step]):
    """Gửi thông báo: wait for the notice, then preview it until it is confirmed or dropped."""

    name = "broadcast"
    roles = (Role.ADMIN,)

    def __init__(self) -> None:
        super().__init__(Step, Step.TEXT)

    def steps(self) -> dict[Step, StepSpec[Step]]:
        return {
            Step.TEXT: StepSpec(self.ask_text, self.on_text),
            Step.CONFIRM: StepSpec(self.ask_confirm, self.on_confirm, back=Step.TEXT),
        }

    async def begin(self, ctx: Context, district: District, args: str) -> None:
        """With text: preview it; without: last progress, then ask for the text (old flow ends)."""
        self.enter(ctx, district, Step.TEXT, id=secrets.token_hex(6))
        if args.strip():
            await self.take_text(ctx, args.strip())
            return
        await show_progress(ctx, district)
        await self.ask(ctx)

    async def take_text(self, ctx: Context, text: str) -> None:
        """Keep the notice and show its preview; a too-long one is refused and asked again."""
        if len(text) > MAX_CHARS:
            ctx.say("admin.broadcast_too_long", limit=MAX_CHARS, length=len(text))
            return
        self.go(ctx, Step.CONFIRM, text=text)
        await self.ask(ctx)

    async def ask_text(self, ctx: Context) -> None:
        ctx.say("admin.broadcast_ask", limit=MAX_CHARS)

    async def on_text(self, ctx: Context) -> None:
        if ctx.input.kind is InKind.TEXT and ctx.input.text:
            await self.take_text(ctx, ctx.input.text)
        else:
            await self.ask(ctx)

    async def ask_confirm(self, ctx: Context) -> None:
        """The notice as recipients will see it, with Send / Don't send."""
        district = self.district(ctx)
        assert district is not None  # DistrictFlow.ask checked it
        people = await ctx.repo(OpsRepository).district_secretaries(district.id)
        preview = ctx.t("admin.broadcast_message", district=district.name, text=ctx.data["text"])
        ctx.say(
            "admin.broadcast_preview",
            preview=preview,
            people=len(people),
            choices=(
                ctx.choice("bc:send", "admin.broadcast_send"),
                ctx.choice("bc:cancel", "admin.broadcast_cancel"),
            ),
        )

    async def on_confirm(self, ctx: Context) -> None:
        """Send on confirmation, stop on cancel, otherwise ask again."""
        if ctx.input.choice == "bc:cancel":
            await self.cancel(ctx)
            return
        if ctx.input.choice != "bc:send":
            ctx.say("admin.broadcast_confirm_hint")
            await self.ask(ctx)
            return
        district = self.district(ctx)
        assert district is not None and ctx.person is not None
        await queue_broadcast(
            Notifier(ctx.uow, ctx.settings, ctx.catalog, ctx.now),
            district=district,
            text=ctx.data["text"],
            broadcast_id=ctx.data["id"],
            sender_id=ctx.person.id,
        )
        # The total for this broadcast, so a repeated confirmation reports the same, true number.
        counts = await ctx.repo(OpsRepository).outbox_progress(f"broadcast:{ctx.data['id']}:")
        ctx.end_flow()
        ctx.say("admin.broadcast_queued", count=sum(counts.values()))

    async def cancel(self, ctx: Context) -> None:
        """Drop the draft notice; nothing was queued."""
        ctx.end_flow()
        ctx.say("admin.broadcast_cancelled")


flow = BroadcastFlow()
router.flow(flow)


@router.district_command(
    "thongbao",
    "broadcast",
    roles=[Role.ADMIN],
    help_key="admin.help_broadcast",
    menu_key="admin.menu_broadcast",
)
async def broadcast_command(ctx: Context, args: str, district: District) -> None:
    """With text: preview and confirm. Without: last progress, then ask for the text."""
    await flow.begin(ctx, district, args)
