"""Adding a young person in difficulty (thêm thanh niên khó khăn), one short step at a time."""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from bot.engine.context import Context
from bot.engine.types import Choice, InKind
from handlers.access import is_secretary_of
from handlers.choice_words import resolve_typed
from handlers.common import dispatcher
from handlers.steps import StepFlow, StepSpec
from handlers.youth.input import SEXES, birth_year_bounds, parse_birth_year, parse_categories
from handlers.youth.views import audit, categories_menu, categories_text, category_words, subject
from storage.models import YouthCase, YouthCaseEvent
from storage.repositories.youth import YouthRepository


class Step(StrEnum):
    """The questions of a new record, its confirmation, and the /huy question."""

    NAME = "name"
    BIRTH_YEAR = "birth_year"
    SEX = "sex"
    AREA = "area"
    CATEGORIES = "categories"
    SITUATION = "situation"
    HELP_NEEDED = "help_needed"
    CONFIRM = "confirm"
    #: Asked on /huy once something was typed: stop and drop the answers, or go on.
    DISCARD = "discard"


#: The questions in order, then the confirmation (their values are the data keys).
STEPS = tuple(s.value for s in Step if s is not Step.DISCARD)
QUESTIONS = len(STEPS) - 1
DISCARD = Step.DISCARD.value
MAX_TEXT = {"name": 100, "area": 200, "situation": 1000, "help_needed": 1000}
MIN_TEXT = {"name": 4, "area": 2, "situation": 5, "help_needed": 3}


