"""The district office's archive of a month's photo evidence (lưu trữ ảnh minh chứng): a zip.

One folder per grassroots unit, in it one per branch, in it the photos of the branch's received
report named by the item they prove and their order ("01-02 Hoat dong 1 Don kenh.jpg"), and at
the top an index (CSV, opened by Excel) that names every file with its unit, branch, item and
caption in full. Names are safe on Windows. Streamed: photo rows arrive in chunks, one report's
rows are held at a time, and each file is copied into the zip from disk in blocks, so memory
stays flat whatever the size of the month.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any, BinaryIO
from zoneinfo import ZoneInfo

from bot.engine.textnorm import strip_diacritics
from bot.i18n import Formatter
from bot.media import MediaStore, extension
from bot.spreadsheet import safe_row
from handlers.evidence.items import label
from handlers.evidence.viewing import by_item
from handlers.reports.form import Form
from handlers.reports.lifecycle import SENT
from storage.models import District
from storage.repositories.audit import AuditRepository
from storage.repositories.export import ArchiveRow, ExportRepository
from storage.uow import UnitOfWork

#: Characters a Windows file name cannot hold (with control characters), and names it refuses.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}
#: Characters of a folder or file name: unit, branch and file stay far below Windows' 260 for
#: the whole path, wherever the archive is unpacked.
NAME_CHARS = 48
INDEX_COLUMNS = (
    "unit_code",
    "unit",
    "branch_code",
    "branch",
    "status",
    "item",
    "file",
    "caption",
    "received_at",
    "sha256",
)


@dataclass
class ArchiveSummary:
    """What went into an archive."""

    branches: int = 0
    photos: int = 0
    missing: int = 0  # photos whose file is no longer kept (listed in the index, not in the zip)


def windows_safe(text: str, limit: int = NAME_CHARS) -> str:
    """A folder or file name any Windows opens: 'Chi đoàn ấp Long Phụng' → 'Chi doan ap Long
    Phung'; without diacritics (older unzip tools garble them), forbidden characters, trailing
    dots or spaces, or a reserved device name."""
    plain = strip_diacritics(text).encode("ascii", "ignore").decode()
    cleaned = " ".join(_FORBIDDEN.sub(" ", plain).split())[:limit].rstrip(" .")
    if not cleaned:
        return "_"
    return f"_{cleaned}" if cleaned.split(".")[0].upper() in _RESERVED else cleaned


@dataclass(frozen=True)
class _Entry:
    """One photo's place in the archive."""

    row: ArchiveRow
    item: str
    arcname: str


def _entries(f: Formatter, form: Form, rows: Sequence[ArchiveRow]) -> list[_Entry]:
    """One report's photos in the form's order of items, then by arrival, each with its path."""
    first = rows[0]
    folder = (
        f"{windows_safe(f'{first.unit_code} {first.unit_name}')}/"
        f"{windows_safe(f'{first.branch_code} {first.branch_name}')}"
    )
    entries = []
    for number, (item, photos) in enumerate(by_item(form, first.answers or {}, list(rows)), 1):
        name = label(f, item, limit=None)
        for order, photo in enumerate(photos, 1):
            stem = windows_safe(f"{number:02d}-{order:02d} {name}")
            entries.append(_Entry(photo, name, f"{folder}/{stem}.{extension(photo.mime)}"))
    return entries


class _Writer:
    """The zip being written and its index, kept in a temporary file until the end."""

    def __init__(self, zipped: zipfile.ZipFile, index: IO[str], f: Formatter, store: MediaStore):
        self.zipped, self.f, self.store = zipped, f, store
        self.index = csv.writer(index)
        self.summary = ArchiveSummary()

    def header(self) -> None:
        self.index.writerow(safe_row(self.f.t(f"export.col.{name}") for name in INDEX_COLUMNS))

    def report(self, form: Form, rows: Sequence[ArchiveRow]) -> None:
        """Copy one report's photos into its branch's folder, and list them in the index."""
        self.summary.branches += 1
        for entry in _entries(self.f, form, rows):
            path = self.store.path(entry.row.sha256, entry.row.mime)
            kept = path.is_file()
            if kept:
                # From disk in blocks; photos are compressed already.
                self.zipped.write(path, entry.arcname, compress_type=zipfile.ZIP_STORED)
                self.summary.photos += 1
            else:
                self.summary.missing += 1
            self.index.writerow(self._line(entry, kept))

    def _line(self, entry: _Entry, kept: bool) -> list[Any]:
        r = entry.row
        shown = entry.arcname if kept else self.f.t("export.archive_missing")
        return safe_row(
            [
                r.unit_code,
                r.unit_name,
                r.branch_code,
                r.branch_name,
                self.f.label(f"export.status.{r.status}", r.status),
                entry.item,
                shown,
                r.caption,
                f"{r.created_at.astimezone(ZoneInfo(self.f.tz)):%d/%m/%Y %H:%M}",
                r.sha256,
            ]
        )


async def write_archive(
    uow: UnitOfWork,
    *,
    out: str | Path | BinaryIO,
    district: District,
    period: str,
    form: Form,
    f: Formatter,
    store: MediaStore,
    person_id: int | None,
    now: datetime,
    via: str,
) -> ArchiveSummary:
    """Write the zip of the photos of the district's received reports for the period; the
    archive is audited (who, which district and month, how many photos)."""
    repo = uow.get(ExportRepository)
    with (
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zipped,
        tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as index,
    ):
        writer = _Writer(zipped, index, f, store)
        writer.header()
        pending: list[ArchiveRow] = []
        async for chunk in repo.archive_rows(district.id, period, tuple(SENT)):
            for row in chunk:
                if pending and pending[0].report_id != row.report_id:
                    await asyncio.to_thread(writer.report, form, pending)
                    pending = []
                pending.append(row)
        if pending:
            await asyncio.to_thread(writer.report, form, pending)
        index.seek(0)
        await asyncio.to_thread(_add_index, zipped, index, f.t("export.archive_index"))
    uow.get(AuditRepository).record(
        at=now,
        person_id=person_id,
        action="evidence.archive",
        subject=f"district:{district.code}",
        detail={"period": period, "photos": writer.summary.photos, "via": via},
    )
    return writer.summary


def _add_index(zipped: zipfile.ZipFile, index: IO[str], name: str) -> None:
    """The index at the archive's top, as UTF-8 with a BOM so that Excel reads Vietnamese."""
    with (
        zipped.open(name, "w") as target,
        io.TextIOWrapper(target, "utf-8-sig", newline="") as text,
    ):
        while block := index.read(64 * 1024):
            text.write(block)
