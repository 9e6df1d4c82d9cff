"""`chidoan-bot outbox status` (queued, sent, parked by kind and channel) and `outbox requeue`."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from bot.app.cli.common import not_migrated, with_uow
from bot.clock import SystemClock
from bot.config import Settings
from storage.migrate import DatabaseNotMigrated
from storage.repositories.outbox import OutboxRepository
from storage.uow import UnitOfWork

STATUSES = ("queued", "sent", "parked")


def register(sub: Any) -> None:
    parser = sub.add_parser("outbox", help="the queue of proactive messages")
    actions = parser.add_subparsers(dest="outbox_command", metavar="ACTION", required=True)
    status = actions.add_parser("status", help="queued, sent and parked messages by kind/channel")
    status.set_defaults(func=status_command)
    requeue = actions.add_parser("requeue", help="retry every parked message from scratch")
    requeue.set_defaults(func=requeue_command)


def status_table(counts: list[tuple[str, str, str, int]]) -> list[str]:
    """One line per kind and channel, a column per status, and a total line."""
    rows: dict[tuple[str, str], dict[str, int]] = {}
    for status, kind, channel, n in counts:
        rows.setdefault((kind, channel), {})[status] = n
    header = f"{'kind':<14} {'channel':<10} " + " ".join(f"{s:>8}" for s in STATUSES)
    lines = [header]
    totals = dict.fromkeys(STATUSES, 0)
    for (kind, channel), by_status in sorted(rows.items()):
        cells = " ".join(f"{by_status.get(s, 0):>8}" for s in STATUSES)
        lines.append(f"{kind:<14} {channel:<10} {cells}")
        for s in STATUSES:
            totals[s] += by_status.get(s, 0)
    lines.append(f"{'total':<14} {'':<10} " + " ".join(f"{totals[s]:>8}" for s in STATUSES))
    return lines


def status_command(_args: argparse.Namespace, settings: Settings) -> int:
    async def work(uow: UnitOfWork) -> list[tuple[str, str, str, int]]:
        return await uow.get(OutboxRepository).counts()

    try:
        counts = asyncio.run(with_uow(settings, work))
    except DatabaseNotMigrated as exc:
        return not_migrated(exc)
    print("\n".join(status_table(counts)))
    return 0


def requeue_command(_args: argparse.Namespace, settings: Settings) -> int:
    async def work(uow: UnitOfWork) -> int:
        return await uow.get(OutboxRepository).requeue_parked(SystemClock().now())

    try:
        count = asyncio.run(with_uow(settings, work))
    except DatabaseNotMigrated as exc:
        return not_migrated(exc)
    print(f"{count} parked message(s) queued again")
    return 0
