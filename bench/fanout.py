"""Prints what a fan-out of reminders does on Telegram: the rate it reaches, messages lost or sent
twice, and how fast secretaries get their replies meanwhile (p50/p95, next to the idle figure);
then the same fan-out with the bot killed (SIGKILL) half-way and started again.

The bot runs in a child process: the real App with its Telegram channel (python-telegram-bot,
long polling) and outbox sender (no scheduler), against a fake Bot API in this process that
enforces 30 messages a second overall and one a second per chat, answering 429 + retry_after.
The reminders are queued by the scheduler's own tick (`due_reminders`), whose time is printed.
Chatting secretaries (their branches have reported, so they get no reminder) send /cuatoi or
/trogiup every 1.5-2.5 s; a reply's latency runs from the update reaching the API's queue to
the bot's answer reaching the API.

SQLite, then PostgreSQL too when CHIDOAN_TEST_POSTGRES_URL is set (`--postgres`: PostgreSQL only).

Usage: .venv/bin/python bench/fanout.py [--reminders 2000] [--postgres] [--no-kill]
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select, update

from bot.config import load_settings
from bot.i18n import Catalog
from handlers.reminders.scheduled import due_reminders
from storage.db import create_engine, session_factory
from storage.models import ChatIdentity, OutboxMessage, Person, RoleAssignment
from storage.uow import UnitOfWork
from tests.support import databases
from tests.support.big_org import DistrictSize, seed_big_org
from tests.support.harness import local
from tests.telegram.fake_api import TOKEN, FakeBotApi
from tests.telegram.telegram_rules import FloodControl

ROOT = Path(__file__).resolve().parents[1]
SLOT = local(2026, 11, 20, 17, 1)  # the "5 days before" reminder of November is due
CHATTERS = 4
IDLE_SECONDS = 15


# -- the bot, in the child process ------------------------------------------------------------
async def serve(database_url: str, api_base: str, data_dir: str) -> None:
    """The real App: Telegram channel and outbox sender (no scheduler), until SIGTERM."""
    from bot.app.assembly import App
    from bot.app.outbox import OutboxSender
    from bot.app.wiring import attach_chat_channels

    settings = load_settings(
        database={"url": database_url},
        bot={"data_dir": data_dir},
        telegram={
            "token": TOKEN,
            "mode": "polling",
            "api_base_url": f"{api_base}/bot",
            "file_base_url": f"{api_base}/file/bot",
        },
    )
    app = App(settings)
    attach_chat_channels(app)
    extra: dict[str, Any] = {}
    if "budgets" in inspect.signature(OutboxSender).parameters:
        extra["budgets"] = app.budgets
    app.components.append(
        OutboxSender(
            sessions=app.sessions,
            channels=app.channels,
            settings=settings.outbox,
            clock=app.clock,
            data_dir=settings.bot.data_dir,
            **extra,
        )
    )
    await app.run()


# -- the world around it ----------------------------------------------------------------------
class Bench:
    """The database, the fake Bot API and the bot's process."""

    def __init__(self, url: str, folder: Path, reminders: int) -> None:
        self.url, self.folder, self.reminders = url, folder, reminders
        self.api = FakeBotApi()
        self.api.flood = FloodControl(per_second=30, chat_interval=1.0)
        self.child: asyncio.subprocess.Process | None = None
        self.chatters: list[int] = []
        self.updates = iter(range(10_000_000, 20_000_000))

    async def prepare(self) -> None:
        db = create_engine(self.url)
        await seed_big_org(
            db, [DistrictSize("F", self.reminders, per_unit=30)], period=None,
            secretaries="telegram",
        )  # fmt: skip
        await seed_big_org(db, [DistrictSize("CHAT", CHATTERS)], secretaries="telegram")
        async with UnitOfWork(session_factory(db)) as uow:
            rows = await uow.session.scalars(
                select(ChatIdentity.chat_id)
                .join(Person, Person.id == ChatIdentity.person_id)
                .join(RoleAssignment, RoleAssignment.person_id == Person.id)
                .where(Person.display_name.like("Bí thư CHAT-%"))
            )
            self.chatters = [int(chat) for chat in rows]
        await db.dispose()
        await self.api.start()

    async def start_bot(self) -> None:
        log = (self.folder / "bot.log").open("ab")
        self.child = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--serve", self.url, f"http://127.0.0.1:{self.api.port}",
            str(self.folder / "data"), cwd=ROOT, stdout=log, stderr=log,
        )  # fmt: skip
        seen = len(self.api.calls_to("getUpdates"))
        await until(lambda: len(self.api.calls_to("getUpdates")) > seen)
        # The command menus go out at start (one per secretary): let them finish first.
        counts: list[int] = []

        def settled() -> bool:
            counts.append(len(self.api.calls_to("setMyCommands")))
            return len(counts) > 1 and counts[-1] == counts[-2]

        await until(settled, every=1.0)

    async def stop_bot(self, sig: int = signal.SIGTERM) -> None:
        assert self.child is not None
        os.kill(self.child.pid, sig)
        await self.child.wait()
        self.child = None

    async def queue_reminders(self) -> float:
        """The scheduler's tick at the reminder's slot; returns its seconds. Rows become due now."""
        db = create_engine(self.url)
        started = time.perf_counter()
        async with UnitOfWork(session_factory(db)) as uow:
            added = await due_reminders(
                uow, SLOT, load_settings(database={"url": self.url}), Catalog()
            )
        took = time.perf_counter() - started
        async with UnitOfWork(session_factory(db)) as uow:
            await uow.session.execute(update(OutboxMessage).values(available_at=datetime.now(UTC)))
        await db.dispose()
        assert added == self.reminders, f"{added} queued, {self.reminders} expected"
        return took

    def reminder_deliveries(self, since: int = 0) -> list[tuple[float, int, str]]:
        chatters = set(self.chatters)
        return [d for d in self.api.delivered[since:] if d[1] not in chatters]

    # -- a secretary typing -------------------------------------------------------------------
    async def ask(self, chat_id: int, text: str) -> float:
        """Send `text` from the chat; seconds until the bot's answer reached the API."""
        seen = sum(1 for _, chat, _ in self.api.delivered if chat == chat_id)
        user = {"id": chat_id, "is_bot": False, "first_name": "Bí thư", "language_code": "vi"}
        message: dict[str, Any] = {
            "message_id": next(self.updates),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Bí thư"},
            "from": user,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        }
        asked = time.monotonic()
        await self.api.push_update({"update_id": next(self.updates), "message": message})
        return await self.api.wait_for_message(chat_id, seen, within=60) - asked

    async def chat_until(self, done: asyncio.Event, latencies: list[float]) -> None:
        async def one(chat_id: int) -> None:
            while not done.is_set():
                latencies.append(await self.ask(chat_id, random.choice(["/cuatoi", "/trogiup"])))
                await asyncio.sleep(random.uniform(1.5, 2.5))

        await asyncio.gather(*(one(chat) for chat in self.chatters))


