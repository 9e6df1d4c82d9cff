"""Inbound updates through the real PTB stack, side by side with a bare PTB echo bot.

N registered secretaries, each in the middle of the monthly report, alternate a command and an
answer ("/quaylai", then "có" to the meeting question) against the fake Bot API of the tests.
The bot runs as its own process (`App` as `chidoan-bot run` builds it, in polling or webhook
mode), and so does a bare python-telegram-bot echo `Application` against the same fake, in the
same run. For each: updates/s, latency p50/p95/p99, the process's CPU time per update, peak
RSS, and for the bot SQL statements and transactions per update (SQLAlchemy events), with the
ratios to the echo. Twice: unthrottled (rate limits off: the engine's ceiling, as many chats at
once as `--concurrency`) and paced at `--rate` updates/s with the limiter on (for p99).
SQLite always; PostgreSQL too when CHIDOAN_TEST_POSTGRES_URL is set (database bench_inbound,
dropped and made again). `--processes 2`: two bot processes in webhook mode on PostgreSQL,
chats' updates sent alternately to each. Figures only, no assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
from sqlalchemy.engine import make_url

from bench.inbound_parts.children import CHILD_MODES, run_child
from bench.inbound_parts.figures import Figures, print_table
from bench.inbound_parts.setup import prepare_database
from tests.resilience.bot_process import free_port
from tests.telegram.fake_api import TOKEN, FakeBotApi

SECRET = "bench-webhook-secret"
CYCLE = ["/quaylai", "có"]


class Child:
    """A bot or echo process under measurement."""

    def __init__(self, kind: str, mode: str, url: str, api: FakeBotApi, folder: Path,
                 *, unthrottled: bool) -> None:  # fmt: skip
        self.kind, self.mode, self.url, self.api = kind, mode, url, api
        self.port = free_port()
        self.folder = folder
        self.unthrottled = unthrottled
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CHIDOAN_")}
        env.update(
            BENCH_API=self.api.base_url, BENCH_FILES=self.api.file_base_url, BENCH_MODE=self.mode,
            BENCH_PORT=str(self.port), BENCH_DB=self.url, BENCH_DIR=str(self.folder),
            BENCH_UNTHROTTLED="1" if self.unthrottled else "", BENCH_SECRET=SECRET,
        )  # fmt: skip
        log = (self.folder / f"{self.kind}-{self.mode}-{self.port}.log").open("ab")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, __file__, "--child", self.kind, env=env, stdout=log, stderr=log
        )
        async with aiohttp.ClientSession() as http:
            for _ in range(600):
                try:
                    async with http.get(f"http://127.0.0.1:{self.port}/bench/counters") as r:
                        if r.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise RuntimeError(f"{self.kind} did not start; see {self.folder}")

    async def counters(self) -> dict[str, float]:
        url = f"http://127.0.0.1:{self.port}/bench/counters"
        async with aiohttp.ClientSession() as http, http.get(url) as response:
            counters: dict[str, float] = await response.json()
        return counters

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await asyncio.wait_for(self.process.wait(), 30)


def text_update(api: FakeBotApi, user: int, text: str) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": api.next_message_id(), "date": int(time.time()),
        "chat": {"id": user, "type": "private", "first_name": f"Bí thư {user}"},
        "from": {"id": user, "is_bot": False, "first_name": f"Bí thư {user}",
                 "language_code": "vi"},
        "text": text,
    }  # fmt: skip
    if text.startswith("/"):
        message["entities"] = [
            {"type": "bot_command", "offset": 0, "length": len(text.split(" ", 1)[0])}
        ]
    return {"update_id": api.next_update_id(), "message": message}


class Driver:
    """Sends one chat's updates in order and times each until its reply reached the fake."""

    def __init__(self, api: FakeBotApi, children: list[Child]) -> None:
        self.api, self.children = api, children
        self.latencies: list[float] = []
        self.turn = 0

    async def send(self, http: aiohttp.ClientSession, user: int, text: str) -> None:
        child = self.children[self.turn % len(self.children)]
        self.turn += 1
        update = text_update(self.api, user, text)
        seen = sum(1 for _, chat, _ in self.api.delivered if chat == user)
        started = time.monotonic()
        if child.mode == "polling":
            await self.api.push_update(update)
            await self.api.wait_for_message(user, seen, within=60)
        else:
            url = f"http://127.0.0.1:{child.port}/telegram/webhook"
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            async with http.post(url, json=update, headers=headers) as response:
                assert response.status == 200, response.status
            await self.api.wait_for_message(user, seen, within=60)
        self.latencies.append(time.monotonic() - started)

    async def chats(self, users: list[int], texts: list[str], concurrency: int) -> float:
        """Every user sends `texts` in order, `concurrency` users at a time; elapsed seconds."""
        queue = list(users)
        started = time.monotonic()
        async with aiohttp.ClientSession() as http:

            async def worker() -> None:
                while queue:
                    user = queue.pop()
                    for text in texts:
                        await self.send(http, user, text)

            await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.monotonic() - started

    async def paced(self, users: list[int], texts: list[str], rate: float, total: int) -> float:
        """`total` updates at `rate` a second, round-robin over the users, each chat in order."""
        started = time.monotonic()
        locks = {user: asyncio.Lock() for user in users}
        position = dict.fromkeys(users, 0)
        async with aiohttp.ClientSession() as http:

            async def one(user: int) -> None:
                async with locks[user]:
                    text = texts[position[user] % len(texts)]
                    position[user] += 1
                    await self.send(http, user, text)

            tasks = []
            for n in range(total):
                await asyncio.sleep(max(0.0, started + n / rate - time.monotonic()))
                tasks.append(asyncio.create_task(one(users[n % len(users)])))
            await asyncio.gather(*tasks)
        return time.monotonic() - started


