"""A secretary's difficult-youth list (danh sách thanh niên khó khăn): list, view, help, close,
reopen."""

from __future__ import annotations

from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.engine.context import Context
from bot.engine.types import Choice, InKind
from handlers.access import is_secretary_of, secretary_branches
from handlers.choice_words import resolve_typed
from handlers.steps import StepFlow, StepSpec
from handlers.youth.add import add_flow
from handlers.youth.close import add_event, close_case, reopen_case
from handlers.youth.edit import FIELDS, edit_flow, field_choices
from handlers.youth.history import show_history
from handlers.youth.input import CLOSE_REASONS, parse_day
from handlers.youth.views import audit, case_label, record_text, secretary_case, subject
from storage.models import Branch, YouthCase
from storage.repositories.org import OrgRepository
from storage.repositories.youth import CLOSED, OPEN, YouthRepository

HELP_TEXT_RANGE = (3, 500)
CLOSE_NOTE_RANGE = (3, 300)


class Step(StrEnum):
    """Where a secretary's list stands."""

    BRANCH = "branch"
    LIST = "list"
    CASE = "case"
    HELP_WHAT = "help_what"
    HELP_WHEN = "help_when"
    CLOSE_REASON = "close_reason"
    CLOSE_NOTE = "close_note"
    CLOSE_CONFIRM = "close_confirm"
    EDIT_FIELD = "edit_field"


#: Steps that offer choices: typed words there are matched to the labels offered.
CHOICE_STEPS = (
    Step.BRANCH,
    Step.LIST,
    Step.CASE,
    Step.EDIT_FIELD,
    Step.CLOSE_REASON,
    Step.CLOSE_CONFIRM,
)


