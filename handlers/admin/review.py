"""/duyet: open a submitted report, approve it, or return it to the branch with a comment."""

from __future__ import annotations

from bot.engine.context import Context
from bot.engine.router import Flow, Router
from bot.engine.types import Choice
from bot.i18n import period_text
from handlers.admin.scope import own_district
from handlers.admin.summary import report_summary
from handlers.i18n import fmt
from handlers.notify.notifier import Notifier
from handlers.reports import lifecycle
from handlers.reports.notices import tell_branch
from storage.models import MonthlyReport, ReportStatus, Role
from storage.repositories.digest import DigestRepository
from storage.repositories.ops import OpsRepository
from storage.repositories.reports import ReportRepository

router = Router("admin.review")

LIST_SIZE = 8  # choices a phone shows without scrolling
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
            Choice(f"rv:{r.id}", f"{r.branch.name} · {period_text(r.period)}") for r in waiting
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
        photos = (await ctx.repo(DigestRepository).evidence_counts([report.id])).get(report.id, 0)
        sent = await lifecycle.last_sent_at(ctx.uow, report)
        if sent is not None and sent != report.submitted_at:
            # The summary names the first send; the reviewer also needs the latest correction.
            ctx.say("report.review_last_sent", at=fmt(ctx).moment(sent))
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
        assert ctx.person is not None
        await lifecycle.approve(ctx.uow, report, by_id=ctx.person.id, now=ctx.now)
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
        assert ctx.person is not None
        number = await lifecycle.return_to_branch(
            ctx.uow, report, by_id=ctx.person.id, now=ctx.now, comment=comment
        )
        sent = await tell_branch(
            Notifier(ctx.uow, ctx.settings, ctx.catalog, ctx.now),
            report,
            kind="report_returned",
            about=(str(report.id), str(number)),
            message="admin.returned_message",
            comment=comment,
        )
        key = "admin.review_returned" if sent else "admin.review_returned_nobody"
        ctx.say(key, branch=report.branch.name, count=sent)
        ctx.goto(self.name, "pick")
        await self._ask_pick(ctx)


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