async def measure(label: str, children: list[Child], api: FakeBotApi, users: list[int],
                  args: argparse.Namespace, *, paced: bool) -> Figures:  # fmt: skip
    driver = Driver(api, children)
    before = [await c.counters() for c in children]
    if paced:
        elapsed = await driver.paced(users, CYCLE, args.rate, args.paced_updates)
    else:
        elapsed = await driver.chats(users, CYCLE * (args.messages // 2), args.concurrency)
    after = [await c.counters() for c in children]
    delta = {k: sum(a[k] - b[k] for a, b in zip(after, before, strict=True)) for k in after[0]}
    peak = max(a["peak_rss_mb"] for a in after)
    return Figures.of(label, driver.latencies, elapsed, delta, peak)


async def run_one(kind: str, mode: str, url: str, api: FakeBotApi, folder: Path, users: list[int],
                  args: argparse.Namespace, processes: int = 1) -> list[Figures]:  # fmt: skip
    rows = []
    for paced in (False, True):
        children = [Child(kind, mode, url, api, folder, unthrottled=not paced)
                    for _ in range(processes)]  # fmt: skip
        await asyncio.gather(*(c.start() for c in children))
        try:
            await warm_up(children, api, users[: min(len(users), 20)])
            db = "-" if kind == "echo" else make_url(url).get_backend_name()
            where = f"{processes} processes" if processes > 1 else mode
            label = f"{kind:4} {db:10} {where:11} {'15/s' if paced else 'max':>4}"
            label = label.replace("15/s", f"{args.rate:g}/s")
            rows.append(await measure(label, children, api, users, args, paced=paced))
        finally:
            await asyncio.gather(*(c.stop() for c in children))
    return rows


async def warm_up(children: list[Child], api: FakeBotApi, users: list[int]) -> None:
    """A few updates first: imports, caches and connections are made before measuring."""
    await Driver(api, children).chats(users, CYCLE, concurrency=len(users))


async def main(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="chidoan-inbound-"))
    api = FakeBotApi(token=TOKEN)
    await api.start()
    users = [100_000 + n for n in range(args.users)]
    now = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    urls = [f"sqlite+aiosqlite:///{folder}/bench.db"]
    server = os.environ.get("CHIDOAN_TEST_POSTGRES_URL")
    if server:
        urls.append(str(make_url(server).set(drivername="postgresql+asyncpg",
                                             database="bench_inbound")))  # fmt: skip
    rows: list[Figures] = []
    try:
        if args.processes == 1:
            for mode in ("polling", "webhook"):
                rows += await run_one("echo", mode, urls[0], api, folder, users, args)
        for url in urls if args.processes == 1 else urls[1:]:
            await prepare_database(url, server, users, now, folder, api, SECRET)
            modes = ("polling", "webhook") if args.processes == 1 else ("webhook",)
            for mode in modes:
                rows += await run_one("bot", mode, url, api, folder, users, args, args.processes)
    finally:
        await api.stop()
    print(f"inbound updates: {args.users} chats, {args.messages} updates each unthrottled "
          f"({args.concurrency} chats at once), {args.paced_updates} paced at {args.rate:g}/s; "
          f"{os.cpu_count()} cores")  # fmt: skip
    print_table(rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--messages", type=int, default=6, help="updates per chat, unthrottled")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rate", type=float, default=15)
    parser.add_argument("--paced-updates", type=int, default=150)
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="bot processes in webhook mode on PostgreSQL (2: the scale-out run)",
    )
    parser.add_argument("--child", choices=CHILD_MODES, help=argparse.SUPPRESS)
    parsed = parser.parse_args()
    if parsed.child:
        run_child(parsed.child)
    else:
        if parsed.processes > 1 and not os.environ.get("CHIDOAN_TEST_POSTGRES_URL"):
            print("--processes > 1 needs PostgreSQL: set CHIDOAN_TEST_POSTGRES_URL")
            sys.exit(0)
        asyncio.run(main(parsed))
