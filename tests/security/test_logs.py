"""Logs leak nothing: no token, no secret, no name of a young person, at any level.

The whole bot (both channels in webhook mode, signed links) runs at DEBUG against the fake
Telegram and Zalo servers, with httpx forced to log every request URL (each one carries the bot
token). A secretary adds and views young people on Telegram, a leader downloads the workbook
with names on Zalo, a handler fails with a name in its error message, a malformed update carries
a name. Then every captured line, traceback included, is searched.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest

from bot.app.assembly import App
from bot.app.cli.run import attach_chat_channels
from bot.app.web.links import SignedLinks
from bot.config import load_settings
from bot.logsafety import REDACTED, redact, safe_traceback
from bot.logsafety import install as install_log_safety
from storage.models import Role
from tests.support.harness import Harness
from tests.support.invites import invite_code
from tests.support.ops_seed import YOUTH_NAMES, seed
from tests.telegram.driver import PUBLIC_BASE_URL, WEBHOOK_SECRET, BotUnderTest
from tests.telegram.fake_api import TOKEN, FakeBotApi
from tests.youth_support import add_person
from tests.zalo.fake_zalo import SECRET_HEADER as ZALO_SECRET_HEADER
from tests.zalo.fake_zalo import TOKEN as ZALO_TOKEN
from tests.zalo.fake_zalo import FakeZalo, text_event

ZALO_SECRET = "zalo-secret-never-logged"
LINK_SECRET = "link-secret-never-logged"
NEW_NAME = "Đặng Thị Hoa"


@asynccontextmanager
async def whole_bot(harness: Harness) -> AsyncIterator[tuple[App, FakeBotApi, FakeZalo]]:
    api, zalo = FakeBotApi(), FakeZalo()
    await api.start()
    await zalo.start()
    settings = load_settings(
        database={"url": harness.url},
        bot={"data_dir": str(harness.data_dir), "log_level": "DEBUG"},
        telegram={
            "token": TOKEN,
            "mode": "webhook",
            "api_base_url": api.base_url,
            "file_base_url": api.file_base_url,
            "webhook_secret": WEBHOOK_SECRET,
        },
        zalo={
            "token": ZALO_TOKEN,
            "mode": "webhook",
            "api_base_url": zalo.base_url,
            "webhook_secret": ZALO_SECRET,
        },
        web={
            "host": "127.0.0.1",
            "port": 0,
            "public_base_url": PUBLIC_BASE_URL,
            "link_secret": LINK_SECRET,
        },
    )
    app = App(settings, clock=harness.clock)
    assert attach_chat_channels(app) == ["telegram", "zalo"]
    await app.start()
    try:
        yield app, api, zalo
    finally:
        await app.stop()
        await api.stop()
        await zalo.stop()


def forbidden() -> list[str]:
    return [
        TOKEN,
        TOKEN.split(":")[1],
        ZALO_TOKEN,
        ZALO_TOKEN.split(":")[1],
        WEBHOOK_SECRET,
        ZALO_SECRET,
        LINK_SECRET,
        NEW_NAME,
        *YOUTH_NAMES,
    ]


async def test_a_debug_log_of_the_whole_bot_holds_no_secret_and_no_name(
    harness: Harness, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_log_safety()  # what every process does first, before any database work
    caplog.set_level(logging.DEBUG)
    await seed(harness)
    async with whole_bot(harness) as (app, api, zalo):
        for chatty in ("httpx", "httpcore"):
            logging.getLogger(chatty).setLevel(logging.DEBUG)  # every request URL, token in it
        assert app.web is not None
        base = f"http://127.0.0.1:{app.web.bound_port}"
        links = app.services.maybe(SignedLinks)
        assert links is not None
        links.base_url = base  # the public address is a reverse proxy's; here, ours
        bot = BotUnderTest(api, app, "webhook", [])
        secretary = bot.user(8001, "Lan")
        await secretary.send_text(f"/start {await invite_code(app.sessions, app.clock)}")
        await add_person(_TelegramChat(secretary), name=NEW_NAME)
        await secretary.send_text("/thanhnien")
        await secretary.send_text("1")
        assert YOUTH_NAMES[0] in secretary.text, "a seeded record was shown (not logged)"

        def exploding(_ctx: Any, case: Any) -> str:
            raise ValueError(f"cannot show {case.full_name}")

        monkeypatch.setattr("handlers.youth.secretary.record_text", exploding)
        await secretary.send_text("/thanhnien")
        await secretary.send_text("1")
        assert secretary.text == app.catalog.t("vi", "common.error")

        malformed = b'{"update_id": 9, "message": {"text": "%s"}}' % YOUTH_NAMES[0].encode()
        assert await bot.post_webhook(malformed) == 400

        leader = await _zalo_leader(app, zalo, base)
        url = next(u for u in leader if "/files/" in u)
        async with aiohttp.ClientSession() as http, http.get(url) as response:
            assert response.status == 200
    text = caplog.text + "\n".join(r.exc_text or "" for r in caplog.records)
    assert any(r.levelno == logging.DEBUG for r in caplog.records), "the run was at DEBUG"
    assert "ValueError" in text, "the handler's failure was logged (without its message)"
    assert REDACTED in text, "request URLs were logged, token cut out"
    leaked = [secret for secret in forbidden() if secret in text]
    assert leaked == []


class _TelegramChat:
    """add_person's view of a Telegram user: say, press, text."""

    def __init__(self, user: Any) -> None:
        self.user = user

    async def say(self, text: str) -> None:
        await self.user.send_text(text)

    async def press(self, label: str) -> None:
        await self.user.press(label)

    @property
    def text(self) -> str:
        return str(self.user.text)


async def _zalo_leader(app: App, zalo: FakeZalo, base: str) -> list[str]:
    """A leader on Zalo exports the month with names; returns the words of the bot's answer."""
    code = await invite_code(app.sessions, app.clock, Role.LEADER, "PH")
    headers = {ZALO_SECRET_HEADER: ZALO_SECRET}
    async with aiohttp.ClientSession() as http:
        for text in (f"/start {code}", "/xuat 2026-11", "2"):
            body = {"ok": True, "result": text_event("zl1", "Anh Tuấn", text)}
            async with http.post(f"{base}/zalo/webhook", json=body, headers=headers) as response:
                assert response.status == 200
    return " ".join(zalo.sent_to("zl1")).split()


def test_redaction_cuts_tokens_out_of_urls_and_known_secrets() -> None:
    url = "POST https://api.telegram.org/bot123456:AAH-secret_value/sendMessage 200"
    assert redact(url) == f"POST https://api.telegram.org/bot{REDACTED}/sendMessage 200"
    file_url = "GET https://api.telegram.org/file/bot123456:AAH-secret/photos/1.jpg"
    assert "AAH-secret" not in redact(file_url)
    assert "99999:" not in redact("token 99999:abcdefghijklmnopqrstuvwxyz0123")


def test_a_traceback_names_the_place_not_the_value() -> None:
    name = "Nguyễn Văn An"
    try:
        int(name)
    except ValueError as exc:
        text = safe_traceback(exc)
    assert "builtins.ValueError" in text and "test_logs.py" in text
    assert "Nguyễn" not in text
