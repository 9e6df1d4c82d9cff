"""The real bot as a separate process (`python -m bot run`), against the fake Telegram and Zalo.

Only a real process can be killed with SIGKILL half-way through an update; the test-only crash
point (`bot.crashpoints`) chooses the moment.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bot.app.channels.telegram.webhook import SECRET_HEADER as TELEGRAM_SECRET_HEADER
from bot.app.channels.zalo.channel import SECRET_HEADER as ZALO_SECRET_HEADER
from bot.crashpoints import ENV as KILL_AT
from tests.telegram.fake_api import FakeBotApi
from tests.zalo.fake_zalo import FakeZalo

TELEGRAM_SECRET = "telegram-webhook-secret-for-tests"
ZALO_SECRET = "zalo-webhook-secret-for-tests"
LINK_SECRET = "link-secret-for-the-kill-tests"
START_WITHIN = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class BotProcess:
    """One `python -m bot run` in webhook mode for both channels; restartable."""

    database_url: str
    data_dir: Path
    telegram: FakeBotApi
    zalo: FakeZalo
    log: Path
    port: int = field(default_factory=free_port)
    #: More settings for this process (CHIDOAN_... variables).
    settings: dict[str, str] = field(default_factory=dict)
    process: asyncio.subprocess.Process | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self, kill_at: str | None) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("CHIDOAN_") and key != KILL_AT
        }
        env.update(
            {
                "CHIDOAN_DATABASE__URL": self.database_url,
                "CHIDOAN_BOT__DATA_DIR": str(self.data_dir),
                "CHIDOAN_TELEGRAM__TOKEN": self.telegram.token,
                "CHIDOAN_TELEGRAM__MODE": "webhook",
                "CHIDOAN_TELEGRAM__API_BASE_URL": self.telegram.base_url,
                "CHIDOAN_TELEGRAM__FILE_BASE_URL": self.telegram.file_base_url,
                "CHIDOAN_TELEGRAM__WEBHOOK_SECRET": TELEGRAM_SECRET,
                "CHIDOAN_ZALO__TOKEN": self.zalo.token,
                "CHIDOAN_ZALO__MODE": "webhook",
                "CHIDOAN_ZALO__API_BASE_URL": self.zalo.base_url,
                "CHIDOAN_ZALO__WEBHOOK_SECRET": ZALO_SECRET,
                "CHIDOAN_WEB__HOST": "127.0.0.1",
                "CHIDOAN_WEB__PORT": str(self.port),
                "CHIDOAN_WEB__PUBLIC_BASE_URL": self.base_url,
                "CHIDOAN_WEB__LINK_SECRET": LINK_SECRET,
            }
        )
        env.update(self.settings)
        if kill_at is not None:
            env[KILL_AT] = kill_at
        return env

    async def start(self, kill_at: str | None = None) -> None:
        """Start the bot; return once /healthz answers."""
        with self.log.open("ab") as out:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                env=self.environment(kill_at),
                cwd=self.data_dir.parent,
                stdout=out,
                stderr=out,
            )
        deadline = time.monotonic() + START_WITHIN
        async with aiohttp.ClientSession() as http:
            while time.monotonic() < deadline:
                if self.process.returncode is not None:
                    raise AssertionError(f"the bot exited at start; see {self.log}")
                try:
                    async with http.get(self.base_url + "/healthz") as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise AssertionError(f"the bot did not start within {START_WITHIN}s; see {self.log}")

    async def killed(self) -> int:
        """Wait for the process to die at its crash point; its exit status."""
        assert self.process is not None
        return await asyncio.wait_for(self.process.wait(), 30)

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 20)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()

    async def post(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> int | None:
        """POST as the platform does; None when the connection died before an answer."""
        try:
            async with (
                aiohttp.ClientSession() as http,
                http.post(self.base_url + path, json=body, headers=headers) as response,
            ):
                return response.status
        except (aiohttp.ClientError, ConnectionError):
            return None

    async def telegram_update(self, update: dict[str, Any]) -> int | None:
        return await self.post(
            "/telegram/webhook", update, {TELEGRAM_SECRET_HEADER: TELEGRAM_SECRET}
        )

    async def zalo_update(self, event: dict[str, Any]) -> int | None:
        body = {"ok": True, "result": event}
        return await self.post("/zalo/webhook", body, {ZALO_SECRET_HEADER: ZALO_SECRET})
