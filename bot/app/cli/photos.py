"""`chidoan-bot photos`: a district's month of photo evidence as a zip for the office archive."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.app.assembly import media_store
from bot.app.cli.common import CannotWrite, count_of, not_migrated, partial_file, with_uow
from bot.app.cli.ops import OpsError, _districts, _period
from bot.clock import SystemClock
from bot.config import Settings
from bot.i18n import Formatter
from handlers.evidence.archive import ArchiveSummary, write_archive
from handlers.reports.form import catalog_for, form_for
from storage.migrate import DatabaseNotMigrated
from storage.uow import UnitOfWork


def register(sub: Any) -> None:
    """Add the photos sub-command."""
    photos = sub.add_parser(
        "photos",
        help="a district's photo evidence of a month as a zip, one folder per branch",
        description="Write the photos of a district's received (submitted or approved) reports "
        "of a month as a zip: a folder per grassroots unit and branch, files named by the item "
        "they prove and their order, and an index (CSV) naming every file. Written to the "
        "audit log.",
    )
    photos.add_argument("--district", metavar="CODE", required=True, help="district code")
    photos.add_argument(
        "--period", type=_period, metavar="YYYY-MM", required=True, help="the month, e.g. 2026-11"
    )
    photos.add_argument(
        "--out", metavar="FILE.zip", type=Path, required=True, help="where to write the zip"
    )
    photos.add_argument("--lang", choices=["vi", "en"], help="default: bot.default_locale")
    photos.set_defaults(func=photos_command)


def photos_command(args: argparse.Namespace, settings: Settings) -> int:
    """Write the archive (to a file beside the target, renamed when complete)."""
    locale = args.lang or settings.bot.default_locale
    f = Formatter(catalog_for(settings), locale, settings.bot.timezone)
    out: Path = args.out

    async def work(uow: UnitOfWork) -> ArchiveSummary:
        [district] = await _districts(uow, args.district)
        with partial_file(out) as handle:
            return await write_archive(
                uow,
                out=handle,
                district=district,
                period=args.period,
                form=form_for(settings),
                f=f,
                store=media_store(settings),
                person_id=None,
                now=SystemClock().now(),
                via="cli",
            )

    try:
        summary = asyncio.run(with_uow(settings, work))
    except (OpsError, CannotWrite) as exc:
        print(f"chidoan-bot: {exc}", file=sys.stderr)
        return 1
    except DatabaseNotMigrated as exc:
        return not_migrated(exc)
    missing = f", {count_of(summary.missing, 'file')} missing" if summary.missing else ""
    branches = count_of(summary.branches, "branch", "branches")
    print(f"{out}: {count_of(summary.photos, 'photo')} of {branches}{missing}")
    return 0
