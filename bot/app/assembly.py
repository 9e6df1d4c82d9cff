"""Assembly and lifecycle: database, engine, channels, web server — started and stopped in order."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
import threading
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app.channels.base import Channel
from bot.app.channels.budget import Budget, Budgets
from bot.app.channels.shared_budget import SharedBudgets
from bot.app.web.server import MB, WebLimits, WebServer
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.engine.engine import Engine
from bot.engine.services import Services
from bot.logsafety import install as install_log_safety
from bot.logsafety import secrets_of
from bot.media import MediaStore
from bot.photo_index import NearDuplicateIndex
from bot.private_files import data_paths, private_dir
from handlers import ROUTERS
from handlers.reports.form import catalog_for
from storage.db import create_engine, session_factory
from storage.migrate import require_current

log = logging.getLogger(__name__)


class Component(Protocol):
    """Anything the app starts and stops: channels, the web server, the scheduler."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def media_store(settings: Settings) -> MediaStore:
    """Where photos are kept, with the configured size limit."""
    return MediaStore(
        settings.bot.data_dir / "media",
        int(settings.media.max_photo_mb * 1024 * 1024),
        settings.bot.timezone,
    )


class App:
    """The whole bot in one process. Build, `start`, wait, `stop`."""

    def __init__(self, settings: Settings, *, clock: Clock | None = None) -> None:
        self.settings = settings
        install_log_safety(secrets_of(settings))
        private_dir(settings.bot.data_dir)
        self.clock = clock or SystemClock()
        self.db: AsyncEngine = create_engine(settings.database.url, echo=settings.database.echo)
        self.sessions: async_sessionmaker[AsyncSession] = session_factory(self.db)
        self.catalog = catalog_for(settings)
        self.services = Services(
            settings, media_store(settings), NearDuplicateIndex.over(self.sessions)
        )
        self.engine = Engine(
            settings=settings,
            sessions=self.sessions,
            routers=ROUTERS,
            clock=self.clock,
            catalog=self.catalog,
            services=self.services,
        )
        #: One sending budget per channel, shared by its replies and the outbox; on PostgreSQL
        #: the outbox's pace is shared with every other process of the bot, through the database.
        self.budgets: Callable[[str], Budget] = (
            SharedBudgets(settings.outbox, self.sessions)
            if self.db.dialect.name == "postgresql"
            else Budgets(settings.outbox)
        )
        self.web: WebServer | None = None
        self.channels: dict[str, Channel] = {}
        self.components: list[Component] = []
        self._stop = asyncio.Event()

    def web_server(self) -> WebServer:
        """The shared web server, created on first need."""
        if self.web is None:
            web = self.settings.web
            limits = WebLimits(
                idle_seconds=web.idle_timeout_seconds,
                body_seconds=web.body_timeout_seconds,
                min_free_bytes=int(web.health_min_free_mb * MB),
                disk_paths=data_paths(self.settings),
            )
            self.web = WebServer(web.host, web.port, self.db, limits)
        return self.web

    def add_channel(self, channel: Channel) -> None:
        self.channels[channel.name] = channel
        self.components.append(channel)

    async def start(self) -> None:
        """Check the database, then start every component (web server last, once routes exist)."""
        await require_current(self.db)
        if self.settings.web.enabled:
            self.web_server()
        started: list[Component] = []
        try:
            for component in [*self.components, *([self.web] if self.web else [])]:
                await component.start()
                started.append(component)
        except BaseException:
            for component in reversed(started):
                with suppress(Exception):
                    await component.stop()
            raise
        self._started = started

    async def stop(self) -> None:
        for component in reversed(getattr(self, "_started", [])):
            try:
                await component.stop()
            except Exception:
                log.exception("stopping %s failed", type(component).__name__)
        self._started = []
        await self.db.dispose()

    def request_stop(self) -> None:
        self._stop.set()

    async def run(self, until: Callable[[], Awaitable[object]] | None = None) -> None:
        """Start, wait for a signal (or `until` to finish), stop."""
        loop = asyncio.get_running_loop()
        # asyncio has no signal handlers on Windows, nor outside the main thread.
        if sys.platform != "win32" and threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, self.request_stop)
        await self.start()
        try:
            waiters = [asyncio.create_task(self._stop.wait())]
            if until is not None:
                waiters.append(asyncio.create_task(until()))  # type: ignore[arg-type]
            _done, pending = await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
        finally:
            await self.stop()


def add_background(app: App) -> None:
    """The scheduler (fills the outbox) and the outbox sender, started after the channels."""
    from bot.app.outbox import OutboxSender
    from bot.app.scheduler import Scheduler
    from handlers import DUE_CHECKS

    app.components.append(
        Scheduler(
            settings=app.settings,
            db=app.db,
            sessions=app.sessions,
            clock=app.clock,
            catalog=app.catalog,
            checks=DUE_CHECKS,
        )
    )
    app.components.append(
        OutboxSender(
            sessions=app.sessions,
            channels=app.channels,
            settings=app.settings.outbox,
            clock=app.clock,
            data_dir=app.settings.bot.data_dir,
            budgets=app.budgets,
        )
    )
