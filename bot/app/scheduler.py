"""The scheduler (lịch nhắc): a periodic tick that runs the due checks, which fill the outbox.

The scheduler never sends anything. Each due check looks at the clock and the database and
enqueues what is due under an idempotency key, so a tick that runs twice, late, or after a
restart adds nothing new; missed work is caught up by the first tick after start.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from datetime import datetime
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Catalog
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

#: What a due check is: look at now, enqueue what is due, return how many messages it added.
DueCheck = Callable[[UnitOfWork, datetime, Settings, Catalog], Awaitable[int]]

#: pg advisory lock id for "runs the scheduler" (any constant shared by every process).
SCHEDULER_LOCK_ID = 0x43_44_42_31  # "CDB1"


class Leadership:
    """Decides whether this process runs the ticks: on PostgreSQL, whoever holds the lock.

    The lock is a session-level `pg_try_advisory_lock` on a connection kept open while we
    lead; if that connection dies, the lock is released by the server and another process
    takes over at its next tick. SQLite has one process by design: it always leads.
    """

    def __init__(self, db: AsyncEngine, lock_id: int = SCHEDULER_LOCK_ID) -> None:
        self.db = db
        self.lock_id = lock_id
        self._conn: AsyncConnection | None = None

    @property
    def shared(self) -> bool:
        return self.db.dialect.name == "postgresql"

    async def acquire(self) -> bool:
        """True when this process leads (taking the lock if it is free)."""
        if not self.shared:
            return True
        if self._conn is not None:
            try:
                await self._conn.execute(text("SELECT 1"))
                return True
            except Exception:
                log.warning("lost the scheduler lock connection; trying again")
                await self._drop()
        conn = await self.db.connect()
        try:
            got = await conn.scalar(text("SELECT pg_try_advisory_lock(:id)"), {"id": self.lock_id})
            await conn.commit()
        except Exception:
            await conn.close()
            raise
        if got:
            self._conn = conn
            return True
        await conn.close()
        return False

    async def release(self) -> None:
        if self._conn is None:
            return
        with suppress(Exception):
            await self._conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": self.lock_id})
            await self._conn.commit()
        await self._drop()

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with suppress(Exception):
                await conn.close()


class Scheduler:
    """An APScheduler 3 `AsyncIOScheduler` ticking every `tick_seconds` in the bot's time zone."""

    def __init__(
        self,
        *,
        settings: Settings,
        db: AsyncEngine,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        catalog: Catalog,
        checks: Sequence[DueCheck],
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.clock = clock
        self.catalog = catalog
        self.checks = list(checks)
        self.leadership = Leadership(db)
        self._aps: AsyncIOScheduler | None = None
        self._running: asyncio.Task[Any] | None = None

    async def tick(self) -> int:
        """Run every due check once, if we lead; returns how many messages were enqueued."""
        try:
            leading = await self.leadership.acquire()
        except Exception:
            log.warning("cannot reach the database to take the scheduler lock", exc_info=True)
            return 0
        if not leading:
            return 0
        now = self.clock.now()
        total = 0
        for check in self.checks:
            try:
                async with UnitOfWork(self.sessions) as uow:
                    total += await check(uow, now, self.settings, self.catalog)
            except Exception:
                # One failing check must not stop the others; it runs again next tick.
                log.exception("due check %s failed", getattr(check, "__name__", check))
        if total:
            log.info("scheduler enqueued %d message(s)", total)
        return total

    async def _job(self) -> None:
        if self._aps is None:
            return  # stopping: a tick that starts now would only be cancelled at exit
        self._running = asyncio.current_task()
        try:
            await self.tick()
        except asyncio.CancelledError:
            # Cancelled at shutdown: nothing is lost (each check commits on its own and runs
            # again next time), so this is not a job failure for APScheduler to log.
            log.debug("scheduler tick cancelled at shutdown")
        finally:
            self._running = None

    async def start(self) -> None:
        """Start inside the running loop; the first tick runs at once (catch-up after downtime)."""
        aps = AsyncIOScheduler(timezone=self.settings.bot.timezone)
        aps.add_job(
            self._job,
            "interval",
            seconds=self.settings.schedule.tick_seconds,
            id="due-checks",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=None,
            next_run_time=datetime.now(aps.timezone),
        )
        aps.start()
        self._aps = aps

    async def stop(self) -> None:
        """Let a tick in progress finish, then shut APScheduler down while the loop still runs.

        In that order because APScheduler's asyncio executor cancels running jobs at shutdown:
        a tick cancelled in the middle of a database call leaves its connection to be torn
        down as the process exits (an error in the log on every quick Ctrl-D)."""
        aps, self._aps = self._aps, None  # from here a tick that starts returns at once
        running = self._running
        if running is not None and not running.done():
            with suppress(Exception):
                await asyncio.wait_for(asyncio.shield(running), timeout=30)
        if aps is not None and aps.running:
            aps.shutdown(wait=False)
            await asyncio.sleep(0)  # its shutdown is scheduled on the loop: let it run
        await self.leadership.release()
