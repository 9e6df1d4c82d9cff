"""/duyet: open a submitted report, see its photos, approve it, or return it with a comment.

Steps: `pick` a report of the district · `open` it (photos / approve / return / back to the
list) · `comment` the reason of a return.
"""

from __future__ import annotations

from enum import StrEnum

from bot.engine.context import Context
from bot.engine.types import Choice
from bot.i18n import period_text
from bot.media import MediaStore
from handlers.access import DistrictFlow, DistrictRouter
from handlers.admin.summary import report_summary
from handlers.evidence.viewing import show_report_photos
from handlers.i18n import fmt
from handlers.notify.notifier import Notifier
from handlers.reports import lifecycle
from handlers.reports.form import form_for
from handlers.reports.notices import tell_approved, tell_branch
from handlers.reports.reasons import Reason, of_report, photo_reasons, short
from handlers.steps import StepSpec
from storage.models import District, MonthlyReport, ReportStatus
from storage.repositories.digest import DigestRepository
from storage.repositories.ops import OpsRepository
from storage.repositories.reports import ReportRepository

router = DistrictRouter("admin.review")

LIST_SIZE = 8  # choices a phone shows without scrolling
MIN_COMMENT = 5
STOP = "rv:stop"
PHOTOS = "rv:photos"


class Step(StrEnum):
    """Where a review stands."""

    PICK = "pick"
    OPEN = "open"
    COMMENT = "comment"


