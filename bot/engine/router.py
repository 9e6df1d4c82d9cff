"""Routers: each handlers module declares its commands, flows, menu choices and photo handler."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import ClassVar

from bot.engine.context import Context
from bot.engine.textnorm import fold
from storage.models import Role

CommandHandler = Callable[[Context, str], Awaitable[None]]
Handler = Callable[[Context], Awaitable[None]]
ChoiceHandler = Callable[[Context, str], Awaitable[None]]


class Flow(ABC):
    """A guided conversation whose position is stored in the database.

    Subclasses implement `start`, `ask` (state the current question again) and `on_input`;
    the other hooks have sensible defaults.
    """

    name: str = ""
    #: Whether someone not yet registered may be in this flow (registration is).
    public: bool = False
    #: Where /quaylai goes from each step, for flows whose steps form a simple chain.
    back_steps: ClassVar[dict[str, str]] = {}

    @abstractmethod
    async def start(self, ctx: Context, args: str) -> None: ...

    @abstractmethod
    async def ask(self, ctx: Context) -> None: ...

    @abstractmethod
    async def on_input(self, ctx: Context) -> None: ...

    async def back(self, ctx: Context) -> None:
        target = self.back_steps.get(ctx.step or "")
        if target is None:
            ctx.say("common.nothing_to_go_back_to")
        else:
            ctx.goto(self.name, target)
        await self.ask(ctx)

    async def skip(self, ctx: Context) -> None:
        ctx.say("common.cannot_skip")
        await self.ask(ctx)

    async def help(self, ctx: Context) -> None:
        await self.ask(ctx)

    async def cancel(self, ctx: Context) -> None:
        ctx.end_flow()
        ctx.say("common.cancelled")


@dataclass(frozen=True)
class CommandSpec:
    """A slash command: Vietnamese name first, English alias(es) after."""

    names: tuple[str, ...]
    handler: CommandHandler
    roles: frozenset[Role] | None  # None: any registered person
    public: bool  # usable before registration
    help_key: str | None  # shown in /help when set
    menu_key: str | None  # offered as a button in the main menu when set
    # Commands that steer the current flow themselves (help, back, skip, cancel, language);
    # after any other command the current question is asked again.
    flow_control: bool = False

    def allowed(self, ctx: Context) -> bool:
        if self.public:
            return True
        if ctx.person is None:
            return False
        return self.roles is None or ctx.has_role(*self.roles)


class Router:
    """Collects one capability's commands, flows and handlers."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.commands: list[CommandSpec] = []
        self.flows: list[Flow] = []
        self.choices: dict[str, ChoiceHandler] = {}
        self.anywhere_choices: dict[str, ChoiceHandler] = {}
        self.photo: Handler | None = None
        self.unregistered: Handler | None = None
        self.fallback: Handler | None = None

    def command(
        self,
        *names: str,
        roles: Iterable[Role] | None = None,
        public: bool = False,
        help_key: str | None = None,
        menu_key: str | None = None,
        flow_control: bool = False,
    ) -> Callable[[CommandHandler], CommandHandler]:
        def register(handler: CommandHandler) -> CommandHandler:
            spec = CommandSpec(
                names=tuple(names),
                handler=handler,
                roles=frozenset(roles) if roles is not None else None,
                public=public,
                help_key=help_key,
                menu_key=menu_key,
                flow_control=flow_control,
            )
            self.commands.append(spec)
            return handler

        return register

    def flow(self, flow: Flow) -> Flow:
        self.flows.append(flow)
        return flow

    def on_choice(
        self, prefix: str, *, anywhere: bool = False
    ) -> Callable[[ChoiceHandler], ChoiceHandler]:
        """Handle a pressed choice `prefix:rest`; the handler gets `rest`.

        Outside any flow by default; `anywhere=True` also takes it in the middle of a flow
        (the language switch and the main menu do).
        """

        def register(handler: ChoiceHandler) -> ChoiceHandler:
            (self.anywhere_choices if anywhere else self.choices)[prefix] = handler
            return handler

        return register

    def on_photo(self, handler: Handler) -> Handler:
        """Handle a photo sent outside any flow."""
        self.photo = handler
        return handler

    def on_unregistered(self, handler: Handler) -> Handler:
        """Handle any message from someone not yet registered."""
        self.unregistered = handler
        return handler

    def on_fallback(self, handler: Handler) -> Handler:
        """Handle what nothing else took: text outside any flow that is not a command."""
        self.fallback = handler
        return handler


class Dispatcher:
    """All routers merged; names must not clash."""

    def __init__(self, routers: Iterable[Router]) -> None:
        self.commands: list[CommandSpec] = []
        self._by_name: dict[str, CommandSpec] = {}
        self.flows: dict[str, Flow] = {}
        self.choices: dict[str, ChoiceHandler] = {}
        self.anywhere_choices: dict[str, ChoiceHandler] = {}
        self.photo: Handler | None = None
        self.unregistered: Handler | None = None
        self.fallback: Handler | None = None
        for router in routers:
            self._include(router)

    def _include(self, router: Router) -> None:
        for spec in router.commands:
            self.commands.append(spec)
            for name in spec.names:
                if name in self._by_name:
                    raise ValueError(f"command /{name} declared twice ({router.name})")
                self._by_name[name] = spec
        for flow in router.flows:
            if flow.name in self.flows:
                raise ValueError(f"flow {flow.name} declared twice ({router.name})")
            self.flows[flow.name] = flow
        for table, mine in (
            (self.choices, router.choices),
            (self.anywhere_choices, router.anywhere_choices),
        ):
            for prefix, handler in mine.items():
                if prefix in self.choices or prefix in self.anywhere_choices:
                    raise ValueError(f"choice prefix {prefix} declared twice ({router.name})")
                table[prefix] = handler
        for hook in ("photo", "unregistered", "fallback"):
            mine = getattr(router, hook)
            if mine is None:
                continue
            if getattr(self, hook) is not None:
                raise ValueError(f"a second {hook} handler in {router.name}")
            setattr(self, hook, mine)

    def command(self, name: str) -> CommandSpec | None:
        return self._by_name.get(name.lower())

    def bare_command(self, text: str) -> CommandSpec | None:
        """A command typed without its slash ('bao cao', 'baocao'), as Zalo users do."""
        return self._by_name.get(fold(text).replace(" ", ""))

    def allowed_commands(self, ctx: Context) -> list[CommandSpec]:
        """The commands this person may use, in declaration order."""
        return [spec for spec in self.commands if spec.allowed(ctx)]

    def flow(self, name: str | None) -> Flow | None:
        return self.flows.get(name) if name else None

    async def run_command(self, ctx: Context, spec: CommandSpec, args: str) -> None:
        """Run `spec` if the person may, else say why not (learning nothing more).

        A command that did not move the current flow is a side trip (/cuatoi in the middle of
        the report): the question that was waiting is asked again, so it stays the last word.
        """
        if spec.allowed(ctx):
            await spec.handler(ctx, args)
        elif ctx.person is None and self.unregistered is not None:
            await self.unregistered(ctx)
            return
        else:
            ctx.nothing_new = True
            ctx.say("common.not_allowed")
        await self.resume_flow(ctx, spec)

    async def resume_flow(self, ctx: Context, spec: CommandSpec | None) -> None:
        """Ask the waiting question again after a side trip (never after flow controls)."""
        flow = self.flow(ctx.flow)
        if flow is None or ctx.state_touched or (spec is not None and spec.flow_control):
            return
        if any(reply.choices for reply in ctx.replies):
            return  # the side trip asked its own question (e.g. the language choice)
        await flow.ask(ctx)
