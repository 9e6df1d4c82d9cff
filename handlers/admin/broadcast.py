"""/thongbao: a message to every secretary of the district — preview, confirm, then the outbox."""

from __future__ import annotations

import secrets
from typing import ClassVar

from bot.engine.context import Context
from bot.engine.router import Flow, Router
from bot.engine.types import InKind
from handlers.admin.scope import own_district
from handlers.notify.notifier import Notice, Notifier
from storage.models import District, Role
from storage.repositories.audit import AuditRepository
from storage.repositories.ops import OpsRepository

router = Router("admin.broadcast")

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


class BroadcastFlow(Flow):
    """Gửi thông báo: step "text" waits for the notice; "confirm" previews it until confirmed."""

    name = "broadcast"
    back_steps: ClassVar[dict[str, str]] = {"confirm": "text"}

    async def start(self, ctx: Context, args: str) -> None:
        """With text: preview it; without: last progress, then ask for the text (old flow ends)."""
        ctx.end_flow()
        district = own_district(ctx, Role.ADMIN)
        if district is None:
            ctx.say("common.not_allowed")
            return
        data = {"id": secrets.token_hex(6), "district_id": district.id}
        ctx.goto(self.name, "text", data)
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
        ctx.update(text=text)
        ctx.goto(self.name, "confirm")
        await self.ask(ctx)

    async def ask(self, ctx: Context) -> None:
        """Ask for the notice, or show it as recipients will see it, with Send / Don't send."""
        district = own_district(ctx, Role.ADMIN)
        if district is None or district.id != ctx.data.get("district_id"):
            ctx.end_flow()
            ctx.say("common.not_allowed")
            return
        if ctx.step == "text":
            ctx.say("admin.broadcast_ask", limit=MAX_CHARS)
            return
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

    async def on_input(self, ctx: Context) -> None:
        """The notice's text, then send on confirmation, stop on cancel, otherwise ask again."""
        if ctx.step == "text":
            if ctx.input.kind is InKind.TEXT and ctx.input.text:
                await self.take_text(ctx, ctx.input.text)
            else:
                await self.ask(ctx)
            return
        if ctx.input.choice == "bc:cancel":
            await self.cancel(ctx)
            return
        if ctx.input.choice != "bc:send":
            ctx.say("admin.broadcast_confirm_hint")
            await self.ask(ctx)
            return
        district = own_district(ctx, Role.ADMIN)
        if district is None or district.id != ctx.data.get("district_id") or ctx.person is None:
            ctx.end_flow()
            ctx.say("common.not_allowed")
            return
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


flow = router.flow(BroadcastFlow())


@router.command(
    "thongbao",
    "broadcast",
    roles=[Role.ADMIN],
    help_key="admin.help_broadcast",
    menu_key="admin.menu_broadcast",
)
async def broadcast_command(ctx: Context, args: str) -> None:
    """With text: preview and confirm. Without: last progress, then ask for the text."""
    await flow.start(ctx, args)
