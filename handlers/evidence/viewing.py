"""A report's photos for the district to see (xem ảnh minh chứng): one album per item they prove.

Channel-neutral: each album is a `Reply` whose photos are references to the media store
(`KeptPhoto`); Telegram sends albums, Zalo signed links, the console saved files. Every viewing
is written to the audit log: the photos show people, and who looked at them is worth knowing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from bot.engine.textnorm import fold
from bot.engine.types import KeptPhoto, Reply
from bot.i18n import Formatter
from bot.media import MediaStore, extension
from handlers.evidence.items import Item, items, label
from handlers.reports.form import Form
from storage.models import Evidence, MonthlyReport
from storage.repositories.audit import AuditRepository
from storage.repositories.reports import ReportRepository
from storage.uow import UnitOfWork

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_NOT_CODE = re.compile(r"[^A-Za-z0-9-]+")


@dataclass(frozen=True)
class Albums:
    """What a viewing sends: one reply per item, and how many photos are no longer on disk."""

    replies: list[Reply]
    shown: int
    missing: int


class Proving(Protocol):
    """A photo as far as grouping goes: the item it proves (stored form)."""

    @property
    def item(self) -> str | None: ...


P = TypeVar("P", bound=Proving)


def by_item(form: Form, answers: dict[str, Any], photos: list[P]) -> list[tuple[Item, list[P]]]:
    """Photos by the item they prove, in the form's order, the whole report last; a photo whose
    item is gone counts for the whole report (as in every count of photos)."""
    known = items(form, answers)
    valid = {item.stored for item in known}
    grouped: dict[str | None, list[P]] = {}
    for photo in photos:
        grouped.setdefault(photo.item if photo.item in valid else None, []).append(photo)
    return [(item, grouped[item.stored]) for item in known if item.stored in grouped]


def photo_filename(report: MonthlyReport, words: str, number: int, mime: str) -> str:
    """'PH-TL-01-2026-11-sinh-hoat-chi-doan-2.jpg': the branch, the month, the item, the order."""
    # A file name on any disk: no separator from a code or a line can make it a path.
    code = _NOT_CODE.sub("-", report.branch.code)
    slug = _NOT_SLUG.sub("-", fold(words)).strip("-")[:40].rstrip("-")
    return f"{code}-{report.period}-{slug or 'anh'}-{number}.{extension(mime)}"


def albums(
    f: Formatter, form: Form, report: MonthlyReport, photos: list[Evidence], store: MediaStore
) -> Albums:
    """The replies showing a report's photos, an album per item, its caption naming the item."""
    replies: list[Reply] = []
    shown = missing = 0
    for item, group in by_item(form, report.answers or {}, photos):
        name = label(f, item, limit=None)
        kept: list[KeptPhoto] = []
        for photo in group:
            path = store.path(photo.sha256, photo.mime)
            if not path.is_file():
                missing += 1
                continue
            filename = photo_filename(report, name, len(kept) + 1, photo.mime)
            kept.append(KeptPhoto(path, photo.sha256, photo.mime, filename))
        if kept:
            caption = f.plural(
                "evidence.album_title", len(kept), branch=report.branch.name, item=name
            )
            replies.append(Reply(text=caption, album=tuple(kept)))
            shown += len(kept)
    return Albums(replies, shown, missing)


async def show_report_photos(
    uow: UnitOfWork,
    f: Formatter,
    form: Form,
    report: MonthlyReport,
    store: MediaStore,
    *,
    person_id: int | None,
    now: datetime,
    via: str,
) -> Albums:
    """The albums of one report, the viewing audited (who, which report, how many photos)."""
    photos = await uow.get(ReportRepository).evidence(report.id)
    found = albums(f, form, report, photos, store)
    uow.get(AuditRepository).record(
        at=now,
        person_id=person_id,
        action="evidence.view",
        subject=f"report:{report.id}",
        detail={"photos": found.shown, "via": via},
    )
    return found
