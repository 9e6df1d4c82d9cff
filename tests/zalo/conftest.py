"""Fixtures: the Zalo channel over the real engine, against a fake Zalo server, in both modes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.harness import Harness
from tests.zalo.driver import ZaloEnv
from tests.zalo.fake_zalo import FakeZalo


@pytest.fixture(params=["polling", "webhook"])
async def zalo_env(
    request: pytest.FixtureRequest, sqlite_harness: Harness, tmp_path: Path
) -> AsyncIterator[ZaloEnv]:
    """Polling and webhook mode, on SQLite."""
    env = await ZaloEnv.start(sqlite_harness, tmp_path, request.param)
    yield env
    await env.close()


@pytest.fixture
async def polling_env(sqlite_harness: Harness, tmp_path: Path) -> AsyncIterator[ZaloEnv]:
    env = await ZaloEnv.start(sqlite_harness, tmp_path, "polling")
    yield env
    await env.close()


@pytest.fixture
async def fake_zalo() -> AsyncIterator[FakeZalo]:
    zalo = FakeZalo()
    await zalo.start()
    yield zalo
    await zalo.stop()