def figures(latencies: list[float]) -> str:
    ms = sorted(x * 1000 for x in latencies)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"p50 {statistics.median(ms):5.0f} ms, p95 {p95:5.0f} ms ({len(ms)} replies)"


def tally(bench: Bench, deliveries: list[tuple[float, int, str]]) -> str:
    per_chat = Counter(chat for _, chat, _ in deliveries)
    lost = bench.reminders - len(per_chat)
    twice = sum(n - 1 for n in per_chat.values())
    return f"lost {lost}, sent twice {twice}"


async def until(done: Callable[[], bool], every: float = 0.05) -> None:
    """Poll `done`: the bot is another process, there is no event to wait on."""
    while True:
        if done():
            return
        await asyncio.sleep(every)


async def wait_for_reminders(bench: Bench, count: int, since: int, limit: float) -> bool:
    """Until `count` chats got their reminder; False when `limit` seconds pass first."""
    try:
        await asyncio.wait_for(
            until(lambda: len({c for _, c, _ in bench.reminder_deliveries(since)}) >= count, 0.2),
            limit,
        )
    except TimeoutError:
        return False
    return True


# -- the two runs -----------------------------------------------------------------------------
async def fanout_run(bench: Bench) -> None:
    await bench.prepare()
    await bench.start_bot()
    idle: list[float] = []
    done = asyncio.Event()
    chatting = asyncio.create_task(bench.chat_until(done, idle))
    await asyncio.sleep(IDLE_SECONDS)
    done.set()
    await chatting
    print(f"  replies, idle:          {figures(idle)}")
    tick = await bench.queue_reminders()
    print(f"  scheduler tick: {bench.reminders:,} reminders queued in {tick:.2f}s")
    start = len(bench.api.delivered)
    busy: list[float] = []
    done = asyncio.Event()
    chatting = asyncio.create_task(bench.chat_until(done, busy))
    complete = await wait_for_reminders(bench, bench.reminders, start, bench.reminders / 10 + 120)
    done.set()
    await chatting
    await bench.stop_bot()
    sent = bench.reminder_deliveries(start)
    took = sent[-1][0] - sent[0][0]
    rate = (len(sent) - 1) / took if took else 0.0
    # Replies spend the same 30 msg/s: the bot's use of its budget counts both.
    first, last, chatters = sent[0][0], sent[-1][0], set(bench.chatters)
    replies = sum(
        1 for at, chat, _ in bench.api.delivered[start:] if first < at <= last and chat in chatters
    )
    total = (len(sent) - 1 + replies) / took if took else 0.0
    print(f"  replies, during fan-out: {figures(busy)}")
    print(
        f"  fan-out: {len(sent):,} reminders in {took:.1f}s = {rate:.1f} msg/s "
        f"({rate / 30:.0%} of 30/s); 429s {bench.api.flood.refused if bench.api.flood else 0}; "
        f"{tally(bench, sent)}{'' if complete else '; INCOMPLETE'}"
    )
    print(
        f"  the bot's whole budget meanwhile: reminders + {replies} replies = {total:.1f} msg/s "
        f"({total / 30:.0%} of 30/s)"
    )


