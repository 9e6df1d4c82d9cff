"""Headless Chromium (Debian's package) driven over the DevTools protocol with aiohttp.

No driver package and no browser download: the protocol is Chromium's own, spoken over the
websocket client aiohttp already gives us. Enough for a test: open a page at a given width,
run a line of JavaScript, list the requests the page made, take a full-page screenshot.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest

#: Set by CI: a missing Chromium fails the run instead of skipping the browser tests.
REQUIRE_ENV = "CHIDOAN_REQUIRE_CHROMIUM"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
)
START_TIMEOUT = 30.0
LOAD_TIMEOUT = 30.0


def chromium_path() -> str | None:
    """The Chromium binary: $CHIDOAN_CHROMIUM, else `chromium` on the PATH."""
    return os.environ.get("CHIDOAN_CHROMIUM") or shutil.which("chromium")


def require_chromium() -> str:
    """The binary, or skip (locally) / fail (in CI) with the reason."""
    path = chromium_path()
    if path is None:
        message = "Chromium is not installed (apt-get install -y chromium): browser test skipped"
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(f"{REQUIRE_ENV} is set but {message.split(':')[0]}")
        pytest.skip(message)
    return path


@dataclass
class _Connection:
    """One websocket to the browser; commands answered by id, events kept per session."""

    socket: aiohttp.ClientWebSocketResponse
    waiting: dict[int, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)
    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def read(self) -> None:
        async for message in self.socket:
            data = json.loads(message.data)
            if "id" in data and data["id"] in self.waiting:
                self.waiting.pop(data["id"]).set_result(data)
            elif "method" in data:
                self.events.setdefault(data.get("sessionId", ""), []).append(data)
                self.changed.set()

    async def send(self, method: str, session: str = "", **params: Any) -> dict[str, Any]:
        number = next(self.ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.waiting[number] = future
        message: dict[str, Any] = {"id": number, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        await self.socket.send_str(json.dumps(message))
        answer = await asyncio.wait_for(future, LOAD_TIMEOUT)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return dict(answer.get("result", {}))

    async def wait_event(self, session: str, method: str) -> dict[str, Any]:
        async def found() -> dict[str, Any]:
            while True:
                for event in self.events.get(session, []):
                    if event["method"] == method:
                        return event
                self.changed.clear()
                await self.changed.wait()

        return await asyncio.wait_for(found(), LOAD_TIMEOUT)


@dataclass
class Page:
    """A browser tab at a fixed viewport."""

    connection: _Connection
    session: str

    async def open(self, url: str) -> None:
        """Navigate and wait for the load event (images and styles included)."""
        await self.connection.send("Page.navigate", self.session, url=url)
        await self.connection.wait_event(self.session, "Page.loadEventFired")

    async def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON-serialisable)."""
        result = await self.connection.send(
            "Runtime.evaluate", self.session, expression=expression, returnByValue=True
        )
        return result["result"].get("value")

    def requested(self) -> list[str]:
        """Every URL the page asked for."""
        return [
            e["params"]["request"]["url"]
            for e in self.connection.events.get(self.session, [])
            if e["method"] == "Network.requestWillBeSent"
        ]

    async def screenshot(self, path: Path) -> bytes:
        """The whole page as PNG, saved at `path`."""
        metrics = await self.connection.send("Page.getLayoutMetrics", self.session)
        size = metrics["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        shot = await self.connection.send(
            "Page.captureScreenshot",
            self.session,
            format="png",
            clip=clip,
            captureBeyondViewport=True,
        )
        png = base64.b64decode(shot["data"])
        await asyncio.to_thread(_save, path, png)
        return png


def _save(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@dataclass
class Browser:
    """A running headless Chromium."""

    connection: _Connection

    async def page(self, width: int, height: int) -> Page:
        """A new tab whose viewport is `width` × `height` CSS pixels (a phone below 600)."""
        target = await self.connection.send("Target.createTarget", url="about:blank")
        attached = await self.connection.send(
            "Target.attachToTarget", targetId=target["targetId"], flatten=True
        )
        session = attached["sessionId"]
        await self.connection.send(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < 600,
        )
        for domain in ("Page.enable", "Network.enable", "Runtime.enable"):
            await self.connection.send(domain, session)
        return Page(self.connection, session)


async def _debugging_port(profile: Path, process: asyncio.subprocess.Process) -> int:
    """Chromium writes the port it picked into the profile folder."""
    marker = profile / "DevToolsActivePort"
    for _ in range(int(START_TIMEOUT * 10)):
        if marker.is_file() and marker.read_text().strip():
            return int(marker.read_text().splitlines()[0])
        if process.returncode is not None:
            raise RuntimeError(f"Chromium exited with code {process.returncode}")
        await asyncio.sleep(0.1)
    raise RuntimeError("Chromium did not open its debugging port")


@contextlib.asynccontextmanager
async def headless_chromium(binary: str) -> AsyncIterator[Browser]:
    """Start Chromium with a fresh profile; stop it and remove the profile afterwards."""
    profile = Path(tempfile.mkdtemp(prefix="chidoan-chromium-"))
    process = await asyncio.create_subprocess_exec(
        binary,
        *FLAGS,
        f"--user-data-dir={profile}",
        "about:blank",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    reader: asyncio.Task[None] | None = None
    try:
        port = await _debugging_port(profile, process)
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/json/version") as response:
                address = (await response.json())["webSocketDebuggerUrl"]
            async with http.ws_connect(address, max_msg_size=0) as socket:
                connection = _Connection(socket)
                reader = asyncio.create_task(connection.read())
                yield Browser(connection)
    finally:
        if reader is not None:
            reader.cancel()
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()
        shutil.rmtree(profile, ignore_errors=True)
