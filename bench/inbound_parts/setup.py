"""A database with N secretaries registered and each in the middle of the monthly report."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from bot.engine.types import Incoming, InKind
from bot.orgfile import OrgRow
from handlers.organisation import apply_org
from storage import migrate
from storage.models import Role
from tests.support.harness import Harness
from tests.telegram.fake_api import FakeBotApi

#: Up to the meeting question: the bench then goes back to it and answers it, again and again.
OPENING = ["30", "2", "0", "1", "có"]


async def _recreate(server: str, url: str) -> None:
    name = make_url(url).database
    raw = make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(raw)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def prepare_database(url: str, server: str | None, users: list[int], now: datetime,
                           folder: Path, api: FakeBotApi, secret: str) -> None:  # fmt: skip
    """Migrated, one branch per user, every user registered and at the meeting question."""
    if server and make_url(url).get_backend_name() == "postgresql":
        await _recreate(server, url)
    await asyncio.to_thread(migrate.upgrade, url)
    harness = Harness(url, folder / "setup", now=now)
    rows = [OrgRow(0, "D", "Huyện đoàn Bench", f"U{b // 20}", f"Đoàn {b // 20}", f"B{b}",
                   f"Chi đoàn {b}") for b in range(len(users))]  # fmt: skip
    async with harness.uow() as uow:
        await apply_org(uow, rows)
    codes = [await harness.invite(Role.SECRETARY, f"B{b}") for b in range(len(users))]

    async def one(index: int, user: int) -> None:
        texts = [f"/start {codes[index]}", f"/baocao {now:%m/%Y}", *OPENING]
        for n, text in enumerate(texts):
            await harness.engine.handle(
                Incoming("telegram", str(user), str(user), kind=InKind.TEXT, text=text,
                         display_name=f"Bí thư {user}", update_id=f"setup-{user}-{n}")
            )  # fmt: skip

    for start in range(0, len(users), 20):
        await asyncio.gather(*(one(i, users[i]) for i in range(start, min(len(users), start + 20))))
    await harness.close()
