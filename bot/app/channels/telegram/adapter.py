"""The Telegram channel: a python-telegram-bot `Application` embedded in our own runtime."""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from telegram import CallbackQuery, Message, Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, ApplicationBuilder, ExtBot

from bot.app.channels.base import Channel, ChatTurn, HandleIncoming, separate_turns
from bot.app.channels.budget import Budget, SendBudget
from bot.app.channels.telegram import inbound, outbound
from bot.app.channels.telegram.inbound import PhotoLimits
from bot.app.channels.telegram.menus import MenuSource, publish_menus
from bot.app.channels.telegram.polling import Poller
from bot.app.channels.telegram.ratelimit import BudgetRateLimiter
from bot.app.channels.telegram.render import render
from bot.app.channels.telegram.webhook import webhook_route
from bot.app.web.server import WebServer
from bot.config import ChannelLimits, ConfigError, TelegramSettings
from bot.engine.types import STALE, Incoming, Reply

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query"]
POLL_TIMEOUT_SECONDS = 25  # long poll: Telegram answers as soon as an update arrives


@dataclass(frozen=True)
class WebhookTarget:
    """Where Telegram should POST updates, and the secret it must present."""

    url: str
    secret: str


class TelegramChannel(Channel):
    """Long polling or a webhook in, `Reply` out as HTML, buttons, photos and documents.

    PTB provides the Bot API client; updates are handled by `process`, which returns once the
    engine has committed and the replies are sent, so an update is acknowledged (webhook 200,
    polling offset) only after it is stored.
    """

    name = "telegram"

    def __init__(
        self,
        handle: HandleIncoming,
        settings: TelegramSettings,
        *,
        photo_limits: PhotoLimits,
        webhook: WebhookTarget | None = None,
        web: WebServer | None = None,
        menus: MenuSource | None = None,
        turn: ChatTurn | None = None,
        budget: Budget | None = None,
    ) -> None:
        self.handle = handle
        #: Shared with the outbox (replies first); a channel of its own when none is given.
        self.budget = budget or SendBudget(ChannelLimits())
        self.settings = settings
        self.photo_limits = photo_limits
        self.webhook = webhook
        self.menus = menus
        self._turn = turn or separate_turns()
        self.menus_task: asyncio.Task[None] | None = None
        self.app = self._build()
        self.poller: Poller | None = None
        if webhook is not None:
            if not webhook.secret:
                raise ValueError("telegram.webhook_secret must be set in webhook mode")
            if web is None:
                raise ValueError("webhook mode needs the web server")
            route = webhook_route(webhook.secret, self.app.bot, self.process)
            web.add_route("POST", settings.webhook_path, route)
        else:
            self.poller = Poller(
                self.app.bot,
                self.process,
                timeout=POLL_TIMEOUT_SECONDS,
                allowed_updates=ALLOWED_UPDATES,
            )

    def _build(self) -> Application:
        builder = (
            ApplicationBuilder()
            .token(self.settings.token.get_secret_value())
            .base_url(self.settings.api_base_url)
            .base_file_url(self.settings.file_base_url)
            .rate_limiter(BudgetRateLimiter(self.budget))
            .updater(None)
            .job_queue(None)
        )
        return builder.build()

    @property
    def bot(self) -> ExtBot[Any]:
        return self.app.bot

    # -- lifecycle ---------------------------------------------------------------------------
    async def start(self) -> None:
        """getMe, then polling or setWebhook, then handling; menus are published alongside."""
        try:
            await self.app.initialize()
        except InvalidToken as exc:
            raise ConfigError("telegram.token was refused by Telegram") from exc
        try:
            await self._begin()
        except BaseException:
            await self.stop()
            raise
        log.info("telegram channel started as @%s (%s)", self.bot.username, self.settings.mode)

    async def _begin(self) -> None:
        if not self.settings.username:
            # Invite deep links (t.me/<bot>?start=CODE) need the bot's username.
            self.settings.username = self.bot.username
        if self.webhook is not None:
            await self.bot.set_webhook(
                self.webhook.url,
                secret_token=self.webhook.secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            assert self.poller is not None
            await self.poller.start()
        await self.app.start()
        if self.menus is not None:
            self.menus_task = asyncio.create_task(self._publish_menus(), name="telegram-menus")

    async def stop(self) -> None:
        """The reverse of `start`; updates being handled are finished first."""
        if self.menus_task is not None and not self.menus_task.done():
            self.menus_task.cancel()
            with suppress(asyncio.CancelledError):
                await self.menus_task
        if self.poller is not None:
            await self.poller.stop()
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()

    async def _publish_menus(self) -> None:
        assert self.menus is not None
        try:
            chats = await publish_menus(self.bot, await self.menus())
            log.info("telegram command menus set (%s chats with their own)", chats)
        except Exception:
            log.exception("telegram command menus could not be set")

    # -- inbound -----------------------------------------------------------------------------
    async def process(self, update: Update) -> None:
        """Handle one update completely; raises `NotStored` when the engine could not save it."""
        if update.callback_query is not None:
            await self._on_callback(update, update.callback_query)
        elif update.message is not None:
            if update.message.chat is None:
                log.warning("telegram update %s: message without a chat; ignored", update.update_id)
                return
            await self._on_message(update, update.message)

    async def _on_message(self, update: Update, message: Message) -> None:
        # The lock is taken before a photo is downloaded: a chat's messages keep their order.
        async with self._turn(self.name, str(message.chat.id)):
            incoming = await inbound.from_message(update, message, self.photo_limits)
            await self._deliver(incoming, await self.handle(incoming))

    async def _on_callback(self, update: Update, query: CallbackQuery) -> None:
        incoming = inbound.from_callback(update, query)
        async with self._turn(self.name, incoming.chat_id):
            replies = await self.handle(incoming)
            await self._after_press(query, replies)
            await self._deliver(incoming, replies)

    async def _after_press(self, query: CallbackQuery, replies: list[Reply]) -> None:
        """Answer the press; a current one also marks the answer on the question."""
        stale = next((r.text for r in replies if r.meta.get(STALE)), None)
        await outbound.answer_press(query, stale)
        # No replies: a redelivered press the engine already handled; the edit was made then.
        if replies and stale is None and isinstance(query.message, Message):
            await outbound.show_chosen(query)

    async def _deliver(self, incoming: Incoming, replies: list[Reply]) -> None:
        """Send the replies in order; a failed one is logged and the rest still tried."""
        for reply in replies:
            try:
                await self._send(incoming.chat_id, reply)
            except TelegramError as exc:
                log.error(
                    "reply to update %s in chat %s not sent: %s",
                    incoming.update_id,
                    incoming.chat_id,
                    exc,
                )

    # -- outbound ----------------------------------------------------------------------------
    async def _send(self, chat_id: str, reply: Reply, *, bulk: bool = False) -> None:
        for out in render(reply):
            await outbound.send_message(self.bot, chat_id, out, bulk=bulk)

    async def send(self, chat_id: str, reply: Reply) -> None:
        """Deliver one reply for the outbox; failures become `SendError`s."""
        # The chat's lock: a reminder never lands between the pieces of a conversation reply.
        async with self._turn(self.name, chat_id):
            try:
                await self._send(chat_id, reply, bulk=True)
            except TelegramError as exc:
                raise outbound.send_error(exc) from exc
