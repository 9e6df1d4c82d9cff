"""Flows declared as tables: an Enum of steps and, for each, what it asks and what it takes.

A flow lists its steps once (`Step`), and `steps()` maps each to a `StepSpec`: the question the
step asks, the handler of an answer, and where /quaylai goes. The engine's hooks (ask, input,
back) look the current step up in that table; a step the table does not know (a conversation
saved by an older version) starts the flow over at `restart`. The conversation row stores the
step's value, with a detail after a colon where the step needs one ("field:members_total").
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

from bot.engine.context import Context
from bot.engine.router import Flow

S = TypeVar("S", bound=StrEnum)
StepHandler = Callable[[Context], Awaitable[None]]


@dataclass(frozen=True)
class StepSpec(Generic[S]):
    """One step: the question it asks, what it does with an answer, where /quaylai goes."""

    ask: StepHandler
    answer: StepHandler
    back: S | None = None


class StepFlow(Flow, Generic[S]):
    """A Flow whose steps are a declared table (see the module docstring)."""

    def __init__(self, steps: type[S], restart: S) -> None:
        """`steps`: the flow's Enum of steps; `restart`: where an unknown stored step goes."""
        self.step_type, self.restart = steps, restart
        self._table: Mapping[S, StepSpec[S]] | None = None

    @abstractmethod
    def steps(self) -> Mapping[S, StepSpec[S]]:
        """Every step of the flow and its handlers."""

    @property
    def table(self) -> Mapping[S, StepSpec[S]]:
        if self._table is None:
            self._table = self.steps()
            missing = set(self.step_type) - set(self._table)
            if missing:
                raise ValueError(f"flow {self.name}: no handler for steps {sorted(missing)}")
        return self._table

    def step(self, ctx: Context) -> S:
        """The current step ("field:members_total" is the step "field")."""
        stored = (ctx.step or "").partition(":")[0]
        try:
            return self.step_type(stored)
        except ValueError:
            return self.restart

    @staticmethod
    def detail(ctx: Context) -> str:
        """What follows the step's name in the stored step ("members_total"), if anything."""
        return (ctx.step or "").partition(":")[2]

    def go(self, ctx: Context, step: S, detail: str = "", **data: Any) -> None:
        """Move to `step` (with a detail), merging `data` into the flow's data."""
        ctx.goto(self.name, f"{step.value}:{detail}" if detail else step.value)
        if data:
            ctx.update(**data)

    def _known(self, ctx: Context) -> S:
        """The current step, moving a conversation with an unknown one to `restart`."""
        step = self.step(ctx)
        if (ctx.step or "").partition(":")[0] != step.value:
            self.go(ctx, step)
        return step

    async def ask(self, ctx: Context) -> None:
        await self.table[self._known(ctx)].ask(ctx)

    async def on_input(self, ctx: Context) -> None:
        await self.table[self._known(ctx)].answer(ctx)

    async def back(self, ctx: Context) -> None:
        """/quaylai: the step the table names, or "nothing to go back to"."""
        target = self.table[self._known(ctx)].back
        if target is None:
            ctx.say("common.nothing_to_go_back_to")
        else:
            self.go(ctx, target)
        await self.ask(ctx)
