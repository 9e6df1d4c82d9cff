"""Fixtures: the fake Bot API server, and the real bot running against it in either mode."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support.harness import Harness
from tests.telegram.driver import BotUnderTest, running_bot
from tests.telegram.fake_api import FakeBotApi


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture(params=["polling", "webhook"])
async def bot(
    request: pytest.FixtureRequest, api: FakeBotApi, sqlite_harness: Harness
) -> AsyncIterator[BotUnderTest]:
    """The bot in polling mode, then in webhook mode (SQLite)."""
    async with running_bot(api, sqlite_harness, request.param) as running:
        yield running


@pytest.fixture
async def polling_bot(api: FakeBotApi, sqlite_harness: Harness) -> AsyncIterator[BotUnderTest]:
    async with running_bot(api, sqlite_harness, "polling") as running:
        yield running


@pytest.fixture
async def webhook_bot(api: FakeBotApi, sqlite_harness: Harness) -> AsyncIterator[BotUnderTest]:
    async with running_bot(api, sqlite_harness, "webhook") as running:
        yield running
