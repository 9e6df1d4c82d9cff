"""`chidoan-bot telegram ...` against the fake Bot API, and how `run` attaches the channel."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app.assembly import App
from bot.app.cli import main
from bot.app.wiring import attach_chat_channels
from bot.config import ConfigError, load_settings
from tests.telegram.fake_api import TOKEN, FakeBotApi


@pytest.fixture
def threaded_api(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeBotApi]:
    """The fake API on its own loop in a thread (the CLI runs its own event loop)."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    api = FakeBotApi()
    asyncio.run_coroutine_threadsafe(api.start(), loop).result(10)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CHIDOAN_CONFIG", raising=False)
    for key, value in {
        "CHIDOAN_TELEGRAM__TOKEN": TOKEN,
        "CHIDOAN_TELEGRAM__API_BASE_URL": api.base_url,
        "CHIDOAN_TELEGRAM__FILE_BASE_URL": api.file_base_url,
        "CHIDOAN_TELEGRAM__WEBHOOK_SECRET": "cli-secret_123",
        "CHIDOAN_WEB__PUBLIC_BASE_URL": "https://bot.example.org/",
    }.items():
        monkeypatch.setenv(key, value)
    yield api
    asyncio.run_coroutine_threadsafe(api.stop(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()


def test_set_webhook_info_and_delete(
    threaded_api: FakeBotApi, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["telegram", "set-webhook"]) == 0
    call = threaded_api.calls_to("setWebhook")[-1]
    assert call.params["url"] == "https://bot.example.org/telegram/webhook"
    assert call.params["secret_token"] == "cli-secret_123"
    assert main(["telegram", "info"]) == 0
    out = capsys.readouterr().out
    assert "@chidoan_test_bot" in out and "https://bot.example.org/telegram/webhook" in out
    assert main(["telegram", "delete-webhook", "--drop-pending"]) == 0
    assert threaded_api.calls_to("deleteWebhook")[-1].params["drop_pending_updates"] == "true"
    assert main(["telegram", "info"]) == 0
    assert "(none: polling)" in capsys.readouterr().out


def test_set_webhook_explains_what_is_missing(
    threaded_api: FakeBotApi, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CHIDOAN_TELEGRAM__WEBHOOK_SECRET", "")
    assert main(["telegram", "set-webhook"]) == 2
    assert "webhook_secret" in capsys.readouterr().err
    monkeypatch.setenv("CHIDOAN_TELEGRAM__TOKEN", "")
    assert main(["telegram", "info"]) == 2
    assert "telegram.token" in capsys.readouterr().err
    assert not threaded_api.calls_to("setWebhook")


def test_a_refusal_from_telegram_is_one_line(
    threaded_api: FakeBotApi, capsys: pytest.CaptureFixture[str]
) -> None:
    threaded_api.fail("setWebhook", 400, "Bad Request: bad webhook: HTTPS url must be provided")
    assert main(["telegram", "set-webhook", "--url", "http://insecure"]) == 1
    assert "https url must be provided" in capsys.readouterr().err.lower()


async def test_run_attaches_telegram_only_when_a_token_is_set(sqlite_url: str) -> None:
    off = App(load_settings(database={"url": sqlite_url}))
    assert attach_chat_channels(off) == []
    await off.db.dispose()
    polling = App(load_settings(database={"url": sqlite_url}, telegram={"token": TOKEN}))
    assert attach_chat_channels(polling) == ["telegram"] and polling.web is None
    await polling.db.dispose()


async def test_webhook_mode_needs_a_secret_and_a_public_url(sqlite_url: str) -> None:
    base = {"token": TOKEN, "mode": "webhook"}
    for telegram, web in (
        ({**base, "webhook_secret": "abc"}, {}),
        (base, {"public_base_url": "https://bot.example.org"}),
    ):
        app = App(load_settings(database={"url": sqlite_url}, telegram=telegram, web=web))
        with pytest.raises(ConfigError):
            attach_chat_channels(app)
        await app.db.dispose()
    app = App(
        load_settings(
            database={"url": sqlite_url},
            telegram={**base, "webhook_secret": "abc"},
            web={"public_base_url": "https://bot.example.org"},
        )
    )
    assert attach_chat_channels(app) == ["telegram"]
    assert app.web is not None, "webhook mode turns the shared web server on"
    routes = {(r.method, r.resource.canonical) for r in app.web.app.router.routes() if r.resource}
    assert ("POST", "/telegram/webhook") in routes
    await app.db.dispose()
