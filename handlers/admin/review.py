"""/duyet: open a submitted report, approve it, or return it to the branch with a comment."""

from __future__ import annotations

from datetime import timedelta

from bot.engine.context import Context
from bot.engine.router import Flow, Router
from bot.engine.types import Choice
from handlers.admin.scope import own_district
from handlers.admin.summary import report_summary
from handlers.digest.numbers import fmt_period
from handlers.report.lifecycle import last_sent_at
from handlers.report.render import when
from storage.models import MonthlyReport, ReportRevision, ReportStatus, Role
from storage.repositories.digest import DigestRepository
from storage.repositories.ops import OpsRepository
from storage.repositories.outbox import OutboxRepository
from storage.repositories.people import PeopleRepository
from storage.repositories.reports import ReportRepository

router = Router("admin.review")

LIST_SIZE = 8  # choices a phone shows without scrolling
# A returned report stays open for correction this long, even after the deadline has passed.
CORRECTION_WINDOW = timedelta(days=7)
MIN_COMMENT = 5


class ReviewFlow(Flow):
    """Steps: "pick" a report, "open" it (approve / return), type the "comment" for a return."""

    name = "review"

    async def start(self, ctx: Context, args: str) -> None:
        """List the district's submitted reports."""
        district = own_district(ctx)
        if district is None:
            ctx.say("common.not_allowed")
            return
        ctx.goto(self.name, "pick", {"district_id": district.id})
        await self.ask(ctx)

    async def ask(self, ctx: Context) -> None:
        """Ask the current step's question again."""
        if ctx.step == "pick":
            await self._ask_pick(ctx)
        elif ctx.step == "open":
            await self._ask_open(ctx)
        else:
            ctx.say(
                "admin.review_comment_ask", choices=(ctx.choice("rv:stop", "admin.review_stop"),)
            )

    async def _ask_pick(self, ctx: Context) -> None:
        """Offer the reports waiting for review, oldest submission first."""
        district = own_district(ctx)
        if district is None or district.id != ctx.data.get("district_id"):
            ctx.end_flow()
            ctx.say("common.not_allowed")
            return
        waiting = await ctx.repo(OpsRepository).to_review(district.id, LIST_SIZE)
        if not waiting:
            ctx.end_flow()
            ctx.say("admin.review_none")
            return
        choices = tuple(
            Choice(f"rv:{r.id}", f"{r.branch.name} · {fmt_period(r.period)}") for r in waiting
        )
        total = await ctx.repo(OpsRepository).count_to_review(district.id)
        ctx.say(
            "admin.review_pick",
            count=total,
            shown=len(waiting),
            choices=(*choices, ctx.choice("rv:stop", "admin.review_stop")),
        )

    async def _ask_open(self, ctx: Context) -> None:
        """Show the opened report and offer approve, return, or back to the list."""
        report = await self._report(ctx)
        if report is None:
            return
        photos = await ctx.repo(DigestRepository).photo_count(report.id)
        sent = await last_sent_at(ctx.uow.session, report)
        if sent is not None and sent != report.submitted_at:
            # The summary names the first send; the reviewer also needs the latest correction.
            ctx.say("report.review_last_sent", at=when(ctx, sent))
        ctx.say(
            "admin.review_open",
            summary=report_summary(ctx, report, photos),
            choices=(
                ctx.choice("rv:approve", "admin.review_approve"),
                ctx.choice("rv:return", "admin.review_return"),
                ctx.choice("rv:list", "admin.review_back_to_list"),
            ),
        )

    async def _report(self, ctx: Context) -> MonthlyReport | None:
        """The open report, if it is still submitted and still in the reviewer's district."""
        report = await ctx.repo(ReportRepository).by_id(int(ctx.data.get("report_id", 0)))
        district = own_district(ctx)
        if report is None or district is None or report.branch.unit.district_id != district.id:
            ctx.end_flow()
            ctx.say("common.not_allowed")
            return None
        if report.status != ReportStatus.SUBMITTED:
            ctx.say("admin.review_already", status=ctx.t(f"export.status.{report.status}"))
            ctx.goto(self.name, "pick")
            await self._ask_pick(ctx)
            return None
        return report

    async def on_input(self, ctx: Context) -> None:
        """A pressed choice, or the typed comment of a return."""
        choice = ctx.input.choice or ""
        if choice == "rv:stop":
            await self.cancel(ctx)
        elif ctx.step == "pick" and choice.removeprefix("rv:").isdigit():
            ctx.goto(self.name, "open", {**ctx.data, "report_id": int(choice[3:])})
            await self._ask_open(ctx)
        elif ctx.step == "open" and choice == "rv:approve":
            await self._approve(ctx)
        elif ctx.step == "open" and choice == "rv:return":
            if await self._report(ctx) is not None:
                ctx.goto(self.name, "comment")
                await self.ask(ctx)
        elif ctx.step == "open" and choice == "rv:list":
            await self.back(ctx)
        elif ctx.step == "comment" and not choice:
            await self._return(ctx, ctx.input.text.strip())
        else:
            ctx.say("admin.review_use_choices")
            await self.ask(ctx)

    async def back(self, ctx: Context) -> None:
        """From the comment to the report, from the report to the list."""
        if ctx.step == "pick":
            await super().back(ctx)
            return
        ctx.goto(self.name, "pick" if ctx.step == "open" else "open")
        await self.ask(ctx)

    async def cancel(self, ctx: Context) -> None:
        """Stop reviewing; every decision already taken stays."""
        ctx.end_flow()
        ctx.say("admin.review_stopped")

    async def _approve(self, ctx: Context) -> None:
        """Duyệt: mark the report approved and offer the next one."""
        report = await self._report(ctx)
        if report is None:
            return
        await _decide(ctx, report, ReportStatus.APPROVED, "approve", None)
        # An approved report is final: a reopening left from an earlier return must not keep
        # it editable (only an admin's new reopening may).
        report.reopened_until = None
        ctx.say("admin.review_approved", branch=report.branch.name)
        ctx.goto(self.name, "pick")
        await self._ask_pick(ctx)

    async def _return(self, ctx: Context, comment: str) -> None:
        """Trả lại: record the comment, reopen the report, tell the branch."""
        if len(comment) < MIN_COMMENT:
            ctx.say("admin.review_comment_short")
            await self.ask(ctx)
            return
        report = await self._report(ctx)
        if report is None:
            return
        number = await _decide(ctx, report, ReportStatus.RETURNED, "return", comment)
        report.reopened_until = max(report.reopened_until or ctx.now, ctx.now + CORRECTION_WINDOW)
        sent = await tell_secretaries(
            ctx,
            report,
            key=f"returned:{report.id}:{number}",
            kind="report_returned",
            message="admin.returned_message",
            comment=comment,
        )
        key = "admin.review_returned" if sent else "admin.review_returned_nobody"
        ctx.say(key, branch=report.branch.name, count=sent)
        ctx.goto(self.name, "pick")
        await self._ask_pick(ctx)


