"""Why a report is flagged, in words: the same reasons wherever the district looks (/duyet, the
digest, the export, the dashboard).

A reason comes from a flag of the report (a rule, the member balance, the history checks) or
from a doubt recorded on one of its photos (reused, with where it was first used; taken long
before the month). `short` never shows a secretary's typed words (the dashboard is a link that
may travel); `full` adds the stored note.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.i18n import Catalog, day, period_text
from handlers.reports.form import Form
from storage.models import PhotoDoubt
from storage.repositories.flags import FlagRepository
from storage.repositories.photo_fingerprints import FirstUse, PhotoDoubtView, PhotoFingerprints
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Reason:
    """One doubt: its kind (a flag code, or photo_reused_exact|similar, photo_taken_long_before),
    the question it is about ("" for the whole report or a photo), the figure, the stored note."""

    code: str
    field: str = ""
    value: Any = None
    note: str | None = None
    first_use: FirstUse | None = None
    taken_at: datetime | None = None


def of_report(flags: Iterable[Any], answers: dict[str, Any]) -> list[Reason]:
    """The report's own flags as reasons."""
    found = []
    for flag in flags:
        if not isinstance(flag, dict):
            continue
        field = str(flag.get("field") or "")
        value = answers.get(field) if field else None
        number = value if isinstance(value, int) and not isinstance(value, bool) else None
        found.append(Reason(str(flag.get("code", "")), field, number, flag.get("note")))
    return found


def of_photos(doubts: Iterable[PhotoDoubtView]) -> list[Reason]:
    """Doubts recorded on photos as reasons."""
    found = []
    for doubt in doubts:
        if doubt.code == PhotoDoubt.REUSED:
            code = f"photo_reused_{doubt.match or 'exact'}"
            found.append(Reason(code, first_use=doubt.first_use))
        else:
            found.append(Reason(f"photo_{doubt.code}", taken_at=doubt.taken_at))
    return found


async def photo_reasons(uow: UnitOfWork, report_ids: Iterable[int]) -> dict[int, list[Reason]]:
    """Report id → the reasons its photos give (only reports that have some)."""
    photos = await uow.get(FlagRepository).doubtful_photos(report_ids)
    return by_report(photos, await uow.get(PhotoFingerprints).doubts(photos))


async def photo_reasons_in_district(
    uow: UnitOfWork, district_id: int, period: str
) -> dict[int, list[Reason]]:
    """Report id → the reasons its photos give, for a district's month."""
    photos = await uow.get(FlagRepository).doubtful_photos_in_district(district_id, period)
    doubts = await uow.get(PhotoFingerprints).doubts_in_district(district_id, period)
    return by_report(photos, doubts)


def by_report(
    photos: dict[int, int], doubts: dict[int, list[PhotoDoubtView]]
) -> dict[int, list[Reason]]:
    """Report id → its photos' reasons, from photo → report and photo → doubts."""
    found: dict[int, list[Reason]] = {}
    for evidence_id, report_id in sorted(photos.items()):
        found.setdefault(report_id, []).extend(of_photos(doubts.get(evidence_id, [])))
    return found


def _label(catalog: Catalog, locale: str, keys: list[str], fallback: str) -> str:
    """The first of these catalog keys that exists, else the fallback as is."""
    for key in keys:
        if catalog.has(key):
            return catalog.t(locale, key)
    return fallback


def kind(catalog: Catalog, locale: str, reason: Reason) -> str:
    """What kind of doubt, in a few words (a kind without words yet shows its code)."""
    return _label(catalog, locale, [f"dashboard.flag.{reason.code}"], reason.code)


def question(
    catalog: Catalog, locale: str, form: Form | None, field: str, *, column: bool = False
) -> str:
    """The question's short label (its column header with `column`, as in the export), from
    the form or the catalogs, else its key."""
    keys = [f"report.field.{field}.label", f"export.col.{field}"]
    if form is not None and form.has(field):
        found = form.field(field)
        keys.insert(0, found.column_key if column else found.label_key)
    return _label(catalog, locale, keys, field)


def short(catalog: Catalog, locale: str, reason: Reason, form: Form | None = None) -> str:
    """'<kind> · <question>: <figure>', '<kind> · <first use>' — never typed words."""
    what = kind(catalog, locale, reason)
    if reason.first_use is not None:
        use = reason.first_use
        return catalog.t(
            locale,
            "report.reason.first_use",
            kind=what,
            branch=use.branch_name,
            unit=use.unit_name,
            period=period_text(use.period),
        )
    if reason.taken_at is not None:
        return catalog.t(locale, "report.reason.taken", kind=what, day=day(reason.taken_at.date()))
    if not reason.field:
        return what
    label = question(catalog, locale, form, reason.field)
    if reason.value is None:
        return catalog.t(locale, "dashboard.page.flag_reason_no_value", kind=what, field=label)
    return catalog.t(
        locale, "dashboard.page.flag_reason", kind=what, field=label, value=reason.value
    )


def full(
    catalog: Catalog,
    locale: str,
    reason: Reason,
    form: Form | None = None,
    *,
    column: bool = False,
) -> str:
    """'<question>: <note>' (the note as stored, a typed reason included), else `short`."""
    if not reason.note:
        return short(catalog, locale, reason, form)
    if not reason.field:
        return reason.note
    return f"{question(catalog, locale, form, reason.field, column=column)}: {reason.note}"
