"""One export end to end: load, log any export of names, write the workbook."""

from __future__ import annotations

import asyncio
from datetime import datetime

from bot.i18n import Catalog
from handlers.export.data import ExportData, load_export, record_youth_export
from handlers.export.workbook import build_workbook
from handlers.reports.form import Form
from storage.models import District
from storage.uow import UnitOfWork


async def export_workbook(
    uow: UnitOfWork,
    *,
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
) -> tuple[bytes, ExportData]:
    """The XLSX bytes and what went into them; an export with names is audited first."""
    data = await load_export(uow, period, districts, with_youth=with_youth, tz=tz)
    if data.youth is not None:
        record_youth_export(
            uow,
            person_id=person_id,
            districts=districts,
            period=period,
            cases=len(data.youth),
            now=now,
            via=via,
        )
    # Writing XLSX is CPU work; keep the event loop free for other chats.
    content = await asyncio.to_thread(build_workbook, data, form, catalog, locale, tz)
    return content, data
