"""The engine: one unit of work per update, per-chat ordering, dedupe, durable state."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager
from contextvars import ContextVar, Token
from dataclasses import replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import crashpoints
from bot.clock import Clock
from bot.config import Settings
from bot.engine import edge
from bot.engine.context import Context, Input
from bot.engine.failures import storage_failure
from bot.engine.router import Dispatcher, Router
from bot.engine.services import Services
from bot.engine.textnorm import resolve_choice
from bot.engine.types import Choice, Incoming, InKind, NotStored, Reply
from bot.i18n import Catalog, pick_locale
from bot.logsafety import describe, safe_traceback
from storage.models import Conversation, Person
from storage.repositories.conversations import AlreadyHandled
from storage.repositories.people import PeopleRepository
from storage.repositories.turns import TurnRepository
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

SEQ_SEPARATOR = "|"


#: The chats whose turn the current task holds (a task holding a turn may take it again).
_HELD: ContextVar[frozenset[tuple[str, str]]] = ContextVar("held_chats", default=frozenset())


class ChatLocks:
    """One lock per chat: updates from one chat run in order, different chats in parallel.

    A task that holds a chat's turn may enter it again (a channel holds it from the download
    of a photo to the last reply sent; the engine's own `handle` then just goes on)."""

    def __init__(self) -> None:
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}
        self._users: dict[tuple[str, str], int] = {}

    def hold(self, key: tuple[str, str]) -> _Held:
        return _Held(self, key)


class _Held:
    def __init__(self, locks: ChatLocks, key: tuple[str, str]) -> None:
        self.locks, self.key = locks, key
        self._token: Token[frozenset[tuple[str, str]]] | None = None

    async def __aenter__(self) -> None:
        if self.key in _HELD.get():
            return  # this task already holds the chat's turn
        locks = self.locks
        lock = locks._locks.setdefault(self.key, asyncio.Lock())
        locks._users[self.key] = locks._users.get(self.key, 0) + 1
        await lock.acquire()
        self._token = _HELD.set(_HELD.get() | {self.key})

    async def __aexit__(self, *exc: object) -> None:
        if self._token is None:
            return
        _HELD.reset(self._token)
        self._token = None
        locks = self.locks
        locks._locks[self.key].release()
        locks._users[self.key] -= 1
        if locks._users[self.key] == 0:
            del locks._users[self.key]
            del locks._locks[self.key]


def parse_command(text: str) -> tuple[str, str] | None:
    """'/baocao@chidoan_bot 2026-11' → ('baocao', '2026-11'); None when not a command."""
    if not text.startswith("/") or len(text) < 2:
        return None
    head, _, args = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    return (name, args.strip()) if name else None


