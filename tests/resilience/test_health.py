"""/healthz says 200 only when the bot can work: the database takes a write, the disk has room."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp

from bot.app.web.server import MB, WebLimits, WebServer
from storage import migrate
from tests.resilience.storage_faults import writes_refused
from tests.support.harness import Harness
from tests.support.tally import TALLY


async def health(server: WebServer) -> tuple[int, dict[str, Any]]:
    url = f"http://127.0.0.1:{server.bound_port}/healthz"
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.json()


async def test_an_unwritable_database_is_503(harness: Harness, tmp_path: Path) -> None:
    server = WebServer("127.0.0.1", 0, harness.db, WebLimits(disk_paths=[tmp_path]))
    await server.start()
    try:
        assert await health(server) == (200, {"status": "ok", "database": "ok", "disk": "ok"})
        async with writes_refused(harness.db):
            status, body = await health(server)
        assert status == 503
        assert body == {"status": "degraded", "database": "unwritable", "disk": "ok"}
        assert (await health(server))[0] == 200, "healthy again once writes are taken"
    finally:
        await server.stop()


async def test_the_write_probe_leaves_nothing_behind(harness: Harness, tmp_path: Path) -> None:
    server = WebServer("127.0.0.1", 0, harness.db, WebLimits(disk_paths=[tmp_path]))
    await server.start()
    try:
        for _ in range(3):
            assert (await health(server))[0] == 200
    finally:
        await server.stop()
    assert await migrate.current_revision(harness.db) == migrate.head_revision()


async def test_a_data_folder_short_of_space_is_503(harness: Harness, tmp_path: Path) -> None:
    needs_more_than_any_disk = WebLimits(min_free_bytes=10**9 * MB, disk_paths=[tmp_path])
    server = WebServer("127.0.0.1", 0, harness.db, needs_more_than_any_disk)
    await server.start()
    try:
        status, body = await health(server)
        TALLY.survived("data folder short of space")
    finally:
        await server.stop()
    assert status == 503 and body["database"] == "ok"
    assert body["disk"].startswith("low: ")
