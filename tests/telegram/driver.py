"""Drive the real bot (App + Telegram channel + PTB) through the fake Bot API as chat users would.

async with running_bot(api, harness, "polling") as bot:
    lan = bot.user(1001, "Lan")
    await lan.send_text(f"/start {code}")
    await lan.press("English")
    await lan.send_photo(jpeg_bytes, caption="Sinh hoạt chi đoàn")
    assert "→ English" in lan.messages[-2]["text"]
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp

from bot.app.assembly import App
from bot.app.channels.telegram import TelegramChannel
from bot.app.channels.telegram.webhook import SECRET_HEADER
from bot.app.wiring import attach_chat_channels
from bot.config import load_settings
from bot.engine.types import Incoming, Reply
from tests.support.harness import Harness
from tests.telegram.fake_api import TOKEN, FakeBotApi

WEBHOOK_SECRET = "s3cret-For-tests_only"
PUBLIC_BASE_URL = "https://bot.example.org"
SETTLE_SECONDS = 15

_DEFAULT = object()


class BotUnderTest:
    """The running app; `deliver` hands Telegram an update and waits until it is fully handled."""

    def __init__(self, api: FakeBotApi, app: App, mode: str, received: list[Incoming]) -> None:
        self.api = api
        self.app = app
        self.mode = mode
        #: Every `Incoming` that reached the engine, in order.
        self.received = received

    @property
    def channel(self) -> TelegramChannel:
        channel = self.app.channels["telegram"]
        assert isinstance(channel, TelegramChannel)
        return channel

    @property
    def webhook_url(self) -> str:
        assert self.app.web is not None
        path = self.app.settings.telegram.webhook_path
        return f"http://127.0.0.1:{self.app.web.bound_port}{path}"

    async def post_webhook(self, body: bytes | dict[str, Any], secret: Any = _DEFAULT) -> int:
        """POST to our webhook as Telegram would; returns the HTTP status."""
        headers = {"Content-Type": "application/json"}
        if secret is _DEFAULT:
            secret = WEBHOOK_SECRET
        if secret is not None:
            headers[SECRET_HEADER] = secret
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.webhook_url, data=data, headers=headers) as response,
        ):
            return response.status

    async def deliver(self, update: dict[str, Any]) -> None:
        """Polling: queue it at the fake API; webhook: POST it. Then wait until handled."""
        if self.mode == "polling":
            await self.api.push_update(update)
            await self.api.wait_confirmed(update["update_id"], within=SETTLE_SECONDS)
        else:
            assert await self.post_webhook(update) == 200
        await self.settle()

    async def settle(self) -> None:
        """Until every update PTB has queued is handled (replies sent, edits done)."""
        await asyncio.wait_for(self.channel.app.update_queue.join(), SETTLE_SECONDS)

    def user(self, user_id: int, first_name: str, **kwargs: Any) -> TelegramUser:
        return TelegramUser(self, user_id, first_name, **kwargs)


class TelegramUser:
    """A private chat with the bot: send text, press buttons by label, send photos; read replies."""

    def __init__(
        self,
        bot: BotUnderTest,
        user_id: int,
        first_name: str,
        last_name: str = "",
        language_code: str | None = "vi",
    ) -> None:
        self.bot = bot
        self.api = bot.api
        self.user_id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.language_code = language_code
        #: The bot's messages that arrived in answer to the latest action.
        self.last: list[dict[str, Any]] = []

    # -- the Telegram objects ----------------------------------------------------------------
    def _from(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def _chat(self) -> dict[str, Any]:
        return {"id": self.user_id, "type": "private", "first_name": self.first_name}

    def _message(self, **content: Any) -> dict[str, Any]:
        return {
            "update_id": self.api.next_update_id(),
            "message": {
                "message_id": self.api.next_message_id(),
                "date": int(time.time()),
                "chat": self._chat(),
                "from": self._from(),
                **content,
            },
        }

    # -- actions -----------------------------------------------------------------------------
    async def deliver(self, update: dict[str, Any]) -> list[dict[str, Any]]:
        """Deliver an update from this user; returns the bot's new messages in this chat."""
        before = {m["message_id"] for m in self.messages}
        await self.bot.deliver(update)
        self.last = [m for m in self.messages if m["message_id"] not in before]
        return self.last

    def text_update(self, text: str) -> dict[str, Any]:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split(" ", 1)[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._message(**content)

    async def send_text(self, text: str) -> list[dict[str, Any]]:
        return await self.deliver(self.text_update(text))

    def photo_update(self, data: bytes, caption: str = "", reachable: bool = True) -> dict:
        """A photo in three sizes, as Telegram sends it; only the largest holds `data`."""
        thumbs = [self.api.add_file(b"thumb-%d" % i) for i in range(2)]
        largest = self.api.add_file(data, reachable=reachable)
        sizes = [
            {"file_id": f.file_id, "file_unique_id": f.file_id, "width": w, "height": h,
             "file_size": len(f.data)}
            for f, (w, h) in zip([*thumbs, largest], [(90, 68), (320, 240), (1280, 960)],
                                 strict=True)
        ]  # fmt: skip
        content: dict[str, Any] = {"photo": sizes}
        if caption:
            content["caption"] = caption
        return self._message(**content)

    async def send_photo(
        self, data: bytes, caption: str = "", *, reachable: bool = True
    ) -> list[dict[str, Any]]:
        return await self.deliver(self.photo_update(data, caption, reachable))

    async def send_sticker(self) -> list[dict[str, Any]]:
        sticker = {"file_id": "STICKER1", "file_unique_id": "S1", "width": 512, "height": 512,
                   "is_animated": False, "is_video": False, "type": "regular"}  # fmt: skip
        return await self.deliver(self._message(sticker=sticker))

    def press_update(self, label: str, message: dict[str, Any] | None = None) -> dict:
        """A callback query for the button `label` on `message` (default: the latest keyboard)."""
        message = message or self.keyboard_message()
        assert message is not None, f"no buttons in chat; last: {self.text}"
        buttons = [b for row in message["reply_markup"]["inline_keyboard"] for b in row]
        matches = [b for b in buttons if b["text"] == label]
        assert matches, f"no button {label!r} in {[b['text'] for b in buttons]}"
        return {
            "update_id": self.api.next_update_id(),
            "callback_query": {
                "id": f"cq{self.api.next_update_id()}",
                "from": self._from(),
                "chat_instance": f"ci{self.user_id}",
                "data": matches[0]["callback_data"],
                "message": json.loads(json.dumps(message)),
            },
        }

    async def press(self, label: str, message: dict[str, Any] | None = None) -> list[dict]:
        return await self.deliver(self.press_update(label, message))

    # -- reading -----------------------------------------------------------------------------
    @property
    def messages(self) -> list[dict[str, Any]]:
        """Everything the bot sent to this chat, as it reads now (edits applied)."""
        return self.api.chat_messages(self.user_id)

    def keyboard_message(self) -> dict[str, Any] | None:
        """The latest message in the chat that still has buttons."""
        with_buttons = [m for m in self.messages if m.get("reply_markup")]
        return with_buttons[-1] if with_buttons else None

    @property
    def buttons(self) -> list[str]:
        message = self.keyboard_message()
        if message is None:
            return []
        return [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]

    @property
    def text(self) -> str:
        """The texts (and captions) of the bot's latest answer, joined."""
        return "\n".join(m.get("text") or m.get("caption") or "" for m in self.last)


def _recording(app: App, received: list[Incoming]) -> None:
    """Wrap the engine's `handle` so tests see exactly what reached the engine."""
    handle = app.engine.handle

    async def recording(incoming: Incoming) -> list[Reply]:
        received.append(incoming)
        return await handle(incoming)

    app.engine.handle = recording  # type: ignore[method-assign]


def bot_settings(api: FakeBotApi, harness: Harness, mode: str, **overrides: Any) -> Any:
    telegram = {
        "token": TOKEN,
        "mode": mode,
        "api_base_url": api.base_url,
        "file_base_url": api.file_base_url,
        "webhook_secret": WEBHOOK_SECRET,
        **overrides.pop("telegram", {}),
    }
    return load_settings(
        database={"url": harness.url},
        bot={"data_dir": str(harness.data_dir)},
        telegram=telegram,
        web={"host": "127.0.0.1", "port": 0, "public_base_url": PUBLIC_BASE_URL},
        **overrides,
    )


@asynccontextmanager
async def running_bot(
    api: FakeBotApi, harness: Harness, mode: str, **overrides: Any
) -> AsyncIterator[BotUnderTest]:
    """The real App, wired by `attach_chat_channels`, sharing the harness's database and clock."""
    app = App(bot_settings(api, harness, mode, **overrides), clock=harness.clock)
    received: list[Incoming] = []
    _recording(app, received)
    assert attach_chat_channels(app) == ["telegram"]
    await app.start()
    try:
        yield BotUnderTest(api, app, mode, received)
    finally:
        await app.stop()
