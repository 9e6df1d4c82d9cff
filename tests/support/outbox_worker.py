"""A sender of its own, in its own process, draining the outbox through the Zalo channel.

Tests start it, kill it with SIGKILL mid-drain, and start it again:
python -m tests.support.outbox_worker DATABASE_URL ZALO_BASE_URL SENDER_NAME
It stops cleanly on SIGTERM.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import tempfile
from pathlib import Path

from bot.app.channels.zalo.channel import ZaloChannel
from bot.app.channels.zalo.client import ZaloClient
from bot.app.outbox import OutboxSender
from bot.clock import SystemClock
from bot.config import load_settings
from bot.engine.types import Incoming, Reply
from storage.db import create_engine, session_factory
from tests.zalo.fake_zalo import TOKEN

#: Fast enough for a test, still paced: a few milliseconds between sends.
LIMITS = {"per_second": 200, "per_chat_per_second": 200, "reply_reserve": 1}


async def _no_conversation(_incoming: Incoming) -> list[Reply]:
    return []


async def main(database_url: str, zalo_url: str, name: str) -> None:
    settings = load_settings(
        database={"url": database_url},
        outbox={"zalo": LIMITS, "batch_size": 10, "poll_seconds": 0.05, "sender_name": name},
    )
    db = create_engine(database_url)
    client = ZaloClient(TOKEN, zalo_url)
    sender = OutboxSender(
        sessions=session_factory(db),
        channels={"zalo": ZaloChannel(_no_conversation, client)},
        settings=settings.outbox,
        clock=SystemClock(),
        data_dir=Path(tempfile.gettempdir()),
    )
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await sender.start()
    await stop.wait()
    await sender.stop()
    await client.close()
    await db.dispose()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
