"""The district's view of the difficult-youth list (Ban Thường vụ Huyện đoàn): read-only."""

from __future__ import annotations

from enum import StrEnum

from bot.engine.context import Context
from bot.engine.types import Choice
from handlers.access import leads_district_of, led_district_ids
from handlers.choice_words import resolve_typed
from handlers.steps import StepFlow, StepSpec
from handlers.youth.views import audit, case_label, district_case, record_text
from storage.models import Branch
from storage.repositories.org import OrgRepository
from storage.repositories.youth import CLOSED, OPEN, YouthRepository


class Step(StrEnum):
    """Where the district's view stands: counts by branch, a branch's cases, one record."""

    BRANCHES = "branches"
    CASES = "cases"
    CASE = "case"


class DistrictYouthFlow(StepFlow[Step]):
    """Counts by branch, then a branch's open cases, then one full record."""

    name = "youth_district"

    def __init__(self) -> None:
        super().__init__(Step, Step.BRANCHES)

    def steps(self) -> dict[Step, StepSpec[Step]]:
        return {
            Step.BRANCHES: StepSpec(self._show_branches, self.on_pick),
            Step.CASES: StepSpec(self._show_cases, self.on_pick, back=Step.BRANCHES),
            Step.CASE: StepSpec(self._show_case, self.on_pick, back=Step.CASES),
        }

    async def start(self, ctx: Context, args: str) -> None:
        ctx.goto(self.name, Step.BRANCHES.value, {})
        await self.ask(ctx)

    async def on_pick(self, ctx: Context) -> None:
        """Every step offers choices: a branch, a case, back, or done."""
        resolve_typed(ctx)
        choice = ctx.input.choice or ""
        kind, _, raw = choice.partition(":")
        step = self.step(ctx)
        if choice == "done":
            await self.cancel(ctx)
        elif choice == "back":
            await self.back(ctx)
        elif kind == "branch" and step is Step.BRANCHES and raw.isdigit():
            ctx.goto(self.name, Step.CASES.value, {"branch_id": int(raw)})
            await self.ask(ctx)
        elif kind == "case" and step is Step.CASES and raw.isdigit():
            self.go(ctx, Step.CASE, case_id=int(raw))
            await self.ask(ctx)
        else:
            ctx.say("youth.pick_from_list")
            await self.ask(ctx)

    async def cancel(self, ctx: Context) -> None:
        ctx.end_flow()
        ctx.say("youth.closed_list")

    async def _show_branches(self, ctx: Context) -> None:
        """Per district: open and closed counts of each branch that has cases (no names)."""
        parts: list[str] = []
        choices: list[Choice] = []
        org = ctx.repo(OrgRepository)
        for district_id in led_district_ids(ctx):
            district = await org.district(district_id)
            counts = await ctx.repo(YouthRepository).counts_for_district(district_id)
            lines = []
            for branch in await org.branches_of_district(district_id):
                if branch.id not in counts:
                    continue
                opened, closed = counts[branch.id][OPEN], counts[branch.id][CLOSED]
                lines.append(
                    ctx.t("youth.district_line", branch=branch.name, open=opened, closed=closed)
                )
                if opened:
                    label = ctx.t("youth.branch_button", branch=branch.name, open=opened)
                    choices.append(Choice(payload=f"branch:{branch.id}", label=label))
            total = sum(c[OPEN] for c in counts.values())
            name = district.name if district else "?"
            key = "youth.district_summary" if lines else "youth.district_empty"
            parts.append(ctx.t(key, district=name, open=total, lines="\n".join(lines)))
        choices.append(ctx.choice("done", "youth.done_button"))
        ctx.say("youth.district_view", summary="\n\n".join(parts), choices=tuple(choices))

    async def _branch(self, ctx: Context) -> Branch | None:
        branch = await ctx.repo(OrgRepository).branch(int(ctx.data.get("branch_id", 0)))
        return branch if branch is not None and leads_district_of(ctx, branch) else None

    async def _show_cases(self, ctx: Context) -> None:
        """A branch's open cases by name; the listing itself is audited."""
        branch = await self._branch(ctx)
        if branch is None:
            ctx.say("youth.not_found")
            ctx.goto(self.name, Step.BRANCHES.value, {})
            await self.ask(ctx)
            return
        cases = await ctx.repo(YouthRepository).for_branch(branch.id, status=OPEN)
        audit(ctx, "youth.list", f"branch:{branch.id}", count=len(cases))
        choices = [Choice(payload=f"case:{c.id}", label=case_label(ctx, c)) for c in cases]
        choices += [
            ctx.choice("back", "youth.back_button"),
            ctx.choice("done", "youth.done_button"),
        ]
        key = "youth.district_cases" if cases else "youth.list_open_empty"
        ctx.say(key, branch=branch.name, count=len(cases), choices=tuple(choices))

    async def _show_case(self, ctx: Context) -> None:
        """One full record, for reading; `district_case` writes the read to the audit log."""
        branch_id = int(ctx.data.get("branch_id", 0))
        case = await district_case(ctx, int(ctx.data.get("case_id", 0)), branch_id)
        if case is None:
            ctx.say("youth.not_found")
            ctx.goto(self.name, Step.CASES.value)
            await self.ask(ctx)
            return
        choices = (
            ctx.choice("back", "youth.back_to_list"),
            ctx.choice("done", "youth.done_button"),
        )
        ctx.say("youth.case_view_audited", record=record_text(ctx, case), choices=choices)


district_flow = DistrictYouthFlow()
