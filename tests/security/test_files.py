"""Files only the bot's user can read; names workbooks gone at expiry; their downloads audited.

Every check runs under umask 022, where files would otherwise be created readable by everyone.
"""

from __future__ import annotations

import asyncio
import io
import os
import stat
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from io import StringIO
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select, text

from bot.app.assembly import App
from bot.app.channels.console import ConsoleChannel
from bot.app.cli import main
from bot.app.web.links import LinkSweeper, SignedLinks, audit_download
from bot.app.web.server import WebServer
from bot.config import load_settings
from bot.engine.types import Attachment, Reply
from storage.db import create_engine
from storage.models import AuditEntry
from tests.resilience.storage_faults import writes_refused
from tests.support.harness import Harness
from tests.support.ops_seed import seed

SECRET = b"a-long-link-secret-for-tests"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


async def test_data_folder_and_database_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    database = data / "chidoan.db"
    app = App(
        load_settings(
            database={"url": f"sqlite+aiosqlite:///{database}"}, bot={"data_dir": str(data)}
        )
    )
    try:
        async with app.db.begin() as conn:
            await conn.execute(text("CREATE TABLE probe (x INTEGER)"))
            await conn.execute(text("INSERT INTO probe VALUES (1)"))
        assert mode(data) == 0o700
        assert mode(database) == 0o600
        for companion in ("chidoan.db-wal", "chidoan.db-shm"):
            assert mode(data / companion) == 0o600, companion
    finally:
        await app.db.dispose()


async def test_an_existing_database_is_made_private(tmp_path: Path) -> None:
    database = tmp_path / "old.db"
    database.touch(mode=0o644)
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    await engine.dispose()
    assert mode(database) == 0o600


@pytest.fixture
async def links(tmp_path: Path, harness: Harness) -> AsyncIterator[tuple[SignedLinks, str]]:
    web = WebServer("127.0.0.1", 0, harness.db)
    served = SignedLinks(tmp_path / "links", "", SECRET, timedelta(minutes=60), harness.clock)

    async def audit(path: Path, remote: str) -> None:
        await audit_download(harness.sessions, harness.clock, path, remote)

    served.audit = audit
    served.attach(web)
    await web.start()
    served.base_url = f"http://127.0.0.1:{web.bound_port}"
    yield served, served.base_url
    await web.stop()


async def fetch(url: str) -> int:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        await response.read()
        return response.status


async def downloads(harness: Harness) -> list[AuditEntry]:
    async with harness.uow() as uow:
        rows = await uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "download_youth_export")
        )
        return list(rows)


async def test_link_files_are_private(links: tuple[SignedLinks, str]) -> None:
    served, _ = links
    url = served.publish(b"PK names", "baocao-PH-2026-11-co-ten.xlsx", sensitive=True)
    folder = next(served.root.iterdir())
    assert mode(served.root) == 0o700 and mode(folder) == 0o700
    assert all(mode(f) == 0o600 for f in folder.iterdir())
    assert await fetch(url) == 200


async def test_a_names_workbook_is_deleted_when_its_link_expires(
    links: tuple[SignedLinks, str], harness: Harness
) -> None:
    served, _ = links
    url = served.publish(b"PK names", "baocao-PH-2026-11-co-ten.xlsx", sensitive=True)
    sweeper = LinkSweeper(served)
    assert sweeper.sweep() == 0
    harness.clock.advance(minutes=61)
    await sweeper.start()  # sweeps at once, then every minute
    await sweeper.stop()
    assert list(served.root.iterdir()) == [], "nothing left on disk"
    assert await fetch(url) == 403


async def test_every_download_of_names_is_audited(
    links: tuple[SignedLinks, str], harness: Harness
) -> None:
    served, _ = links
    names = served.publish(b"PK names", "baocao-PH-2026-11-co-ten.xlsx", sensitive=True)
    chart = served.publish(b"\x89PNG chart", "chart.png")
    assert await fetch(names) == 200
    assert await fetch(names) == 200
    assert await fetch(chart) == 200
    entries = await downloads(harness)
    assert len(entries) == 2
    assert entries[0].detail == {"file": "baocao-PH-2026-11-co-ten.xlsx", "remote": "127.0.0.1"}
    assert entries[0].subject == f"link:{names.rsplit('/', 1)[1].split('.')[0]}"


async def test_a_download_of_names_that_cannot_be_audited_is_refused(
    links: tuple[SignedLinks, str], harness: Harness
) -> None:
    served, _ = links
    names = served.publish(b"PK names", "baocao-PH-2026-11-co-ten.xlsx", sensitive=True)
    async with writes_refused(harness.db):
        assert await fetch(names) == 503
    assert await downloads(harness) == []


async def test_only_the_signed_form_of_a_token_opens_a_file(
    links: tuple[SignedLinks, str],
) -> None:
    served, base = links
    url = served.publish(b"PK", "x.xlsx")
    token = url.rsplit("/", 1)[1]
    file_id, expires, sig = token.split(".")
    variants = [
        f"{file_id}.0{expires}.{sig}",  # a leading zero: same number, another token
        f"{token}%0a",  # a trailing newline slipped past `$`
        f"{token}%0A",
        f"{file_id.upper()}.{expires}.{sig}",
        f"{token}.",
        f"%20{token}",
    ]
    for variant in variants:
        assert await fetch(f"{base}/files/{variant}") == 404, variant
    assert await fetch(url) == 200


async def test_exports_written_by_the_cli_are_private(
    harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed(harness)
    monkeypatch.setenv("CHIDOAN_DATABASE__URL", harness.url)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "thang-11.xlsx"
    args = ["export", "--period", "2026-11", "--out", str(out), "--with-youth"]
    assert await asyncio.to_thread(main, args) == 0
    assert mode(out) == 0o600


async def test_files_the_console_saves_are_private(tmp_path: Path) -> None:
    async def nothing(_incoming: object) -> list[Reply]:
        return []

    console = ConsoleChannel(
        nothing, user_id="me", display_name="me", out_dir=tmp_path / "console", stdout=StringIO()
    )
    workbook = Attachment(b"PK names", "baocao-co-ten.xlsx", "application/vnd.ms-excel")
    await console.send("me", Reply(text="", document=workbook))
    assert mode(tmp_path / "console") == 0o700
    assert mode(tmp_path / "console" / "baocao-co-ten.xlsx") == 0o600


def test_photos_are_private(tmp_path: Path) -> None:
    from PIL import Image

    from bot.media import MediaStore

    picture = io.BytesIO()
    Image.new("RGB", (16, 12), "blue").save(picture, format="PNG")
    store = MediaStore(tmp_path / "media", 10 * 1024 * 1024)
    stored = store.save(picture.getvalue())
    assert mode(store.path(stored.sha256, stored.mime)) == 0o600
