"""What the database holds, table by table: for tests that must prove nothing was stored."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import Base
from tests.support.harness import Harness


async def row_counts(harness: Harness) -> dict[str, int]:
    """How many rows each table has."""
    counts: dict[str, int] = {}
    async with harness.uow() as uow:
        for table in Base.metadata.sorted_tables:
            counts[table.name] = int(
                await uow.session.scalar(select(func.count()).select_from(table)) or 0
            )
    return counts


async def text_values(harness: Harness) -> list[str]:
    """Every string stored in any column, JSON values included (flattened)."""
    found: list[str] = []
    async with harness.uow() as uow:
        for table in Base.metadata.sorted_tables:
            for row in (await uow.session.execute(select(table))).all():
                for value in row:
                    collect_strings(value, found)
    return found


def collect_strings(value: object, out: list[str]) -> None:
    """Every string inside `value` (dict keys and values, list and tuple items), into `out`."""
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            collect_strings(key, out)
            collect_strings(item, out)
    elif isinstance(value, list | tuple):
        for item in value:
            collect_strings(item, out)