class ReviewFlow(DistrictFlow[Step]):
    """Duyệt báo cáo: each decision is recorded at once; the list comes back after each."""

    name = "review"

    def __init__(self) -> None:
        super().__init__(Step, Step.PICK)

    def steps(self) -> dict[Step, StepSpec[Step]]:
        return {
            Step.PICK: StepSpec(self.ask_pick, self.on_pick),
            Step.OPEN: StepSpec(self.ask_open, self.on_open, back=Step.PICK),
            Step.COMMENT: StepSpec(self.ask_comment, self.on_comment, back=Step.OPEN),
        }

    async def begin(self, ctx: Context, district: District, args: str) -> None:
        """List the district's submitted reports."""
        self.enter(ctx, district, Step.PICK)
        await self.ask(ctx)

    async def on_input(self, ctx: Context) -> None:
        """Stop works at every step; the rest is the step's own."""
        if ctx.input.choice == STOP:
            await self.cancel(ctx)
        else:
            await super().on_input(ctx)

    async def cancel(self, ctx: Context) -> None:
        """Stop reviewing; every decision already taken stays."""
        ctx.end_flow()
        ctx.say("admin.review_stopped")

    # -- the list ------------------------------------------------------------------------------
    async def ask_pick(self, ctx: Context) -> None:
        """Offer the reports waiting for review, oldest submission first."""
        district = self.district(ctx)
        assert district is not None  # DistrictFlow.ask checked it
        waiting = await ctx.repo(OpsRepository).to_review(district.id, LIST_SIZE)
        if not waiting:
            ctx.end_flow()
            ctx.say("admin.review_none")
            return
        doubts = await report_reasons(ctx, waiting)
        for r in waiting:
            if doubts.get(r.id):
                words = "; ".join(short(ctx.catalog, ctx.locale, d) for d in doubts[r.id])
                ctx.say(
                    "admin.review_flagged_line",
                    branch=r.branch.name,
                    unit=r.branch.unit.name,
                    period=period_text(r.period),
                    reasons=words,
                )
        choices = tuple(
            Choice(
                f"rv:{r.id}",
                ctx.t("admin.review_flagged_mark") * bool(doubts.get(r.id))
                + f"{r.branch.name} · {period_text(r.period)}",
            )
            for r in waiting
        )
        total = await ctx.repo(OpsRepository).count_to_review(district.id)
        ctx.say(
            "admin.review_pick",
            count=total,
            shown=len(waiting),
            choices=(*choices, ctx.choice(STOP, "admin.review_stop")),
        )

    async def on_pick(self, ctx: Context) -> None:
        raw = (ctx.input.choice or "").removeprefix("rv:")
        if raw.isdigit():
            self.go(ctx, Step.OPEN, report_id=int(raw))
            await self.ask(ctx)
            return
        await self._use_choices(ctx)

    # -- one report ----------------------------------------------------------------------------
    async def report(self, ctx: Context) -> MonthlyReport | None:
        """The open report, if it is still submitted and still in the reviewer's district."""
        report = await ctx.repo(ReportRepository).by_id(int(ctx.data.get("report_id", 0)))
        district = self.district(ctx)
        if report is None or district is None or report.branch.unit.district_id != district.id:
            ctx.end_flow()
            ctx.say("common.not_allowed")
            return None
        if report.status != ReportStatus.SUBMITTED:
            ctx.say("admin.review_already", status=ctx.t(f"export.status.{report.status}"))
            self.go(ctx, Step.PICK)
            await self.ask(ctx)
            return None
        return report

    async def ask_open(self, ctx: Context) -> None:
        """Show the opened report and offer approve, return, or back to the list."""
        report = await self.report(ctx)
        if report is None:
            return
        photos = await ctx.repo(DigestRepository).photo_count(report.id)
        sent = await lifecycle.last_sent_at(ctx.uow, report)
        if sent is not None and sent != report.submitted_at:
            # The summary names the first send; the reviewer also needs the latest correction.
            ctx.say("report.review_last_sent", at=fmt(ctx).moment(sent))
        see = (ctx.choice(PHOTOS, "admin.review_show_photos", count=photos),) if photos else ()
        doubts = (await photo_reasons(ctx.uow, [report.id])).get(report.id, [])
        ctx.say(
            "admin.review_open",
            summary=report_summary(ctx, report, photos, doubts),
            choices=self._decisions(ctx, see),
        )

    def _decisions(self, ctx: Context, see: tuple[Choice, ...] = ()) -> tuple[Choice, ...]:
        """Approve and return first, where a typed 1 or 2 always finds them; then the photos
        (when offered) and the list."""
        return (
            ctx.choice("rv:approve", "admin.review_approve"),
            ctx.choice("rv:return", "admin.review_return"),
            *see,
            ctx.choice("rv:list", "admin.review_back_to_list"),
        )

    async def on_open(self, ctx: Context) -> None:
        choice = ctx.input.choice
        if choice == PHOTOS:
            await self._show_photos(ctx)
        elif choice == "rv:approve":
            await self._approve(ctx)
        elif choice == "rv:return":
            if await self.report(ctx) is not None:
                self.go(ctx, Step.COMMENT)
                await self.ask(ctx)
        elif choice == "rv:list":
            await self.back(ctx)
        else:
            await self._use_choices(ctx)

    async def _show_photos(self, ctx: Context) -> None:
        """Xem ảnh minh chứng: an album per item the photos prove, then the decision again."""
        report = await self.report(ctx)
        if report is None:
            return
        assert ctx.person is not None
        f = fmt(ctx)
        shown = await show_report_photos(
            ctx.uow,
            f,
            form_for(ctx.settings),
            report,
            ctx.service(MediaStore),
            person_id=ctx.person.id,
            now=ctx.now,
            via=ctx.incoming.channel,
        )
        for album in shown.replies:
            ctx.reply(album)
        if shown.missing:
            ctx.say(f.plural_key("admin.review_photos_missing", shown.missing), count=shown.missing)
        if not shown.shown:
            ctx.say("admin.review_photos_none", choices=self._decisions(ctx))
            return
        key = f.plural_key("admin.review_photos_shown", shown.shown)
        ctx.say(key, count=shown.shown, branch=report.branch.name, choices=self._decisions(ctx))

    async def _approve(self, ctx: Context) -> None:
        """Duyệt: mark the report approved and offer the next one."""
        report = await self.report(ctx)
        if report is None:
            return
        assert ctx.person is not None
        number = await lifecycle.approve(ctx.uow, report, by_id=ctx.person.id, now=ctx.now)
        notifier = Notifier(ctx.uow, ctx.settings, ctx.catalog, ctx.now)
        told = await tell_approved(notifier, report, revision=number)
        key = "admin.review_approved" if told else "admin.review_approved_nobody"
        ctx.say(key, branch=report.branch.name, count=told)
        self.go(ctx, Step.PICK)
        await self.ask(ctx)

    # -- a return ------------------------------------------------------------------------------
    async def ask_comment(self, ctx: Context) -> None:
        ctx.say("admin.review_comment_ask", choices=(ctx.choice(STOP, "admin.review_stop"),))

    async def on_comment(self, ctx: Context) -> None:
        """Trả lại: record the comment, reopen the report, tell the branch."""
        if ctx.input.choice:
            await self._use_choices(ctx)
            return
        comment = ctx.input.text.strip()
        if len(comment) < MIN_COMMENT:
            ctx.say("admin.review_comment_short")
            await self.ask(ctx)
            return
        report = await self.report(ctx)
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
        self.go(ctx, Step.PICK)
        await self.ask(ctx)

    async def _use_choices(self, ctx: Context) -> None:
        ctx.say("admin.review_use_choices")
        await self.ask(ctx)


async def report_reasons(ctx: Context, reports: list[MonthlyReport]) -> dict[int, list[Reason]]:
    """Each report's reasons to look twice: its own flags, then its photos' doubts."""
    photos = await photo_reasons(ctx.uow, [r.id for r in reports])
    return {
        r.id: [*of_report(r.flags or [], r.answers or {}), *photos.get(r.id, [])] for r in reports
    }


flow = ReviewFlow()
router.flow(flow)


@router.district_command(
    "duyet", "review", help_key="admin.help_review", menu_key="admin.menu_review"
)
async def review_command(ctx: Context, _args: str, district: District) -> None:
    """List the district's submitted reports to review."""
    await flow.begin(ctx, district, _args)