class AddYouthFlow(StepFlow[Step]):
    """Full name, year of birth, sex, hamlet, categories, situation, help needed; then save."""

    name = "youth_add"

    def __init__(self) -> None:
        super().__init__(Step, Step.NAME)

    def steps(self) -> dict[Step, StepSpec[Step]]:
        """Each question goes back to the one before; the /huy question resumes instead."""
        table: dict[Step, StepSpec[Step]] = {}
        previous: Step | None = None
        for step in (Step(value) for value in STEPS):
            answer = {Step.SEX: self._sex, Step.CONFIRM: self._confirm}.get(step, self.on_text)
            table[step] = StepSpec(self.ask_step, answer, back=previous)
            previous = step
        table[Step.DISCARD] = StepSpec(self.ask_step, self._on_discard)
        return table

    async def start(self, ctx: Context, args: str) -> None:
        """`args` is the branch id, already checked by the caller."""
        ctx.goto(self.name, STEPS[0], {"branch_id": int(args)})
        await self.ask(ctx)

    def progress(self, ctx: Context) -> str:
        """'Câu 3/7. ' before each question."""
        n = STEPS.index(ctx.step or STEPS[0]) + 1
        return ctx.t("youth.progress", n=n, total=QUESTIONS)

    async def ask_step(self, ctx: Context) -> None:
        """The current question, numbered; the record to confirm; or the /huy question."""
        step = ctx.step or STEPS[0]
        if step == DISCARD:
            drop = ctx.choice("discard", "youth.discard_button")
            ctx.say(
                "youth.ask_discard", choices=(drop, ctx.choice("resume", "youth.resume_button"))
            )
            return
        progress = self.progress(ctx)
        if step == "sex":
            ctx.say("youth.ask_sex", progress=progress, choices=sex_choices(ctx))
        elif step == "birth_year":
            low, high = birth_year_bounds(self.this_year(ctx))
            ctx.say("youth.ask_birth_year", progress=progress, low=low, high=high)
        elif step == "categories":
            ctx.say("youth.ask_categories", progress=progress, menu=categories_menu(ctx))
        elif step == "confirm":
            ctx.update(reviewed=True)
            save = ctx.choice("save", "youth.save_button")
            ctx.say("youth.confirm", summary=self._summary(ctx), choices=(save,))
        else:
            ctx.say(f"youth.ask_{step}", progress=progress)

    async def on_input(self, ctx: Context) -> None:
        """Typed words name the choices of the steps that offer some."""
        if self.step(ctx) in (Step.SEX, Step.CONFIRM, Step.DISCARD):
            resolve_typed(ctx)
        await super().on_input(ctx)

    async def on_text(self, ctx: Context) -> None:
        """A typed answer: checked, kept, then the next question."""
        step = self.step(ctx).value
        if ctx.input.kind is not InKind.TEXT or not ctx.input.text:
            ctx.say("youth.text_expected")
            await self.ask(ctx)
            return
        text = " ".join(ctx.input.text.split())
        problem = self._check(ctx, step, text)
        if problem is not None:
            ctx.say(problem[0], **problem[1])
            await self.ask(ctx)
            return
        await self._next(ctx, step)

    def _check(self, ctx: Context, step: str, text: str) -> tuple[str, dict[str, Any]] | None:
        """Store the answer when it is good; else the message key (and values) saying why not."""
        if step == "birth_year":
            year = parse_birth_year(text, self.this_year(ctx))
            if year is None:
                low, high = birth_year_bounds(self.this_year(ctx))
                return "youth.bad_birth_year", {"low": low, "high": high}
            ctx.update(birth_year=year)
            return None
        if step == "categories":
            codes, unknown = parse_categories(text, category_words(ctx))
            if unknown or not codes:
                return "youth.bad_categories", {"unknown": ", ".join(unknown) or text}
            ctx.update(categories=codes)
            return None
        if not MIN_TEXT[step] <= len(text) <= MAX_TEXT[step]:
            return f"youth.bad_{step}", {"low": MIN_TEXT[step], "high": MAX_TEXT[step]}
        if step == "name" and any(ch.isdigit() for ch in text):
            return "youth.bad_name", {"low": MIN_TEXT["name"], "high": MAX_TEXT["name"]}
        ctx.update(**{step: text})
        return None

    async def _sex(self, ctx: Context) -> None:
        choice = (ctx.input.choice or "").removeprefix("sex:")
        if choice not in SEXES:
            ctx.say("youth.bad_sex")
            await self.ask(ctx)
            return
        ctx.update(sex=choice)
        await self._next(ctx, "sex")

    async def _next(self, ctx: Context, step: str) -> None:
        # A fix made from the confirm screen goes straight back to it, keeping later answers.
        following = STEPS[STEPS.index(step) + 1]
        ctx.goto(self.name, "confirm" if ctx.data.get("reviewed") else following)
        await self.ask(ctx)

    async def back(self, ctx: Context) -> None:
        if ctx.step == DISCARD:
            await self._resume(ctx)
            return
        await super().back(ctx)

    async def skip(self, ctx: Context) -> None:
        if ctx.data.get("reviewed") and ctx.step in STEPS and ctx.data.get(ctx.step) is not None:
            await self._next(ctx, ctx.step)  # while fixing: /boqua keeps what was there
            return
        if ctx.step != "help_needed":
            await super().skip(ctx)
            return
        ctx.update(help_needed=None)
        await self._next(ctx, "help_needed")

    async def cancel(self, ctx: Context) -> None:
        # Sensitive answers are not kept as a draft (see `_on_discard`), so stopping after
        # something was typed asks first; a second /huy confirms.
        answered = any(ctx.data.get(step) is not None for step in STEPS)
        if ctx.step == DISCARD or not answered:
            ctx.end_flow()
            ctx.say("youth.add_cancelled")
            return
        ctx.update(resume=ctx.step)
        ctx.goto(self.name, DISCARD)
        await self.ask(ctx)

    async def _on_discard(self, ctx: Context) -> None:
        """Drop the answers, or go back to the question where /huy was typed.

        Why no draft: these answers are sensitive personal data (Decree 13/2023); a draft would
        sit in the chat state with no audit trail, and starting any other task replaces that
        state, so "kept" would be a promise we could not keep.
        """
        if ctx.input.choice == "discard":
            await self.cancel(ctx)
        elif ctx.input.choice == "resume":
            await self._resume(ctx)
        else:
            ctx.say("youth.pick_from_list")
            await self.ask(ctx)

    async def _resume(self, ctx: Context) -> None:
        step = str(ctx.data.get("resume") or STEPS[0])
        ctx.goto(self.name, step if step in STEPS else STEPS[0])
        await self.ask(ctx)

    def _summary(self, ctx: Context) -> str:
        data = ctx.data
        return ctx.t(
            "youth.add_summary",
            name=data.get("name", ""),
            year=data.get("birth_year", ""),
            sex=ctx.t(f"youth.sex.{data.get('sex')}"),
            area=data.get("area", ""),
            categories=categories_text(ctx, data.get("categories", [])),
            situation=data.get("situation", ""),
            needed=data.get("help_needed") or "—",
        )

    async def _confirm(self, ctx: Context) -> None:
        if ctx.input.choice != "save":
            ctx.say("youth.confirm_expected")
            await self.ask(ctx)
            return
        data = ctx.data
        branch_id = int(data["branch_id"])
        if not is_secretary_of(ctx, branch_id):
            ctx.end_flow()
            ctx.say("youth.not_found")
            return
        case = await self._save(ctx, branch_id, data)
        ctx.say("youth.added", name=case.full_name)
        list_flow = dispatcher(ctx).flow("youth")
        ctx.goto("youth", "list", {"branch_id": branch_id, "show": "open"})
        if list_flow is not None:
            await list_flow.ask(ctx)

    async def _save(self, ctx: Context, branch_id: int, data: dict[str, Any]) -> YouthCase:
        by_id = ctx.person.id if ctx.person else None
        case = YouthCase(
            branch_id=branch_id,
            full_name=str(data["name"]),
            birth_year=data.get("birth_year"),
            sex=data.get("sex"),
            area=data.get("area"),
            categories=list(data.get("categories") or []),
            situation=data.get("situation"),
            help_needed=data.get("help_needed"),
            status="open",
            created_by_id=by_id,
            created_at=ctx.now,
            updated_at=ctx.now,
        )
        repo = ctx.repo(YouthRepository)
        await repo.add(case)
        await repo.add_event(
            YouthCaseEvent(case_id=case.id, kind="created", detail={}, by_id=by_id, at=ctx.now)
        )
        audit(ctx, "youth.create", subject(case), branch_id=branch_id)
        return case

    def this_year(self, ctx: Context) -> int:
        return ctx.now.astimezone(ZoneInfo(ctx.settings.bot.timezone)).year


def sex_choices(ctx: Context) -> tuple[Choice, ...]:
    return tuple(ctx.choice(f"sex:{s}", f"youth.sex.{s}") for s in SEXES)


add_flow = AddYouthFlow()