class YouthFlow(StepFlow[Step]):
    """A secretary's list for one branch: the list, one case, help given, closing, editing."""

    name = "youth"

    def __init__(self) -> None:
        super().__init__(Step, Step.LIST)  # a step this version no longer has: the list again

    def steps(self) -> dict[Step, StepSpec[Step]]:
        return {
            Step.BRANCH: StepSpec(self._ask_branch, self._on_branch),
            Step.LIST: StepSpec(self._show_list, self._on_list),
            Step.CASE: StepSpec(self._show_case, self._on_case, back=Step.LIST),
            Step.HELP_WHAT: StepSpec(self._ask_typed, self._on_help_what, back=Step.CASE),
            Step.HELP_WHEN: StepSpec(self._ask_typed, self._on_help_when, back=Step.HELP_WHAT),
            Step.CLOSE_REASON: StepSpec(
                self._ask_close_reason, self._on_close_reason, back=Step.CASE
            ),
            Step.CLOSE_NOTE: StepSpec(self._ask_typed, self._on_close_note, back=Step.CLOSE_REASON),
            Step.CLOSE_CONFIRM: StepSpec(
                self._ask_close_confirm, self._on_close_confirm, back=Step.CLOSE_REASON
            ),
            Step.EDIT_FIELD: StepSpec(self._ask_edit_field, self._on_edit_field, back=Step.CASE),
        }

    async def start(self, ctx: Context, args: str) -> None:
        branches = secretary_branches(ctx)
        if len(branches) == 1:
            ctx.goto(self.name, Step.LIST.value, {"branch_id": branches[0].id, "show": OPEN})
        else:
            ctx.goto(self.name, Step.BRANCH.value, {})
        await self.ask(ctx)

    async def on_input(self, ctx: Context) -> None:
        """Typed words name the choices of the steps that offer some."""
        if self.step(ctx) in CHOICE_STEPS:
            resolve_typed(ctx)
        await super().on_input(ctx)

    async def _ask_branch(self, ctx: Context) -> None:
        choices = tuple(
            Choice(payload=f"branch:{b.id}", label=b.name) for b in secretary_branches(ctx)
        )
        ctx.say("youth.which_branch", choices=choices)

    async def _ask_typed(self, ctx: Context) -> None:
        """A question answered in words: what help, when, why closed."""
        ctx.say(f"youth.ask_{self.step(ctx).value}")

    async def _ask_edit_field(self, ctx: Context) -> None:
        ctx.say("youth.ask_edit_field", choices=field_choices(ctx))

    async def _ask_close_reason(self, ctx: Context) -> None:
        choices = tuple(ctx.choice(f"reason:{r}", f"youth.reason.{r}") for r in CLOSE_REASONS)
        ctx.say("youth.ask_close_reason", choices=choices)

    async def cancel(self, ctx: Context) -> None:
        ctx.end_flow()
        ctx.say("youth.closed_list")

    # -- the list ----------------------------------------------------------------------------
    async def _branch(self, ctx: Context) -> Branch | None:
        """The chosen branch, while this person is still its secretary."""
        branch_id = int(ctx.data.get("branch_id", 0))
        if not is_secretary_of(ctx, branch_id):
            return None
        return await ctx.repo(OrgRepository).branch(branch_id)

    async def _show_list(self, ctx: Context) -> None:
        branch = await self._branch(ctx)
        if branch is None:
            ctx.end_flow()
            ctx.say("youth.not_found")
            return
        show = ctx.data.get("show", OPEN)
        cases = await ctx.repo(YouthRepository).for_branch(branch.id, status=show)
        choices = [Choice(payload=f"case:{c.id}", label=case_label(ctx, c)) for c in cases]
        if show == OPEN:
            choices.append(ctx.choice("add", "youth.add_button"))
            choices.append(ctx.choice("show:closed", "youth.closed_button"))
            key = "youth.list_open" if cases else await self._empty_key(ctx, branch)
        else:
            choices.append(ctx.choice("show:open", "youth.open_button"))
            key = "youth.list_closed" if cases else "youth.list_closed_empty"
        choices.append(ctx.choice("done", "youth.done_button"))
        ctx.say(key, branch=branch.name, count=len(cases), choices=tuple(choices))

    async def _empty_key(self, ctx: Context, branch: Branch) -> str:
        """No open case: say whether the list is new or every case is closed."""
        closed = await ctx.repo(YouthRepository).for_branch(branch.id, status=CLOSED)
        return "youth.list_open_none_left" if closed else "youth.list_open_empty"

    async def _on_branch(self, ctx: Context) -> None:
        raw = (ctx.input.choice or "").removeprefix("branch:")
        if not (raw.isdigit() and is_secretary_of(ctx, int(raw))):
            ctx.say("youth.pick_from_list")
            await self.ask(ctx)
            return
        ctx.goto(self.name, Step.LIST.value, {"branch_id": int(raw), "show": OPEN})
        await self.ask(ctx)

    async def _on_list(self, ctx: Context) -> None:
        choice = ctx.input.choice or ""
        branch = await self._branch(ctx)
        if branch is None:
            ctx.end_flow()
            ctx.say("youth.not_found")
        elif choice == "done":
            await self.cancel(ctx)
        elif choice == "add":
            await add_flow.start(ctx, str(branch.id))
        elif choice in ("show:open", "show:closed"):
            ctx.update(show=choice.removeprefix("show:"))
            await self.ask(ctx)
        elif choice.startswith("case:") and choice[5:].isdigit():
            await self._open_case(ctx, int(choice[5:]))
        else:
            ctx.say("youth.pick_from_list")
            await self.ask(ctx)

    # -- one case ----------------------------------------------------------------------------
    async def _case(self, ctx: Context) -> YouthCase | None:
        branch_id = int(ctx.data.get("branch_id", 0))
        return await secretary_case(ctx, int(ctx.data.get("case_id", 0)), branch_id)

    async def _open_case(self, ctx: Context, case_id: int) -> None:
        case = await secretary_case(ctx, case_id, int(ctx.data.get("branch_id", 0)))
        if case is None:
            ctx.say("youth.not_found")
            await self.ask(ctx)
            return
        ctx.update(case_id=case.id, shown=None)
        ctx.goto(self.name, Step.CASE.value)
        await self.ask(ctx)

    async def _show_case(self, ctx: Context) -> None:
        """The full record once; asked again (after a command, a slip, a look at the history)
        only its name and the choices: sensitive data is not printed over and over."""
        case = await self._case(ctx)
        if case is None:
            ctx.goto(self.name, Step.LIST.value)
            ctx.say("youth.not_found")
            await self.ask(ctx)
            return
        shown = ctx.data.get("shown") == case.id
        if case.status == OPEN:
            choices = [
                ctx.choice("help", "youth.help_given_button"),
                ctx.choice("edit", "youth.edit_button"),
                ctx.choice("close", "youth.close_button"),
            ]
        else:
            choices = [ctx.choice("reopen", "youth.reopen_button")]
        choices.append(ctx.choice("history", "youth.history_button"))
        if shown:
            choices.append(ctx.choice("show", "youth.show_button"))
        choices.append(ctx.choice("list", "youth.back_to_list"))
        if shown:
            ctx.say("youth.case_prompt", name=case.full_name, choices=tuple(choices))
            return
        ctx.update(shown=case.id)
        ctx.say("youth.case_view", record=record_text(ctx, case), choices=tuple(choices))

    async def _on_case(self, ctx: Context) -> None:
        choice = ctx.input.choice or ""
        case = await self._case(ctx)
        if case is None or choice == "list":
            ctx.goto(self.name, Step.LIST.value)
            await self.ask(ctx)
        elif choice == "history":
            await show_history(ctx, case)
            await self.ask(ctx)
        elif choice == "show":
            ctx.update(shown=None)
            await self.ask(ctx)
        elif choice == "help" and case.status == OPEN:
            ctx.goto(self.name, Step.HELP_WHAT.value)
            await self.ask(ctx)
        elif choice == "edit" and case.status == OPEN:
            ctx.goto(self.name, Step.EDIT_FIELD.value)
            await self.ask(ctx)
        elif choice == "close" and case.status == OPEN:
            ctx.goto(self.name, Step.CLOSE_REASON.value)
            await self.ask(ctx)
        elif choice == "reopen" and case.status == CLOSED:
            await reopen_case(ctx, case)
            ctx.say("youth.case_reopened", name=case.full_name)
            ctx.update(shown=None)
            await self.ask(ctx)
        else:
            ctx.say("youth.pick_from_list")
            await self.ask(ctx)

    # -- help given ----------------------------------------------------------------------------
    async def _on_help_what(self, ctx: Context) -> None:
        text = " ".join(ctx.input.text.split()) if ctx.input.kind is InKind.TEXT else ""
        low, high = HELP_TEXT_RANGE
        if not low <= len(text) <= high:
            ctx.say("youth.bad_help_what", low=low, high=high)
            await self.ask(ctx)
            return
        ctx.update(help_what=text)
        ctx.goto(self.name, Step.HELP_WHEN.value)
        await self.ask(ctx)

    async def _on_help_when(self, ctx: Context) -> None:
        today = ctx.now.astimezone(ZoneInfo(ctx.settings.bot.timezone)).date()
        day = parse_day(ctx.input.text, today) if ctx.input.kind is InKind.TEXT else None
        if day is None or day > today:
            ctx.say("youth.bad_help_when" if day is None else "youth.future_help_when")
            await self.ask(ctx)
            return
        case = await self._case(ctx)
        if case is None or case.status != OPEN:
            await self._lost(ctx)
            return
        what = str(ctx.data.get("help_what", ""))
        await add_event(ctx, case, "help_given", {"what": what, "on": day.isoformat()})
        audit(ctx, "youth.help_given", subject(case), branch_id=case.branch_id)
        ctx.say("youth.help_saved")
        ctx.goto(self.name, Step.CASE.value)
        ctx.update(shown=None)  # the record changed: shown again, with the help given
        await self.ask(ctx)

    async def _on_edit_field(self, ctx: Context) -> None:
        field = (ctx.input.choice or "").removeprefix("field:")
        case = await self._case(ctx)
        if case is None or case.status != OPEN:
            await self._lost(ctx)
        elif field not in FIELDS:
            ctx.say("youth.pick_from_list")
            await self.ask(ctx)
        else:
            await edit_flow.start(ctx, f"{case.branch_id}:{case.id}:{field}")

    # -- closing -------------------------------------------------------------------------------
    async def _on_close_reason(self, ctx: Context) -> None:
        reason = (ctx.input.choice or "").removeprefix("reason:")
        if reason not in CLOSE_REASONS:
            ctx.say("youth.pick_from_list")
            await self.ask(ctx)
            return
        ctx.update(close_reason=reason, close_note=None)
        ctx.goto(self.name, (Step.CLOSE_NOTE if reason == "other" else Step.CLOSE_CONFIRM).value)
        await self.ask(ctx)

    async def _on_close_note(self, ctx: Context) -> None:
        text = " ".join(ctx.input.text.split()) if ctx.input.kind is InKind.TEXT else ""
        low, high = CLOSE_NOTE_RANGE
        if not low <= len(text) <= high:
            ctx.say("youth.bad_close_note", low=low, high=high)
            await self.ask(ctx)
            return
        ctx.update(close_note=text)
        ctx.goto(self.name, Step.CLOSE_CONFIRM.value)
        await self.ask(ctx)

    def _reason_text(self, ctx: Context) -> str:
        """The chosen reason as people read it; the typed note for "other"."""
        reason = str(ctx.data.get("close_reason", "other"))
        return str(ctx.data.get("close_note") or ctx.t(f"youth.reason.{reason}"))

    async def _ask_close_confirm(self, ctx: Context) -> None:
        case = await self._case(ctx)
        if case is None or case.status != OPEN:
            await self._lost(ctx)
            return
        choices = (
            ctx.choice("close_yes", "youth.close_yes_button"),
            ctx.choice("close_no", "youth.close_no_button"),
        )
        reason = self._reason_text(ctx)
        ctx.say("youth.ask_close_confirm", name=case.full_name, reason=reason, choices=choices)

    async def _on_close_confirm(self, ctx: Context) -> None:
        """Closing takes a second, deliberate answer: a slip of the thumb closes nothing."""
        choice = ctx.input.choice or ""
        case = await self._case(ctx)
        reason = str(ctx.data.get("close_reason", ""))
        if case is None or case.status != OPEN or reason not in CLOSE_REASONS:
            await self._lost(ctx)
        elif choice == "close_no":
            ctx.say("youth.close_kept")
            ctx.goto(self.name, Step.CASE.value)
            await self.ask(ctx)
        elif choice == "close_yes":
            note = ctx.data.get("close_note")
            await close_case(ctx, case, reason, str(note) if note else None)
            ctx.say("youth.case_closed", reason=self._reason_text(ctx))
            ctx.goto(self.name, Step.LIST.value)
            await self.ask(ctx)
        else:
            ctx.say("youth.pick_from_list")
            await self.ask(ctx)

    async def _lost(self, ctx: Context) -> None:
        """The case moved out of reach (closed meanwhile, or the role ended): back to the list."""
        ctx.say("youth.not_found")
        ctx.goto(self.name, Step.LIST.value)
        await self.ask(ctx)


youth_flow = YouthFlow()