async def kill_run(bench: Bench) -> None:
    await bench.prepare()
    await bench.start_bot()
    await bench.queue_reminders()
    start = len(bench.api.delivered)
    half = bench.reminders // 2
    await wait_for_reminders(bench, half, start, bench.reminders / 10 + 120)
    await bench.stop_bot(signal.SIGKILL)
    killed = time.monotonic()
    before = len(bench.reminder_deliveries(start))
    await bench.start_bot()
    limit = bench.reminders / 10 + 400  # long enough to see a 300 s lease run out
    complete = await wait_for_reminders(bench, bench.reminders, start, limit)
    last = bench.reminder_deliveries(start)[-1][0] - killed
    await bench.stop_bot()
    print(
        f"  killed after {before:,} reminders; the rest had all gone {last:.1f}s after the kill "
        f"(restart included); {tally(bench, bench.reminder_deliveries(start))}"
        f"{'' if complete else '; INCOMPLETE'}"
    )


async def one_run(name: str, url: str, reminders: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        bench = Bench(url, Path(folder), reminders)
        try:
            await (fanout_run if name == "fan-out" else kill_run)(bench)
        finally:
            if bench.child is not None:
                await bench.stop_bot(signal.SIGKILL)
            await bench.api.stop()


def with_database(postgres: bool, work: Any) -> None:
    if not postgres:
        with tempfile.TemporaryDirectory() as folder:
            template = databases.make_sqlite_template(Path(folder))
            asyncio.run(work(f"sqlite+aiosqlite:///{template}"))
        return
    server = databases.postgres_server_url()
    if not server:
        sys.exit(f"--postgres needs {databases.PG_ENV}")
    url = databases.create_postgres_database(server)
    try:
        asyncio.run(work(url))
    finally:
        databases.drop_postgres_database(server, url)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        asyncio.run(serve(*sys.argv[2:5]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reminders", type=int, default=2000, help="default 2000")
    parser.add_argument(
        "--postgres", action="store_true", help="PostgreSQL only (needs CHIDOAN_TEST_POSTGRES_URL)"
    )
    parser.add_argument("--no-kill", action="store_true", help="skip the kill -9 run")
    args = parser.parse_args()
    if args.postgres:
        runs = [True]
    else:
        runs = [False, True] if databases.postgres_server_url() else [False]
    for postgres in runs:
        database = "PostgreSQL" if postgres else "SQLite"
        chatting = f"{CHATTERS} secretaries chatting"
        print(f"{database}, fan-out of {args.reminders:,} reminders, {chatting}:")
        with_database(postgres, lambda url: one_run("fan-out", url, args.reminders))
        if not args.no_kill:
            print("the same fan-out, the bot killed with SIGKILL half-way and started again:")
            with_database(postgres, lambda url: one_run("kill", url, args.reminders))


if __name__ == "__main__":
    main()
