"""The district's view of the difficult-youth list (Ban Thường vụ Huyện đoàn): read-only.

Lists go a page at a time (a district may have hundreds of branches and cases); a full record is
shown once per opening and each showing is audited, as is each reading of its history.
"""

from __future__ import annotations

from enum import StrEnum

from bot.engine.context import Context
from bot.engine.types import Choice
from handlers.access import leads_district_of, led_district_ids
from handlers.choice_words import resolve_typed
from handlers.steps import StepFlow, StepSpec
from handlers.youth.history import show_history
from handlers.youth.views import audit, case_label, district_case, record_text
from storage.models import Branch, YouthCase
from storage.repositories.org import OrgRepository
from storage.repositories.youth import CLOSED, OPEN, YouthRepository

PAGE_SIZE = 8  # entries a phone shows without scrolling


class Step(StrEnum):
    """Where the district's view stands: counts by branch, a branch's cases, one record."""

    BRANCHES = "branches"
    CASES = "cases"
    CASE = "case"


def page_of(ctx: Context, key: str, count: int) -> tuple[int, int]:
    """The page stored under `key`, kept within 0..pages-1, and how many pages there are."""
    pages = max(1, -(-count // PAGE_SIZE))
    page = min(max(int(ctx.data.get(key, 0) or 0), 0), pages - 1)
    return page, pages


def page_choices(ctx: Context, page: int, pages: int) -> list[Choice]:
    """Previous / next page, where there is one."""
    found = []
    if page > 0:
        found.append(ctx.choice(f"page:{page - 1}", "youth.previous_page"))
    if page + 1 < pages:
        found.append(ctx.choice(f"page:{page + 1}", "youth.next_page"))
    return found


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
        """Every step offers choices: a branch, a case, a page, the history, back, or done."""
        resolve_typed(ctx)
        choice = ctx.input.choice or ""
        kind, _, raw = choice.partition(":")
        step = self.step(ctx)
        if choice == "done":
            await self.cancel(ctx)
        elif choice == "back":
            await self.back(ctx)
        elif kind == "page" and raw.isdigit() and step in (Step.BRANCHES, Step.CASES):
            ctx.update(**{f"{step.value}_page": int(raw)})
            await self.ask(ctx)
        elif kind == "branch" and step is Step.BRANCHES and raw.isdigit():
            self.go(ctx, Step.CASES, branch_id=int(raw), cases_page=0)
            await self.ask(ctx)
        elif kind == "case" and step is Step.CASES and raw.isdigit():
            self.go(ctx, Step.CASE, case_id=int(raw), shown=None)
            await self.ask(ctx)
        elif choice in ("history", "show") and step is Step.CASE:
            await self._on_record(ctx, choice)
        else:
            ctx.say("youth.pick_from_list")
            await self.ask(ctx)

    async def cancel(self, ctx: Context) -> None:
        ctx.end_flow()
        ctx.say("youth.closed_list")

    async def _show_branches(self, ctx: Context) -> None:
        """Per district: open and closed counts of each branch that has cases (no names), a page
        of branches at a time."""
        headers: list[str] = []
        entries: list[tuple[Branch, int, int]] = []
        org = ctx.repo(OrgRepository)
        for district_id in led_district_ids(ctx):
            district = await org.district(district_id)
            counts = await ctx.repo(YouthRepository).counts_for_district(district_id)
            total = sum(c[OPEN] for c in counts.values())
            name = district.name if district else "?"
            key = "youth.district_total" if counts else "youth.district_empty"
            headers.append(ctx.t(key, district=name, open=total))
            for branch in await org.branches_of_district(district_id):
                if branch.id in counts:
                    entries.append((branch, counts[branch.id][OPEN], counts[branch.id][CLOSED]))
        page, pages = page_of(ctx, "branches_page", len(entries))
        shown = entries[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        lines = [
            ctx.t("youth.district_line", branch=b.name, open=opened, closed=closed)
            for b, opened, closed in shown
        ]
        choices = [
            Choice(f"branch:{b.id}", ctx.t("youth.branch_button", branch=b.name, open=opened))
            for b, opened, _closed in shown
            if opened
        ]
        choices += page_choices(ctx, page, pages)
        choices.append(ctx.choice("done", "youth.done_button"))
        if pages > 1:
            lines.append(ctx.t("youth.page_note", page=page + 1, pages=pages))
        summary = "\n".join(headers) + ("\n" + "\n".join(lines) if lines else "")
        ctx.say("youth.district_view", summary=summary, choices=tuple(choices))

    async def _branch(self, ctx: Context) -> Branch | None:
        branch = await ctx.repo(OrgRepository).branch(int(ctx.data.get("branch_id", 0)))
        return branch if branch is not None and leads_district_of(ctx, branch) else None

    async def _show_cases(self, ctx: Context) -> None:
        """A branch's open cases by name, a page at a time; each listing is audited."""
        branch = await self._branch(ctx)
        if branch is None:
            ctx.say("youth.not_found")
            ctx.goto(self.name, Step.BRANCHES.value, {})
            await self.ask(ctx)
            return
        cases = await ctx.repo(YouthRepository).for_branch(branch.id, status=OPEN)
        page, pages = page_of(ctx, "cases_page", len(cases))
        shown = cases[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        audit(ctx, "youth.list", f"branch:{branch.id}", count=len(shown), page=page + 1)
        choices = [Choice(payload=f"case:{c.id}", label=case_label(ctx, c)) for c in shown]
        choices += page_choices(ctx, page, pages)
        choices += [
            ctx.choice("back", "youth.back_button"),
            ctx.choice("done", "youth.done_button"),
        ]
        key = "youth.district_cases" if cases else "youth.list_open_empty"
        ctx.say(key, branch=branch.name, count=len(cases), choices=tuple(choices))
        if pages > 1:
            ctx.say("youth.page_note", page=page + 1, pages=pages)

    async def _case(self, ctx: Context, *, read: bool) -> YouthCase | None:
        branch_id = int(ctx.data.get("branch_id", 0))
        return await district_case(ctx, int(ctx.data.get("case_id", 0)), branch_id, read=read)

    async def _show_case(self, ctx: Context) -> None:
        """One full record, once per opening (each showing audited by `district_case`); asked
        again, only its name and the choices."""
        shown = ctx.data.get("shown") == ctx.data.get("case_id")
        case = await self._case(ctx, read=not shown)
        if case is None:
            ctx.say("youth.not_found")
            ctx.goto(self.name, Step.CASES.value)
            await self.ask(ctx)
            return
        choices = [ctx.choice("history", "youth.history_button")]
        if shown:
            choices.append(ctx.choice("show", "youth.show_button"))
        choices += [
            ctx.choice("back", "youth.back_to_list"),
            ctx.choice("done", "youth.done_button"),
        ]
        if shown:
            ctx.say("youth.case_prompt_audited", name=case.full_name, choices=tuple(choices))
            return
        ctx.update(shown=case.id)
        ctx.say("youth.case_view_audited", record=record_text(ctx, case), choices=tuple(choices))

    async def _on_record(self, ctx: Context, choice: str) -> None:
        """The record's history (audited), or the record shown again."""
        if choice == "history":
            case = await self._case(ctx, read=False)
            if case is not None:
                await show_history(ctx, case)
        else:
            ctx.update(shown=None)
        await self.ask(ctx)


district_flow = DistrictYouthFlow()
