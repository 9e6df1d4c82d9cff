"""A generated organisation at national size, written with bulk INSERTs (seconds, not minutes).

Rows get explicit ids above what the tables already hold, so a big organisation can sit beside the
harness's sample one; PostgreSQL's id sequences are moved past them afterwards, so the ORM's own
inserts that follow do not collide.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.models import (
    Branch,
    ChatIdentity,
    District,
    Evidence,
    GrassrootsUnit,
    MonthlyReport,
    Person,
    RoleAssignment,
)

#: The answers every generated report carries (figures the digest sums, one project).
ANSWERS: dict[str, Any] = {
    "members_total": 30,
    "admitted": 1,
    "meeting_held": True,
    "meeting_date": "2026-11-15",
    "meeting_attendance": 25,
    "one_plus_one": 2,
    "projects_count": 1,
    "projects": ["Dọn kênh"],
    "support_startup_vnd": 1_000_000,
}
CHUNK = 5_000
STAMP = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


@dataclass(frozen=True)
class DistrictSize:
    """One generated district: `branches` branches in units of `per_unit`."""

    code: str
    branches: int
    per_unit: int = 30


@dataclass
class BigOrg:
    """What was generated: district ids by code, and how many of each row."""

    district_ids: dict[str, int]
    branches: int = 0
    reports: int = 0
    received: int = 0
    photos: int = 0
    secretaries: int = 0


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


class _Writer:
    """Bulk inserts with ids this writer chooses, one table at a time."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.tables: list[Table] = []

    async def next_id(self, table: Table) -> int:
        async with self.engine.connect() as conn:
            return int(await conn.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) + 1

    async def write(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        self.tables.append(table)
        for chunk in _chunks(rows):
            async with self.engine.begin() as conn:
                await conn.execute(insert(table), list(chunk))

    async def move_sequences(self) -> None:
        """PostgreSQL hands out ids from a sequence that explicit ids do not advance."""
        if self.engine.dialect.name != "postgresql":
            return
        async with self.engine.begin() as conn:
            for table in {t.name: t for t in self.tables}.values():
                await conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT max(id) FROM {table.name}))"
                    )
                )


def _report(report_id: int, branch_id: int, period: str, n: int) -> dict[str, Any]:
    """Most reports are submitted; every 10th is a draft, so the two kinds stay apart."""
    draft = n % 10 == 9
    return {
        "id": report_id,
        "branch_id": branch_id,
        "period": period,
        "status": "draft" if draft else "submitted",
        "answers": ANSWERS,
        "flags": [],
        "form_version": "",
        "reference": None,
        "submitted_at": None if draft else STAMP,
        "late": n % 7 == 0,
        "updated_at": STAMP,
        "created_at": STAMP,
    }


def _photo(photo_id: int, report_id: int) -> dict[str, Any]:
    return {
        "id": photo_id,
        "report_id": report_id,
        "sha256": f"{photo_id:064x}",
        "size": 1000,
        "mime": "image/jpeg",
        "width": 800,
        "height": 600,
        "caption": None,
        "item": "meeting",
        "created_at": STAMP,
    }


def _add_report(
    rows: dict[str, list[dict[str, Any]]],
    ids: dict[str, int],
    org: BigOrg,
    branch_id: int,
    period: str,
    n: int,
    photo_every: int,
) -> None:
    report_id = ids["MonthlyReport"] + len(rows["MonthlyReport"])
    report = _report(report_id, branch_id, period, n)
    rows["MonthlyReport"].append(report)
    org.received += report["status"] == "submitted"
    if n % photo_every == 0 and report["status"] == "submitted":
        rows["Evidence"].append(_photo(ids["Evidence"] + len(rows["Evidence"]), report_id))


def _add_secretary(
    rows: dict[str, list[dict[str, Any]]],
    ids: dict[str, int],
    branch_id: int,
    code: str,
    channel: str,
) -> None:
    person_id = ids["Person"] + len(rows["Person"])
    rows["Person"].append(
        {"id": person_id, "display_name": f"Bí thư {code}", "locale": None, "created_at": STAMP}
    )
    rows["ChatIdentity"].append(
        {"id": ids["ChatIdentity"] + len(rows["ChatIdentity"]), "person_id": person_id,
         "channel": channel, "external_id": str(person_id), "chat_id": str(person_id),
         "created_at": STAMP}
    )  # fmt: skip
    rows["RoleAssignment"].append(
        {"id": ids["RoleAssignment"] + len(rows["RoleAssignment"]), "person_id": person_id,
         "role": "secretary", "branch_id": branch_id, "unit_id": None, "district_id": None,
         "active": True, "ended_at": None, "created_at": STAMP}
    )  # fmt: skip


async def seed_big_org(
    engine: AsyncEngine,
    districts: Sequence[DistrictSize],
    *,
    period: str | None = "2026-11",
    photo_every: int = 20,
    secretaries: str | None = None,
) -> BigOrg:
    """Districts → units → branches; a report per branch (most submitted) for `period`, a photo
    on every `photo_every`-th report, and with `secretaries` (a channel name) one reachable
    secretary per branch."""
    w = _Writer(engine)
    models = [District, GrassrootsUnit, Branch, MonthlyReport, Evidence]
    models += [Person, ChatIdentity, RoleAssignment]
    tables: dict[str, Table] = {m.__name__: m.__table__ for m in models}  # type: ignore[attr-defined]
    ids = {name: await w.next_id(table) for name, table in tables.items()}
    org = BigOrg(district_ids={})
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
    for spec in districts:
        district_id = ids["District"] + len(rows["District"])
        org.district_ids[spec.code] = district_id
        rows["District"].append({"id": district_id, "code": spec.code, "name": f"HĐ {spec.code}"})
        unit_id = 0
        for n in range(spec.branches):
            unit_index, branch_index = divmod(n, spec.per_unit)
            if branch_index == 0:
                unit_id = ids["GrassrootsUnit"] + len(rows["GrassrootsUnit"])
                unit_code = f"{spec.code}-{unit_index:04d}"
                rows["GrassrootsUnit"].append(
                    {"id": unit_id, "code": unit_code, "name": f"Đoàn xã {unit_code}",
                     "district_id": district_id}
                )  # fmt: skip
            branch_id = ids["Branch"] + org.branches
            org.branches += 1
            code = f"{spec.code}-{unit_index:04d}-{branch_index:03d}"
            rows["Branch"].append(
                {"id": branch_id, "code": code, "name": f"Chi đoàn {code}", "unit_id": unit_id}
            )
            if period is not None:
                _add_report(rows, ids, org, branch_id, period, n, photo_every)
            if secretaries is not None:
                _add_secretary(rows, ids, branch_id, code, secretaries)
    for name, table in tables.items():
        await w.write(table, rows[name])
    await w.move_sequences()
    org.reports = len(rows["MonthlyReport"])
    org.photos = len(rows["Evidence"])
    org.secretaries = len(rows["Person"])
    return org