class Engine:
    """Turns an `Incoming` into the replies to send, saving everything in one transaction."""

    def __init__(
        self,
        *,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        routers: Iterable[Router],
        clock: Clock,
        catalog: Catalog | None = None,
        services: Services | None = None,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.dispatcher = Dispatcher(routers)
        self.clock = clock
        self.catalog = catalog or Catalog()
        self.services = services or Services()
        self.services.provide(clock, Clock)
        self.services.provide(self.catalog)
        self._locks = ChatLocks()

    def turn(self, channel: str, chat_id: str) -> AbstractAsyncContextManager[None]:
        """A chat's turn: channels hold it from receiving an update (a photo's download
        included) to its last reply, and around a proactive send, so one chat's messages
        keep their order on every channel."""
        return self._locks.hold((channel, chat_id))

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Handle one update; its replies once everything it changed is committed.

        A handler's failure becomes an apology (nothing half-saved). Raises `NotStored` when
        the update could not be saved at all, so the channel leaves it unacknowledged.
        """
        crashpoints.reached("received", incoming.text)
        if not incoming.private:
            return self._not_private(incoming)
        refusal = edge.refusal(incoming)
        if refusal is not None:
            return [Reply(text=self.catalog.t(await self._locale_of(incoming), refusal))]
        incoming = edge.cleaned(incoming)
        async with self._locks.hold((incoming.channel, incoming.chat_id)):
            try:
                return await self._handle(incoming)
            except NotStored:
                raise
            except Exception as exc:
                if storage_failure(exc):
                    log.error(
                        "update %s on %s not stored (%s); left for redelivery",
                        incoming.update_id or "-",
                        incoming.channel,
                        describe(exc),
                    )
                    raise NotStored(describe(exc)) from exc
                log.error(
                    "update %s on %s failed:\n%s",
                    incoming.update_id or "-",
                    incoming.channel,
                    safe_traceback(exc),
                )
                return [Reply(text=self.catalog.t(self._hinted_locale(incoming), "common.error"))]

    def _hinted_locale(self, incoming: Incoming) -> str:
        return pick_locale(incoming.language_hint, default=self.settings.bot.default_locale)

    def _not_private(self, incoming: Incoming) -> list[Reply]:
        """A group or channel: one line to commands and buttons, silence otherwise, no lookup."""
        asked = incoming.kind is InKind.CHOICE or (
            incoming.kind is InKind.TEXT and parse_command(incoming.text.strip()) is not None
        )
        if not asked:
            return []
        return [Reply(text=self.catalog.t(self._hinted_locale(incoming), "common.private_only"))]

    async def _locale_of(self, incoming: Incoming) -> str:
        """The language this person chose, read without writing anything."""
        try:
            async with self.sessions() as session:
                person = await PeopleRepository(session).by_identity(
                    incoming.channel, incoming.user_id
                )
                chosen = person.locale if person is not None else None
        except Exception as exc:
            if not storage_failure(exc):
                raise
            chosen = None
        return pick_locale(chosen, incoming.language_hint, default=self.settings.bot.default_locale)

    async def _handle(self, incoming: Incoming) -> list[Reply]:
        try:
            return await self._handle_once(incoming)
        except AlreadyHandled:
            log.info("update %s on %s handled elsewhere", incoming.update_id, incoming.channel)
            return []

    async def _handle_once(self, incoming: Incoming) -> list[Reply]:
        """One transaction: the chat's turn, its state, the handler's work, the update log."""
        now = self.clock.now()
        replies: list[Reply] = []
        work_done = False
        channel, chat_id, update_id = incoming.channel, incoming.chat_id, incoming.update_id
        try:
            async with UnitOfWork(self.sessions) as uow:
                turns = uow.get(TurnRepository)
                # Across processes (PostgreSQL) the chat's turn is taken here, and the update
                # marked handled in the same statement; see storage.repositories.turns.
                if not await turns.claim(channel, chat_id, update_id, now):
                    log.info("update %s on %s already handled", update_id, channel)
                    return []
                turn = await turns.open(channel, chat_id, incoming.user_id, update_id, now)
                if turn.already_handled:
                    log.info("update %s on %s already handled", update_id, channel)
                    return []
                replies = await self._work(incoming, uow, turn.conversation, turn.person, now)
                # Until this commits, a redelivery is handled again. Raises AlreadyHandled
                # when the update was marked meanwhile (SQLite; PostgreSQL marked it above).
                await turns.record(channel, update_id, now)
                crashpoints.reached("before_commit", incoming.text)
                work_done = True
        except Exception as exc:
            if work_done:  # the handler finished; only the commit failed
                raise NotStored(describe(exc)) from exc
            raise
        return replies

    async def _work(
        self,
        incoming: Incoming,
        uow: UnitOfWork,
        conv: Conversation,
        person: Person | None,
        now: datetime,
    ) -> list[Reply]:
        ctx = self._context(incoming, uow, conv, person, now)
        await self._dispatch(ctx)
        ctx.store_state()
        conv.updated_at = now
        if person is not None and conv.person_id != person.id:
            conv.person_id = person.id
        # A mistyped command leaves what was offered before answerable.
        keep = ctx.nothing_new and not ctx.state_touched
        return self._remember_choices(conv, ctx.replies, keep_previous=keep)

    def _context(
        self,
        incoming: Incoming,
        uow: UnitOfWork,
        conv: Conversation,
        person: Person | None,
        now: datetime,
    ) -> Context:
        locale = pick_locale(
            person.locale if person else conv.locale,
            incoming.language_hint,
            default=self.settings.bot.default_locale,
        )
        return Context(
            incoming=incoming,
            input=Input(kind=incoming.kind, text=incoming.text.strip(), photo=incoming.photo),
            uow=uow,
            conversation=conv,
            person=person,
            locale=locale,
            settings=self.settings,
            catalog=self.catalog,
            services=self.services,
            dispatcher=self.dispatcher,
            now=now,
        )

    async def _dispatch(self, ctx: Context) -> None:
        d = self.dispatcher
        conv = ctx.conversation
        text = ctx.input.text
        if ctx.input.kind is InKind.TEXT and (command := parse_command(text)):
            name, args = command
            spec = d.command(name)
            if spec is None and ctx.person is None and d.unregistered is not None:
                await d.unregistered(ctx)
                return
            if spec is None:
                ctx.nothing_new = True
                ctx.say("common.unknown_command", command=name)
                await d.resume_flow(ctx, None)
                return
            await d.run_command(ctx, spec, args)
            return
        if ctx.input.kind is InKind.CHOICE:
            seq, _, payload = ctx.incoming.payload.rpartition(SEQ_SEPARATOR)
            if seq and seq != str(conv.seq):
                ctx.stale()
                return
            ctx.input = replace(ctx.input, choice=payload)
        elif ctx.input.kind is InKind.TEXT and conv.choices:
            resolved = resolve_choice(text, conv.choices)
            if resolved is not None:
                ctx.input = replace(ctx.input, kind=InKind.CHOICE, choice=resolved)
        if ctx.input.choice is not None:
            prefix, _, rest = ctx.input.choice.partition(":")
            anywhere = d.anywhere_choices.get(prefix)
            if anywhere is not None:
                await anywhere(ctx, rest)
                return
        flow = d.flow(ctx.flow)
        if ctx.flow and flow is None:
            log.warning("chat was in unknown flow %s; starting over", ctx.flow)
            ctx.end_flow()
        if ctx.person is None and not (flow and flow.public):
            if d.unregistered is not None:
                await d.unregistered(ctx)
            return
        if ctx.input.kind is InKind.UNSUPPORTED:
            ctx.say("common.unsupported")
            if flow is not None:
                await flow.ask(ctx)
            return
        if flow is not None:
            await flow.on_input(ctx)
            return
        await self._outside_flow(ctx)

    async def _outside_flow(self, ctx: Context) -> None:
        d = self.dispatcher
        if ctx.input.choice is not None:
            prefix, _, rest = ctx.input.choice.partition(":")
            handler = d.choices.get(prefix)
            if handler is None:
                ctx.stale()
            else:
                await handler(ctx, rest)
        elif ctx.input.kind is InKind.PHOTO and d.photo is not None:
            await d.photo(ctx)
        elif ctx.input.kind is InKind.TEXT and (spec := d.bare_command(ctx.input.text)):
            await d.run_command(ctx, spec, "")
        elif d.fallback is not None:
            await d.fallback(ctx)
        else:
            ctx.say("common.didnt_understand")

    def _remember_choices(
        self, conv: Conversation, replies: list[Reply], *, keep_previous: bool = False
    ) -> list[Reply]:
        """Store the last offered choices (typed numbers map to them) and stamp their buttons."""
        if not replies:
            return replies
        last = max((i for i, r in enumerate(replies) if r.choices), default=None)
        if last is None:
            if not keep_previous:
                conv.choices = []
            return replies
        reply = replies[last]
        conv.seq = (conv.seq or 0) + 1
        conv.choices = [[c.payload, c.label] for c in reply.choices]
        stamped = tuple(
            Choice(payload=f"{conv.seq}{SEQ_SEPARATOR}{c.payload}", label=c.label)
            for c in reply.choices
        )
        out = list(replies)
        out[last] = replace(reply, choices=stamped)
        return out
