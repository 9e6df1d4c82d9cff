"""Who may see which branch (Chi đoàn) and which district (Huyện đoàn), and the guard that
applies it to the district's commands, choices and flows once for all."""

from __future__ import annotations

import functools
from abc import abstractmethod
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

from bot.engine.context import Context
from bot.engine.router import Router
from handlers.steps import S, StepFlow
from storage.models import Branch, District, GrassrootsUnit, Role

DISTRICT_ROLES = (Role.LEADER, Role.ADMIN)
DistrictHandler = Callable[[Context, str, District], Awaitable[None]]
H = TypeVar("H", bound=DistrictHandler)


def secretary_branches(ctx: Context) -> list[Branch]:
    """The branches this person is an active secretary of, each once, by code."""
    found: dict[int, Branch] = {}
    for role in ctx.roles(Role.SECRETARY):
        if role.branch is not None:
            found[role.branch.id] = role.branch
    return sorted(found.values(), key=lambda b: b.code)


def is_secretary_of(ctx: Context, branch_id: int) -> bool:
    """True when the person is an active secretary of that branch."""
    return any(r.branch_id == branch_id for r in ctx.roles(Role.SECRETARY))


def led_district_ids(ctx: Context) -> list[int]:
    """The districts this person leads or administers (Ban Thường vụ Huyện đoàn, admin)."""
    ids = {r.district_id for r in ctx.roles(*DISTRICT_ROLES) if r.district_id}
    return sorted(i for i in ids if i is not None)


def leads_district_of(ctx: Context, branch: Branch) -> bool:
    """True when the branch lies in a district this person leads or administers."""
    return branch.unit.district_id in led_district_ids(ctx)


def own_district(ctx: Context, *roles: Role) -> District | None:
    """Huyện đoàn of the person's first active leader/admin role (of the given kinds)."""
    for assignment in ctx.roles(*(roles or DISTRICT_ROLES)):
        if assignment.district is not None:
            return assignment.district
    return None


def own_unit(ctx: Context) -> GrassrootsUnit | None:
    """Đoàn cơ sở of the person's unit-secretary role."""
    for assignment in ctx.roles(Role.UNIT_SECRETARY):
        if assignment.unit is not None:
            return assignment.unit
    return None


def _guarded(handler: DistrictHandler, roles: tuple[Role, ...]) -> Callable[..., Awaitable[None]]:
    """`handler` run with the person's own district, or a refusal when they have none."""

    @functools.wraps(handler)
    async def guarded(ctx: Context, rest: str) -> None:
        district = own_district(ctx, *roles)
        if district is None or ctx.person is None:
            ctx.say("common.not_allowed")
            return
        await handler(ctx, rest, district)

    return guarded


class DistrictRouter(Router):
    """A router of the district's commands (leaders and admins of a Huyện đoàn): each handler
    is given the district the person runs; everyone else is refused before it runs."""

    def district_command(
        self,
        *names: str,
        roles: Iterable[Role] = DISTRICT_ROLES,
        help_key: str | None = None,
        menu_key: str | None = None,
    ) -> Callable[[H], H]:
        """A command handled as `handler(ctx, args, district)`."""
        allowed = tuple(roles)

        def register(handler: H) -> H:
            self.command(*names, roles=allowed, help_key=help_key, menu_key=menu_key)(
                _guarded(handler, allowed)
            )
            return handler

        return register

    def district_choice(
        self, prefix: str, *, roles: Iterable[Role] = DISTRICT_ROLES, anywhere: bool = False
    ) -> Callable[[H], H]:
        """A pressed choice `prefix:rest` handled as `handler(ctx, rest, district)`."""
        allowed = tuple(roles)

        def register(handler: H) -> H:
            self.on_choice(prefix, anywhere=anywhere)(_guarded(handler, allowed))
            return handler

        return register


class DistrictFlow(StepFlow[S]):
    """A flow run for one district: entered with it, and ended (refused) as soon as the person
    no longer runs that district, whatever step it is at."""

    roles: tuple[Role, ...] = DISTRICT_ROLES

    def district(self, ctx: Context) -> District | None:
        """The flow's district, while the person still runs it."""
        district = own_district(ctx, *self.roles)
        return district if district and district.id == ctx.data.get("district_id") else None

    async def start(self, ctx: Context, args: str) -> None:
        """Begin for the district the person runs (refused when none)."""
        district = own_district(ctx, *self.roles)
        if district is None or ctx.person is None:
            ctx.say("common.not_allowed")
            return
        await self.begin(ctx, district, args)

    @abstractmethod
    async def begin(self, ctx: Context, district: District, args: str) -> None:
        """Start the flow for `district` (the guard found it)."""

    def enter(self, ctx: Context, district: District, step: S, **data: Any) -> None:
        """Start the flow for `district` at `step` (any flow open before ends)."""
        ctx.goto(self.name, step.value, {"district_id": district.id, **data})

    def _refused(self, ctx: Context) -> bool:
        if self.district(ctx) is not None and ctx.person is not None:
            return False
        ctx.end_flow()
        ctx.say("common.not_allowed")
        return True

    async def ask(self, ctx: Context) -> None:
        if not self._refused(ctx):
            await super().ask(ctx)

    async def on_input(self, ctx: Context) -> None:
        if not self._refused(ctx):
            await super().on_input(ctx)