async def _decide(
    ctx: Context, report: MonthlyReport, status: ReportStatus, action: str, comment: str | None
) -> int:
    """Record the decision on the report and as a revision; returns the revision number."""
    assert ctx.person is not None
    repo = ctx.repo(ReportRepository)
    number = await repo.revision_count(report.id) + 1
    report.status = status.value
    report.review_comment = comment
    report.reviewed_by_id = ctx.person.id
    report.reviewed_at = ctx.now
    report.updated_at = ctx.now
    await repo.add_revision(
        ReportRevision(
            report_id=report.id,
            number=number,
            action=action,
            answers=dict(report.answers or {}),
            note=comment,
            by_id=ctx.person.id,
            at=ctx.now,
        )
    )
    return number


async def tell_secretaries(
    ctx: Context, report: MonthlyReport, *, key: str, kind: str, message: str, **values: str
) -> int:
    """Queue a message (with one tap to correct) to each branch secretary; returns how many."""
    outbox = ctx.repo(OutboxRepository)
    count = 0
    holders = await ctx.repo(PeopleRepository).holders(Role.SECRETARY, branch_id=report.branch_id)
    for person in holders:
        locale = person.locale or ctx.settings.bot.default_locale
        t = ctx.catalog.t
        payload = {
            "text": t(
                locale,
                message,
                branch=report.branch.name,
                period=fmt_period(report.period),
                **values,
            ),
            "choices": [["cmd:baocao", t(locale, "admin.returned_fix")]],
            "photo": None,
            "document": None,
        }
        queued = 0
        for identity in person.identities:
            queued += await outbox.enqueue(
                key=f"{key}:{person.id}:{identity.channel}",
                kind=kind,
                channel=identity.channel,
                chat_id=identity.chat_id,
                payload=payload,
                now=ctx.now,
                person_id=person.id,
            )
        count += 1 if queued else 0
    return count


flow = router.flow(ReviewFlow())


@router.command(
    "duyet",
    "review",
    roles=[Role.LEADER, Role.ADMIN],
    help_key="admin.help_review",
    menu_key="admin.menu_review",
)
async def review_command(ctx: Context, args: str) -> None:
    """List the district's submitted reports to review."""
    await flow.start(ctx, args)
