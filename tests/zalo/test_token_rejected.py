"""A rejected token (401) stops the Zalo channel with one clear line; the rest keeps running."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Literal

import aiohttp
import pytest

from bot.app.assembly import App
from bot.app.channels.base import TemporarySendError
from bot.app.channels.zalo.channel import ZaloChannel
from bot.app.wiring import attach_chat_channels
from bot.config import ConfigError, Settings, load_settings
from bot.engine.types import Reply
from tests.support.harness import Harness
from tests.zalo.driver import WEBHOOK_SECRET, ZaloEnv
from tests.zalo.fake_zalo import SECRET_HEADER, FakeZalo, text_event

REVOKED = "1234567890:revoked-token"


def rejections(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if "Zalo token rejected" in r.getMessage()]


async def healthz(port: int) -> int:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{port}/healthz") as response,
    ):
        return response.status


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_revoked_token_stops_the_channel_not_the_web_server(
    sqlite_harness: Harness,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    mode: Literal["polling", "webhook"],
) -> None:
    caplog.set_level(logging.INFO)
    env = await ZaloEnv.start(sqlite_harness, tmp_path, mode, token=REVOKED, register_webhook=False)
    try:
        await asyncio.wait_for(env.channel.stopped.wait(), 5)
        refused = env.zalo.rejected
        await asyncio.sleep(0.5)
        assert env.zalo.rejected == refused, "no more calls with a rejected token"
        assert not env.channel.running
        [record] = rejections(caplog)
        assert record.levelno == logging.ERROR and "rest of the bot keeps running" in record.message
        assert REVOKED.split(":")[1] not in caplog.text
        assert await healthz(env.web.bound_port) == 200
        with pytest.raises(TemporarySendError):
            await env.channel.send("z1", Reply(text="Xin chào"))
    finally:
        await env.close()


async def test_401_while_polling_stops_polling(
    polling_env: ZaloEnv, caplog: pytest.LogCaptureFixture
) -> None:
    polling_env.zalo.fail("getUpdates", 401, "Unauthorized")
    await asyncio.wait_for(polling_env.channel.stopped.wait(), 5)
    polls = len(polling_env.zalo.called("getUpdates"))
    await asyncio.sleep(0.5)
    assert len(polling_env.zalo.called("getUpdates")) == polls
    assert len(rejections(caplog)) == 1


async def test_401_on_send_keeps_the_message_for_later_and_stops_the_channel(
    sqlite_harness: Harness, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    env = await ZaloEnv.start(sqlite_harness, tmp_path, "webhook")
    try:
        env.zalo.fail("sendMessage", 401, "Unauthorized")
        with pytest.raises(TemporarySendError):
            await env.channel.send("z1", Reply(text="Nhắc hạn"))
        assert env.channel.stopped.is_set()
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                env.webhook_url,
                json={"ok": True, "result": text_event("z1", "Lan", "xin chào")},
                headers={SECRET_HEADER: WEBHOOK_SECRET},
            ) as response,
        ):
            assert response.status == 503, "Zalo is asked to deliver again later"
        assert len(rejections(caplog)) == 1
    finally:
        await env.close()


def app_settings(tmp_path: Path, url: str, zalo: FakeZalo, **zalo_settings: str) -> Settings:
    return load_settings(
        database={"url": url},
        bot={"data_dir": str(tmp_path / "data")},
        zalo={"api_base_url": zalo.base_url, **zalo_settings},
        web={"enabled": True, "port": 0, "public_base_url": "https://bot.example.org"},
    )


async def test_the_whole_app_keeps_running_after_a_401(
    sqlite_url: str, tmp_path: Path, fake_zalo: FakeZalo, caplog: pytest.LogCaptureFixture
) -> None:
    app = App(app_settings(tmp_path, sqlite_url, fake_zalo, token=REVOKED))
    assert attach_chat_channels(app) == ["zalo"]
    channel = app.channels["zalo"]
    assert isinstance(channel, ZaloChannel)
    await app.start()
    try:
        await asyncio.wait_for(channel.stopped.wait(), 5)
        assert app.web is not None
        assert await healthz(app.web.bound_port) == 200
        assert len(rejections(caplog)) == 1
    finally:
        await app.stop()


async def test_attach_in_webhook_mode_needs_a_real_secret(
    sqlite_url: str, tmp_path: Path, fake_zalo: FakeZalo
) -> None:
    settings = app_settings(tmp_path, sqlite_url, fake_zalo, token="1:x", mode="webhook")
    with pytest.raises(ConfigError, match="webhook_secret"):
        attach_chat_channels(App(settings))
    settings = app_settings(
        tmp_path,
        sqlite_url,
        fake_zalo,
        token="1:x",
        mode="webhook",
        webhook_secret=WEBHOOK_SECRET,
    )
    app = App(settings)
    assert attach_chat_channels(app) == ["zalo"]
    assert app.web is not None
    paths = {r.resource.canonical for r in app.web.app.router.routes() if r.resource}
    assert {"/zalo/webhook", "/files/{token}", "/healthz"} <= paths
    await app.db.dispose()


async def test_no_token_no_zalo(sqlite_url: str, tmp_path: Path, fake_zalo: FakeZalo) -> None:
    app = App(app_settings(tmp_path, sqlite_url, fake_zalo))
    assert attach_chat_channels(app) == []
    await app.db.dispose()
