"""The processes under measurement: the bot (the real `App`) and a bare PTB echo bot.

Each serves GET /bench/counters: its CPU seconds, peak RSS, and (the bot) the SQL statements,
commits and rollbacks its database engine has seen, counted by SQLAlchemy events.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import signal
from typing import Any

from aiohttp import web

CHILD_MODES = ("bot", "echo")


class Counters:
    def __init__(self) -> None:
        self.values = {"statements": 0.0, "commits": 0.0, "rollbacks": 0.0}

    def bump(self, key: str) -> Any:
        def listener(*_args: Any) -> None:
            self.values[key] += 1

        return listener

    def snapshot(self) -> dict[str, float]:
        times = os.times()
        return {
            **self.values,
            "cpu": times.user + times.system,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }

    async def route(self, _request: web.Request) -> web.Response:
        return web.Response(text=json.dumps(self.snapshot()), content_type="application/json")


def run_child(kind: str) -> None:
    asyncio.run(_bot() if kind == "bot" else _echo())


async def _until_terminated() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()


async def _bot() -> None:
    from sqlalchemy import event

    from bot.app.assembly import App, add_background
    from bot.app.wiring import attach_chat_channels
    from bot.config import load_settings

    env = os.environ
    limits = {"per_second": 100_000, "per_chat_per_second": 100_000, "reply_reserve": 1}
    settings = load_settings(
        database={"url": env["BENCH_DB"]},
        bot={"data_dir": f"{env['BENCH_DIR']}/data-{env['BENCH_PORT']}"},
        telegram={"token": "123456:TEST-fake-token", "mode": env["BENCH_MODE"],
                  "api_base_url": env["BENCH_API"], "file_base_url": env["BENCH_FILES"],
                  "webhook_secret": env["BENCH_SECRET"]},
        web={"enabled": True, "host": "127.0.0.1", "port": int(env["BENCH_PORT"]),
             "public_base_url": "https://bench.example.org"},
        **({"outbox": {"telegram": limits}} if env.get("BENCH_UNTHROTTLED") else {}),
    )  # fmt: skip
    app = App(settings)
    counters = Counters()
    for name, key in (("before_cursor_execute", "statements"), ("commit", "commits"),
                      ("rollback", "rollbacks")):  # fmt: skip
        event.listen(app.db.sync_engine, name, counters.bump(key))
    attach_chat_channels(app)
    app.web_server().add_route("GET", "/bench/counters", counters.route)
    add_background(app)
    await app.start()
    try:
        await _until_terminated()
    finally:
        await app.stop()


async def _echo() -> None:
    from telegram import Update
    from telegram.ext import Application, ContextTypes, MessageHandler, filters

    env = os.environ
    app = (
        Application.builder()
        .token("123456:TEST-fake-token")
        .base_url(env["BENCH_API"])
        .base_file_url(env["BENCH_FILES"])
        .concurrent_updates(32)
        .build()
    )

    async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text(update.message.text or "")

    app.add_handler(MessageHandler(filters.TEXT, echo))
    counters = Counters()
    server = web.Application()
    server.router.add_get("/bench/counters", counters.route)

    async def webhook(request: web.Request) -> web.Response:
        update = Update.de_json(await request.json(), app.bot)
        await app.process_update(update)
        return web.Response(text="ok")

    server.router.add_post("/telegram/webhook", webhook)
    runner = web.AppRunner(server, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", int(env["BENCH_PORT"])).start()
    await app.initialize()
    if env["BENCH_MODE"] == "polling":
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=25)
    await app.start()
    try:
        await _until_terminated()
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await runner.cleanup()
