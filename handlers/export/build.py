"""One export end to end: stream each district's rows into the workbook, log any export of names."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from bot.i18n import Catalog
from bot.periods import period_end, period_start
from handlers.evidence.links import PhotoLinks
from handlers.export.cells import Cells, answer_fields
from handlers.export.data import record_youth_export
from handlers.export.workbook import ExportBook, Heading, PhotoLink
from handlers.reports.form import Form
from handlers.reports.lifecycle import SENT
from handlers.reports.reasons import by_report
from storage.models import District
from storage.repositories.export import ExportRepository, ReportRow
from storage.repositories.flags import FlagRepository
from storage.repositories.photo_fingerprints import PhotoFingerprints
from storage.uow import UnitOfWork


@dataclass
class ExportSummary:
    """What went into a workbook."""

    branches: int = 0
    received: int = 0
    photos: int = 0
    youth_cases: int | None = None  # None: the workbook has no names

    def count(self, rows: list[ReportRow]) -> None:
        self.branches += len(rows)
        self.received += sum(1 for r in rows if r.status in SENT)


async def export_workbook(
    uow: UnitOfWork,
    *,
    out: str | Path | BinaryIO,
    period: str,
    districts: list[District],
    form: Form,
    catalog: Catalog,
    locale: str,
    tz: str,
    now: datetime,
    person_id: int | None,
    with_youth: bool,
    via: str,
    links: PhotoLinks | None = None,
    link_ttl: timedelta | None = None,
) -> ExportSummary:
    """Write the XLSX workbook to `out`, district by district; an export with names is audited.

    Rows come in chunks and are written as they come (in a worker thread: writing XLSX is CPU
    work, and the event loop stays free for other chats), so memory does not grow with size.
    Every query selects by district and period, never by a list of ids. With `links`, each
    photo of the evidence sheet gets a signed link valid `link_ttl`.
    """
    repo = uow.get(ExportRepository)
    found: set[str] = set()
    for district in districts:
        found |= await repo.answer_keys(district.id, period)
    fields = answer_fields(form, found)
    photo_link: PhotoLink | None = None
    until = None
    if links is not None and link_ttl:
        photo_link, until = _linker(links, link_ttl), now + link_ttl
    heading = Heading(period, tuple(d.name for d in districts), now, until)
    book = ExportBook(
        Cells(form, catalog, locale),
        tz,
        fields,
        with_youth=with_youth,
        heading=heading,
        photo_link=photo_link,
    )
    summary = ExportSummary(youth_cases=0 if with_youth else None)
    start, end = period_start(period, tz), period_end(period, tz)
    for district in districts:
        # Doubtful photos are few: the district's are read whole, before its reports and photos
        # stream (a report's flags column names its photos' doubts too).
        doubts = await uow.get(PhotoFingerprints).doubts_in_district(district.id, period)
        doubtful = await uow.get(FlagRepository).doubtful_photos_in_district(district.id, period)
        reasons = by_report(doubtful, doubts)
        async for rows in repo.report_rows(district.id, period):
            summary.count(rows)
            await asyncio.to_thread(book.add_reports, period, rows, reasons)
        book.end_district(district.name)
        async for photos in repo.evidence_rows(district.id, period):
            summary.photos += len(photos)
            await asyncio.to_thread(book.add_evidence, photos, doubts)
        if summary.youth_cases is not None:
            cases = await repo.youth_cases(district.id, start, end)
            summary.youth_cases += len(cases)
            await asyncio.to_thread(book.add_youth, cases)
    if summary.youth_cases is not None:
        record_youth_export(
            uow,
            person_id=person_id,
            districts=districts,
            period=period,
            cases=summary.youth_cases,
            now=now,
            via=via,
        )
    await asyncio.to_thread(book.save, out)
    return summary


def _linker(links: PhotoLinks, ttl: timedelta) -> PhotoLink:
    """Links to kept photos that all open for `ttl`."""

    def link(sha256: str, mime: str) -> str:
        return links.photo_link(sha256, mime, ttl)

    return link
