"""Signed, expiring file links: served while valid, refused when expired, forged or unknown."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.app.assembly import App
from bot.app.web.links import LinkRefused, SignedLinks, safe_filename
from bot.app.web.server import WebServer
from bot.app.wiring import signed_links
from bot.clock import ManualClock
from bot.config import load_settings
from storage.db import create_engine

SECRET = b"a-long-link-secret-for-tests"


@dataclass
class Served:
    links: SignedLinks
    clock: ManualClock
    web: WebServer


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[Served]:
    clock = ManualClock(datetime(2026, 11, 10, 2, 0, tzinfo=UTC))
    db = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}")
    web = WebServer("127.0.0.1", 0, db)
    links = SignedLinks(tmp_path / "links", "", SECRET, timedelta(minutes=60), clock)
    links.attach(web)
    await web.start()
    links.base_url = f"http://127.0.0.1:{web.bound_port}"
    yield Served(links, clock, web)
    await web.stop()
    await db.dispose()


async def fetch(url: str) -> tuple[int, bytes, dict[str, str]]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.read(), dict(response.headers)


async def test_valid_link_serves_the_file(served: Served) -> None:
    url = served.links.publish(b"PK\x03\x04 export", "Báo cáo tháng 11/2026.xlsx")
    status, body, headers = await fetch(url)
    assert status == 200 and body == b"PK\x03\x04 export"
    assert (
        headers["Content-Disposition"] == "attachment; filename*=UTF-8''Bao-cao-thang-11-2026.xlsx"
    )
    assert "no-store" in headers["Cache-Control"]
    served.clock.advance(minutes=59)
    assert (await fetch(url))[0] == 200, "still valid just before the end of its life"


async def test_expired_link_is_refused(served: Served) -> None:
    url = served.links.publish(b"chart", "chart.png")
    served.clock.advance(minutes=61)
    status, body, _ = await fetch(url)
    assert status == 403 and body == b"link expired"


def _tamper(url: str, part: int, new: str) -> str:
    base, token = url.rsplit("/", 1)
    pieces = token.split(".")
    pieces[part] = new
    return f"{base}/{'.'.join(pieces)}"


async def test_forged_links_are_refused(served: Served) -> None:
    url = served.links.publish(b"chart", "chart.png")
    file_id, expires, sig = url.rsplit("/", 1)[1].split(".")
    flipped = ("A" if sig[0] != "A" else "B") + sig[1:]
    assert (await fetch(_tamper(url, 2, flipped)))[0] == 403
    assert (await fetch(_tamper(url, 1, str(int(expires) + 86400))))[0] == 403, "longer life"
    other = SignedLinks(
        served.links.root, served.links.base_url, b"another-secret", served.links.ttl, served.clock
    )
    forged = f"{file_id}.{expires}.{other.signature(file_id, int(expires))}"
    assert (await fetch(f"{served.links.base_url}/files/{forged}"))[0] == 403
    assert (await fetch(f"{served.links.base_url}/files/not-a-token"))[0] == 404
    assert (await fetch(url))[0] == 200, "the genuine link still works"


async def test_unknown_or_swept_file_is_404(served: Served) -> None:
    links = served.links
    ghost_id = "0" * 32
    expires = int(served.clock.now().timestamp()) + 60
    ghost = f"{ghost_id}.{expires}.{links.signature(ghost_id, expires)}"
    with pytest.raises(LinkRefused) as refused:
        links.resolve(ghost)
    assert refused.value.status == 404
    old = links.publish(b"old", "old.png")
    served.clock.advance(minutes=61)
    fresh = links.publish(b"fresh", "fresh.png")  # sweeps what has expired
    assert len(list(links.root.iterdir())) == 1
    assert (await fetch(fresh))[1] == b"fresh"
    assert (await fetch(old))[0] == 403


def test_safe_filename() -> None:
    assert safe_filename("Đoàn xã Tân Long.png") == "Doan-xa-Tan-Long.png"
    assert safe_filename("../../etc/passwd") == "etc-passwd"
    assert safe_filename("...") == "file"


async def test_app_offers_links_only_with_a_public_url(tmp_path: Path) -> None:
    base = {"database": {"url": f"sqlite+aiosqlite:///{tmp_path / 'a.db'}"}}
    app = App(load_settings(**base, bot={"data_dir": str(tmp_path)}))
    assert signed_links(app) is None and app.web is None
    await app.db.dispose()
    app = App(
        load_settings(
            **base,
            bot={"data_dir": str(tmp_path)},
            web={"public_base_url": "https://bot.example.org/", "link_secret": "s" * 32},
        )
    )
    links = signed_links(app)
    assert links is not None and signed_links(app) is links
    assert app.services.get(SignedLinks) is links
    assert links.publish(b"x", "x.png").startswith("https://bot.example.org/files/")
    assert links.root == tmp_path / "links"
    await app.db.dispose()
