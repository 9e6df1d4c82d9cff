"""Drive the real Zalo channel and engine through the fake Zalo server, as a Zalo user would.

env = await ZaloEnv.start(harness, tmp_path, mode="webhook")
lan = env.user("z1", "Lan")
await lan.send_text("/start " + await harness.invite())
assert "đăng ký thành công" in lan.text
await lan.send_text("2")                      # a numbered choice, by number
await lan.send_photo_url(env.zalo.media_url("evidence.png"), caption="Sinh hoạt")
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from bot.app.assembly import media_store
from bot.app.channels.base import HandleIncoming
from bot.app.channels.zalo.channel import ZaloChannel
from bot.app.channels.zalo.client import RetryPolicy, ZaloClient
from bot.app.web.links import SignedLinks
from bot.app.web.server import WebServer
from bot.engine.types import Incoming, Reply
from tests.support.harness import Harness
from tests.zalo.fake_zalo import TOKEN, FakeZalo, image_event, other_event, text_event

WEBHOOK_SECRET = "test-webhook-secret"
FAST_RETRY = RetryPolicy(attempts=3, base=0.01, cap=0.05)
MAX_PHOTO_BYTES = 200_000


class Recorder:
    """Wraps `engine.handle`: remembers every `Incoming` the engine was given."""

    def __init__(self, inner: HandleIncoming) -> None:
        self.inner = inner
        self.seen: list[Incoming] = []
        self.arrived = asyncio.Condition()

    async def __call__(self, incoming: Incoming) -> list[Reply]:
        self.seen.append(incoming)
        async with self.arrived:
            self.arrived.notify_all()
        return await self.inner(incoming)

    def count(self, update_id: str) -> int:
        return sum(1 for i in self.seen if i.update_id == update_id)

    def get(self, update_id: str) -> Incoming | None:
        return next((i for i in self.seen if i.update_id == update_id), None)


@dataclass
class ZaloEnv:
    """The fake Zalo, our web server, signed links, and the Zalo channel over the real engine."""

    harness: Harness
    zalo: FakeZalo
    web: WebServer
    links: SignedLinks
    channel: ZaloChannel
    recorder: Recorder
    mode: str
    users: list[ZaloUser] = field(default_factory=list)

    @classmethod
    async def start(
        cls,
        harness: Harness,
        tmp_path: Path,
        mode: Literal["polling", "webhook"] = "polling",
        *,
        token: str = TOKEN,
        register_webhook: bool = True,
        **channel_options: Any,
    ) -> ZaloEnv:
        zalo = FakeZalo(fetch_photos=channel_options.pop("fetch_photos", False))
        await zalo.start()
        web = WebServer("127.0.0.1", 0, harness.db)
        links = SignedLinks(
            tmp_path / "links",
            "",
            b"link-secret",
            timedelta(minutes=60),
            harness.clock,
            media_root=media_store(harness.settings).root,
        )
        links.attach(web)
        recorder = Recorder(harness.engine.handle)
        client = ZaloClient(token, zalo.base_url, request_timeout=5, retry=FAST_RETRY)
        options: dict[str, Any] = {
            "max_photo_bytes": MAX_PHOTO_BYTES,
            "download_timeout": 0.5,
            "poll_timeout": 1,
        } | channel_options
        channel = ZaloChannel(
            recorder,
            client,
            mode=mode,
            web_server=web,
            webhook_secret=WEBHOOK_SECRET,
            links=links,
            turn=harness.engine.turn,
            **options,
        )
        await web.start()
        links.base_url = f"http://127.0.0.1:{web.bound_port}"
        await channel.start()
        if mode == "webhook" and register_webhook:
            # What an operator does once: `chidoan-bot zalo set-webhook`.
            await client.set_webhook(links.base_url + "/zalo/webhook", WEBHOOK_SECRET)
        return cls(harness, zalo, web, links, channel, recorder, mode)

    @property
    def webhook_url(self) -> str:
        return self.links.base_url + "/zalo/webhook"

    async def close(self) -> None:
        await self.channel.stop()
        await self.web.stop()
        await self.zalo.stop()

    def user(self, user_id: str = "z1", name: str = "Lan") -> ZaloUser:
        user = ZaloUser(self, user_id, name)
        self.users.append(user)
        return user

    async def handled(self, update_id: str, times: int = 1, within: float = 10.0) -> Incoming:
        """Wait until the engine got `update_id` (`times` times) and every reply was sent."""
        recorder = self.recorder
        async with asyncio.timeout(within):
            async with recorder.arrived:
                await recorder.arrived.wait_for(lambda: recorder.count(update_id) >= times)
            await self.channel.idle()
        incoming = recorder.get(update_id)
        assert incoming is not None
        return incoming


@dataclass
class ZaloUser:
    """One Zalo user chatting with the bot; `messages` is everything the bot said to them."""

    env: ZaloEnv
    user_id: str
    name: str
    last: list[str] = field(default_factory=list)
    last_incoming: Incoming | None = None

    @property
    def messages(self) -> list[str]:
        return self.env.zalo.sent_to(self.user_id)

    @property
    def text(self) -> str:
        """Everything the bot answered to the latest message, joined."""
        return "\n".join(self.last)

    async def send_event(self, event: dict[str, Any]) -> list[str]:
        before = len(self.messages)
        status = await self.env.zalo.push(event)
        assert status == 200, f"webhook answered {status}"
        self.last_incoming = await self.env.handled(event["message"]["message_id"])
        self.last = self.messages[before:]
        return self.last

    async def send_text(self, text: str) -> list[str]:
        return await self.send_event(text_event(self.user_id, self.name, text))

    async def send_photo_url(self, url: str, caption: str = "", key: str = "photo") -> list[str]:
        return await self.send_event(image_event(self.user_id, self.name, url, caption, key))

    async def send_other(self, event_name: str = "message.sticker.received") -> list[str]:
        return await self.send_event(other_event(self.user_id, self.name, event_name))
