"""The one aiohttp web server of the process: health check, webhooks, signed media links."""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.logsafety import describe

log = logging.getLogger(__name__)

RouteHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]
MB = 1024 * 1024
#: A write the database must accept for the bot to work, rolled back so it changes nothing.
WRITE_PROBE = text("UPDATE alembic_version SET version_num = version_num")


@dataclass(frozen=True)
class WebLimits:
    """How long a client may take, and what health needs (free disk where we write)."""

    # A connection that has not sent a whole request within this is closed (slow or idle).
    idle_seconds: float = 15.0
    # A request body that has not fully arrived within this is refused.
    body_seconds: float = 10.0
    # How long the health check waits for the database.
    health_seconds: float = 5.0
    min_free_bytes: int = 100 * MB
    disk_paths: Sequence[Path] = ()


class BodyTooSlow(Exception):
    """The request body did not arrive within `WebLimits.body_seconds`."""


async def read_body(request: web.Request) -> bytes:
    """The request body, within the server's body timeout (and its size limit)."""
    seconds = request.app.get(BODY_SECONDS, WebLimits.body_seconds)
    try:
        async with asyncio.timeout(seconds):
            return await request.read()
    except TimeoutError:
        log.warning("%s %s: body not received within %gs", request.method, request.path, seconds)
        raise BodyTooSlow from None


BODY_SECONDS = web.AppKey("body_seconds", float)


def too_slow() -> web.Response:
    """408, and the connection closed: the rest of a slow body is not waited for."""
    response = web.Response(status=408, text="body not received in time")
    response.force_close()
    return response


class WebServer:
    """Routes are added by the parts that need them, before `start`."""

    def __init__(
        self, host: str, port: int, db: AsyncEngine, limits: WebLimits | None = None
    ) -> None:
        self.host = host
        self.port = port
        self.db = db
        self.limits = limits or WebLimits()
        self.app = web.Application(client_max_size=2 * 1024 * 1024)
        self.app[BODY_SECONDS] = self.limits.body_seconds
        self.app.router.add_get("/healthz", self._healthz)
        self._runner: web.AppRunner | None = None

    def add_route(self, method: str, path: str, handler: RouteHandler) -> None:
        self.app.router.add_route(method, path, handler)

    async def _healthz(self, _request: web.Request) -> web.Response:
        """200 only when the database takes a write and every data folder has room."""
        database = await self._database()
        disk = self._disk()
        body = {"status": "ok", "database": database, "disk": disk}
        if database != "ok" or disk != "ok":
            body["status"] = "degraded"
            return web.json_response(body, status=503)
        return web.json_response(body)

    async def _database(self) -> str:
        try:
            async with asyncio.timeout(self.limits.health_seconds):
                async with self.db.connect() as conn:
                    await conn.execute(text("SELECT 1"))
                    try:
                        await conn.execute(WRITE_PROBE)
                    except Exception as exc:
                        log.warning("health check: database refuses writes: %s", describe(exc))
                        return "unwritable"
                    finally:
                        await conn.rollback()
        except Exception as exc:  # any failure means "not reachable" to a health check
            log.warning("health check: database unreachable: %s", describe(exc))
            return "unreachable"
        return "ok"

    def _disk(self) -> str:
        for path in self.limits.disk_paths:
            try:
                free = shutil.disk_usage(_existing(path)).free
            except OSError as exc:
                log.warning("health check: cannot read free space of %s: %s", path, describe(exc))
                return "unknown"
            if free < self.limits.min_free_bytes:
                log.warning("health check: %s MB free under %s", free // MB, path)
                return f"low: {free // MB} MB free"
        return "ok"

    @property
    def bound_port(self) -> int:
        """The port actually listened on (useful when configured as 0 in tests)."""
        assert self._runner is not None
        for site in self._runner.sites:
            server = getattr(site, "_server", None)
            if server is not None and server.sockets:
                return int(server.sockets[0].getsockname()[1])
        return self.port

    async def start(self) -> None:
        # keepalive_timeout also closes a connection that never completes its first request
        # (aiohttp arms it when the connection opens), so a slow or silent client is dropped.
        # lingering_time bounds how long the unread rest of a refused body is drained.
        self._runner = web.AppRunner(
            self.app,
            access_log=None,
            keepalive_timeout=self.limits.idle_seconds,
            lingering_time=self.limits.body_seconds,
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        log.info("web server listening on %s:%s", self.host, self.bound_port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def _existing(path: Path) -> Path:
    """The path, or its nearest existing parent (a data folder not created yet)."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return path
