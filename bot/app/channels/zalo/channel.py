"""The Zalo channel: long polling or a webhook in, numbered text and signed links out."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import Literal

from aiohttp import web

from bot.app.channels.base import (
    Channel,
    ChatTurn,
    HandleIncoming,
    PermanentSendError,
    RetryLater,
    SendError,
    TemporarySendError,
    separate_turns,
)
from bot.app.channels.budget import Budget, SendBudget
from bot.app.channels.zalo import updates as events
from bot.app.channels.zalo.client import (
    ZaloApiError,
    ZaloClient,
    ZaloNetworkError,
    ZaloRateLimited,
    ZaloServerError,
    ZaloUnauthorized,
)
from bot.app.channels.zalo.outgoing import compose
from bot.app.channels.zalo.photos import download_photo
from bot.app.channels.zalo.updates import ZaloUpdate, parse_update
from bot.app.web.links import SignedLinks
from bot.app.web.server import BodyTooSlow, WebServer, read_body, too_slow
from bot.config import ChannelLimits
from bot.engine.types import Incoming, InKind, NotStored, Photo, Reply

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Bot-Api-Secret-Token"
#: 4xx codes that say "not now" rather than "never" (408: the platform timed out).
TEMPORARY_CODES = frozenset({408})
#: Longest pause between failed polls (seconds).
MAX_POLL_BACKOFF = 60.0
#: Zalo publishes no limit: a gentle one when the app gives no budget.
ZALO_LIMITS = ChannelLimits(per_second=5, per_chat_per_second=1, reply_reserve=1)


def _hint(exc: Exception) -> str:
    """What an operator can do when polling is refused (a webhook set blocks getUpdates)."""
    if isinstance(exc, ZaloApiError) and 400 <= exc.code < 500:
        return " (a webhook is set? run `chidoan-bot zalo delete-webhook` or use webhook mode)"
    return ""


def _warn_if_lost(task: asyncio.Task[bool]) -> None:
    """Zalo's getUpdates has no offset: an update fetched is never fetched again (it is kept
    and tried again while the bot runs; only a stop before it is stored loses it)."""
    if not task.cancelled() and task.exception() is None and task.result() is False:
        log.error(
            "a Zalo update was not stored before the bot stopped and polling cannot fetch it "
            "again; webhook mode lets the platform deliver it again"
        )


class ZaloChannel(Channel):
    """Updates from one chat are handled in order; different chats at the same time."""

    name = "zalo"

    def __init__(
        self,
        handle: HandleIncoming,
        client: ZaloClient,
        *,
        mode: Literal["polling", "webhook"] = "polling",
        web_server: WebServer | None = None,
        webhook_path: str = "/zalo/webhook",
        webhook_secret: str = "",
        links: SignedLinks | None = None,
        max_photo_bytes: int = 10 * 1024 * 1024,
        download_timeout: float = 20.0,
        poll_timeout: int = 30,
        turn: ChatTurn | None = None,
        budget: Budget | None = None,
    ) -> None:
        self.handle = handle
        #: Shared with the outbox (replies first); a budget of its own when none is given.
        self.budget = budget or SendBudget(ZALO_LIMITS)
        self.client = client
        self.mode = mode
        self.links = links
        self.max_photo_bytes = max_photo_bytes
        self.download_timeout = download_timeout
        self.poll_timeout = poll_timeout
        self._secret = webhook_secret.encode()
        self._halted = False
        self.stopped = asyncio.Event()  # set by `stop` and when the token is rejected
        self._poller: asyncio.Task[None] | None = None
        self._checker: asyncio.Task[None] | None = None
        self._releasing: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[bool]] = set()
        self._turn = turn or separate_turns()
        if mode == "webhook":
            if web_server is None:
                raise ValueError("webhook mode needs the web server")
            if len(webhook_secret) < 8:
                raise ValueError("zalo.webhook_secret must be 8 to 256 characters in webhook mode")
            web_server.add_route("POST", webhook_path, self.webhook)

    @property
    def running(self) -> bool:
        """False once stopped, or after the platform rejected the token."""
        return not self._halted

    async def start(self) -> None:
        """Check the token in the background and, in polling mode, start polling."""
        self._halted = False
        self.stopped.clear()
        self._checker = asyncio.create_task(self._check_token(), name="zalo-getme")
        if self.mode == "polling":
            self._poller = asyncio.create_task(self._poll(), name="zalo-poller")

    async def stop(self) -> None:
        """Stop polling, let in-flight updates finish briefly, close the HTTP session."""
        self._halted = True
        self.stopped.set()
        await self._cancel_background()
        if self._tasks:
            _done, pending = await asyncio.wait(set(self._tasks), timeout=5)
            for task in pending:
                task.cancel()
        await self.client.close()

    async def _cancel_background(self) -> None:
        current = asyncio.current_task()
        for task in (self._poller, self._checker):
            if task is not None and task is not current and not task.done():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)

    async def idle(self) -> None:
        """Wait until every update received so far is handled and answered (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*set(self._tasks), return_exceptions=True)

    def _token_rejected(self) -> None:
        """A 401: this channel stops; the rest of the bot (other channels, web) keeps running."""
        if self._halted:
            return
        self._halted = True
        self.stopped.set()
        log.error(
            "Zalo token rejected (401): the Zalo channel is stopped, the rest of the bot "
            "keeps running. Check zalo.token, then restart."
        )
        self._releasing = asyncio.get_running_loop().create_task(self._release())

    async def _release(self) -> None:
        await self._cancel_background()
        await self.client.close()

    async def _check_token(self) -> None:
        try:
            me = await self.client.get_me()
        except ZaloUnauthorized:
            self._token_rejected()
        except ZaloApiError as exc:
            log.warning("Zalo getMe failed (%s); carrying on", exc)
        else:
            log.info("Zalo channel started as %s (%s)", me.account_name or me.id, self.mode)

    async def _poll(self) -> None:
        """Long polling; a poll that times out (408) is normal, other failures back off."""
        failures = 0
        while not self._halted:
            try:
                received = await self.client.get_updates(self.poll_timeout)
            except ZaloUnauthorized:
                self._token_rejected()
                return
            except Exception as exc:  # polling must outlive any one failure
                failures += 1
                wait = min(MAX_POLL_BACKOFF, 2.0 ** min(failures, 6))
                log.warning(
                    "Zalo getUpdates failed (%s); polling again in %.0fs%s", exc, wait, _hint(exc)
                )
                await asyncio.sleep(wait)
                continue
            failures = 0
            for update in received:
                task = self.dispatch(update)
                if task is not None:
                    task.add_done_callback(_warn_if_lost)

    async def webhook(self, request: web.Request) -> web.StreamResponse:
        """`POST zalo.webhook_path`: secret checked before the body is read; answered once the
        update is handled: 200 when stored, 503 when not (the platform delivers it again)."""
        if self._halted:
            return web.Response(status=503, text="channel stopped")
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            return web.Response(status=403, text="forbidden")
        try:
            update = parse_update(json.loads(await read_body(request)))
        except BodyTooSlow:
            return too_slow()
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            log.warning("Zalo webhook: malformed body (%s)", type(exc).__name__)
            return web.Response(status=400, text="malformed update")
        task = self.dispatch(update)
        if task is not None:
            # Shielded: a platform that hangs up does not cancel an update half-way.
            stored = await asyncio.shield(task)
            if not stored:
                return web.Response(status=503, text="not stored; deliver again later")
        return web.json_response({"ok": True})

    def dispatch(self, update: ZaloUpdate) -> asyncio.Task[bool] | None:
        """Handle `update` in its own task, in its chat's turn (the engine keeps one chat's
        updates in order on every channel; different chats run at the same time).

        The task's result is False when the engine could not store the update.
        """
        if update.is_bot:
            return None
        task = asyncio.create_task(self._process(update), name="zalo-update")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _process(self, update: ZaloUpdate) -> bool:
        if self._halted:
            return True
        async with self._turn(self.name, update.chat_id):
            stored = await self._answer(update)
            wait = 1.0
            # Polled updates are never fetched again: keep this one and try again until the
            # database takes it (in its chat's turn, so the chat's next messages wait behind it).
            while not stored and self.mode == "polling" and not self._halted:
                log.warning("Zalo update not stored; trying again in %.0fs", wait)
                await asyncio.sleep(wait)
                wait = min(wait * 2, MAX_POLL_BACKOFF)
                stored = await self._answer(update)
            return stored

    async def _answer(self, update: ZaloUpdate) -> bool:
        """Fetch (a photo), handle, reply — all in the chat's turn."""
        try:
            incoming = await self.incoming(update)
            replies = await self.handle(incoming)
        except NotStored:
            return False
        except Exception:
            log.exception("Zalo update %s could not be answered", update.message_id or "-")
            return True
        try:
            for reply in replies:
                await self._send(update.chat_id, reply, bulk=False)
        except SendError as exc:
            log.warning("Zalo reply to update %s not delivered: %s", update.message_id or "-", exc)
        except Exception:
            log.exception("Zalo reply to update %s failed", update.message_id or "-")
        return True

    async def incoming(self, update: ZaloUpdate) -> Incoming:
        """The engine's view of a Zalo event (commands are text starting with '/')."""
        kind, text, photo = InKind.UNSUPPORTED, "", None
        if update.event_name == events.TEXT:
            kind, text = InKind.TEXT, update.text
        elif update.event_name == events.IMAGE and update.chat_type.upper() == "PRIVATE":
            # A group's photos are never fetched: the engine answers groups with one line.
            kind, text = InKind.PHOTO, update.caption or update.text
            photo = await self._photo(update)
        return Incoming(
            channel=self.name,
            chat_id=update.chat_id,
            user_id=update.user_id,
            kind=kind,
            text=text,
            photo=photo,
            display_name=update.display_name,
            update_id=update.message_id or None,
            private=update.chat_type.upper() == "PRIVATE",
        )

    async def _photo(self, update: ZaloUpdate) -> Photo:
        return await download_photo(
            self.client.session,
            update.photo_url,
            max_bytes=self.max_photo_bytes,
            seconds=self.download_timeout,
        )

    async def send(self, chat_id: str, reply: Reply) -> None:
        """Deliver one message for the outbox (which paced it) in the chat's turn (a reminder
        never lands between the pieces of a conversation reply); errors become `SendError`s."""
        async with self._turn(self.name, chat_id):
            await self._send(chat_id, reply, bulk=True)

    async def _send(self, chat_id: str, reply: Reply, *, bulk: bool) -> None:
        """Each call to the platform; a conversational reply first takes room in the budget."""
        if self._halted:
            raise TemporarySendError("the Zalo channel is stopped")
        try:
            out = compose(reply, self.links)
            photos = [(out.photo_url, out.caption)] if out.photo_url is not None else []
            for url, caption in [*photos, *out.album]:
                async with self._room(chat_id, bulk):
                    await self.client.send_photo(chat_id, url, caption)
            for piece in out.pieces:
                async with self._room(chat_id, bulk):
                    await self.client.send_message(chat_id, piece)
        except ZaloUnauthorized:
            self._token_rejected()
            raise TemporarySendError("Zalo token rejected") from None
        except ZaloRateLimited as exc:
            await self.budget.pause(exc.retry_after)
            raise RetryLater(exc.retry_after, str(exc)) from None
        except (ZaloServerError, ZaloNetworkError) as exc:
            raise TemporarySendError(str(exc)) from None
        except ZaloApiError as exc:
            if exc.code in TEMPORARY_CODES:
                raise TemporarySendError(str(exc)) from None
            raise PermanentSendError(str(exc)) from None

    def _room(self, chat_id: str, bulk: bool) -> AbstractAsyncContextManager[None]:
        """Replies take room in the budget; the outbox took it for its messages already."""
        return nullcontext() if bulk else self.budget.reply(chat_id)
