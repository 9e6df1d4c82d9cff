"""`chidoan-bot digest`, `status` and `export`: the district and national views, for operators."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.app.cli.common import CannotWrite, count_of, not_migrated, partial_file, with_uow
from bot.app.web.links import SignedLinks
from bot.clock import SystemClock
from bot.config import Settings
from bot.i18n import Formatter
from bot.periods import parse_period
from bot.private_files import write_private
from handlers.digest.chart import digest_chart
from handlers.digest.compute import build_digest, reporting_table
from handlers.digest.national import national_table, national_text
from handlers.digest.render import digest_text, table_text
from handlers.export.build import ExportSummary, export_workbook
from handlers.reports.calendar import reporting_period
from handlers.reports.form import catalog_for, form_for
from storage.migrate import DatabaseNotMigrated
from storage.models import District
from storage.repositories.org import OrgRepository
from storage.uow import UnitOfWork


class OpsError(Exception):
    """A district or period the operator named does not exist."""


def _period(text: str) -> str:
    """argparse type: a month as YYYY-MM."""
    period = parse_period(text)
    if period is None:
        raise argparse.ArgumentTypeError(f"not a month: {text!r} (write YYYY-MM, e.g. 2026-11)")
    return period


def register(sub: Any) -> None:
    """Add the digest and export sub-commands."""
    digest = sub.add_parser(
        "digest",
        help="the weekly digest of one district, now (say --print, --chart FILE.png, or both)",
        description="The weekly digest of one district. Say what to produce: --print for the "
        "text, --chart FILE.png for the chart, or both.",
    )
    digest.add_argument(
        "--district", metavar="CODE", required=True, help="district code (any case)"
    )
    digest.add_argument(
        "--print", action="store_true", dest="print_text", help="print the text (this or --chart)"
    )
    digest.add_argument(
        "--period", type=_period, metavar="YYYY-MM", help="the month (default: the current one)"
    )
    digest.add_argument(
        "--chart", metavar="FILE.png", type=Path, help="write the chart as PNG here (or --print)"
    )
    digest.add_argument("--lang", choices=["vi", "en"], help="default: bot.default_locale")
    digest.set_defaults(func=digest_command)
    status = sub.add_parser(
        "status",
        help="who has reported: one district by unit (as /trangthai), or every district",
        description="The reporting table of a month: one district's, by grassroots unit "
        "(what /trangthai shows), or without --district the whole country's, one line a district.",
    )
    status.add_argument("--district", metavar="CODE", help="one district (default: the country)")
    status.add_argument(
        "--period", type=_period, metavar="YYYY-MM", help="the month (default: the current one)"
    )
    status.add_argument("--lang", choices=["vi", "en"], help="default: bot.default_locale")
    status.set_defaults(func=status_command)
    export = sub.add_parser(
        "export",
        help="the XLSX workbook of a month",
        description="Write one month's reports (and, when asked, the difficult-youth list) "
        "as an Excel workbook (.xlsx).",
    )
    export.add_argument(
        "--period", type=_period, metavar="YYYY-MM", required=True, help="the month, e.g. 2026-11"
    )
    export.add_argument(
        "--out",
        metavar="FILE.xlsx",
        type=Path,
        required=True,
        help="where to write the workbook (missing folders are created)",
    )
    export.add_argument(
        "--district",
        metavar="CODE",
        action="append",
        help="a district, any case; repeat for several (a province); default: all",
    )
    export.add_argument(
        "--with-youth",
        action="store_true",
        help="add the difficult-youth sheets with names (written to the audit log)",
    )
    export.add_argument("--lang", choices=["vi", "en"], help="default: bot.default_locale")
    export.set_defaults(func=export_command)


async def _districts(uow: UnitOfWork, codes: str | list[str] | None) -> list[District]:
    """The named districts (one code or several), or every district."""
    org = uow.get(OrgRepository)
    if not codes:
        return await org.list_districts()
    found = []
    for code in [codes] if isinstance(codes, str) else codes:
        district = await org.district_by_code(code)
        if district is None:
            raise OpsError(f"no district with code {code}")
        if district not in found:
            found.append(district)
    return found


def status_command(args: argparse.Namespace, settings: Settings) -> int:
    """Print the reporting table of one district, or of the whole country."""
    catalog, locale = catalog_for(settings), args.lang or settings.bot.default_locale
    period = args.period or reporting_period(SystemClock().now(), settings)
    f = Formatter(catalog, locale, settings.bot.timezone)

    async def work(uow: UnitOfWork) -> str:
        if args.district is None:
            return national_text(await national_table(uow, period, settings), f)
        district = (await _districts(uow, args.district))[0]
        table = await reporting_table(uow, district, period, settings)
        return f.t("admin.status_title", place=district.name, table=table_text(table, f))

    try:
        print(asyncio.run(with_uow(settings, work)))
    except OpsError as exc:
        print(f"chidoan-bot: {exc}", file=sys.stderr)
        return 1
    except DatabaseNotMigrated as exc:
        return not_migrated(exc)
    return 0


def digest_command(args: argparse.Namespace, settings: Settings) -> int:
    """Print the digest and/or write its chart."""
    if not (args.print_text or args.chart):
        print("chidoan-bot: say --print, --chart FILE.png, or both", file=sys.stderr)
        return 2
    catalog, locale = catalog_for(settings), args.lang or settings.bot.default_locale
    period = args.period or reporting_period(SystemClock().now(), settings)

    async def work(uow: UnitOfWork) -> tuple[str, bytes | None]:
        district = (await _districts(uow, args.district))[0]
        digest = await build_digest(uow, district, period, settings)
        chart = None
        if args.chart:
            chart = digest_chart(
                digest,
                catalog.t(locale, "digest.chart_units"),
                catalog.t(locale, "digest.chart_trend"),
            )
        return digest_text(digest, Formatter(catalog, locale, settings.bot.timezone)), chart

    try:
        text, chart = asyncio.run(with_uow(settings, work))
    except OpsError as exc:
        print(f"chidoan-bot: {exc}", file=sys.stderr)
        return 1
    except DatabaseNotMigrated as exc:
        return not_migrated(exc)
    if args.print_text:
        print(text)
    if chart is not None:
        if not _write(args.chart, chart):
            return 1
        print(f"chart written to {args.chart}", file=sys.stderr)
    return 0


def _write(path: Path, content: bytes) -> bool:
    """Write the file, creating its folder; one clear line when that is impossible."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A workbook may hold names of young people: readable by this user only.
        write_private(path, content)
    except OSError as exc:
        print(f"chidoan-bot: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return False
    return True


def photo_links(settings: Settings) -> SignedLinks | None:
    """The signer for a workbook's photo links: only with a public address and a fixed
    `web.link_secret` (a random one would die with this command, and every link with it)."""
    web = settings.web
    if not (web.public_base_url and web.link_secret.get_secret_value() and web.workbook_link_days):
        return None
    return SignedLinks.from_settings(settings, SystemClock())


def export_command(args: argparse.Namespace, settings: Settings) -> int:
    """Write the XLSX workbook (streamed to a file beside the target, renamed when complete)."""
    catalog, locale = catalog_for(settings), args.lang or settings.bot.default_locale
    out: Path = args.out
    links = photo_links(settings)

    async def work(uow: UnitOfWork) -> ExportSummary:
        districts = await _districts(uow, args.district)
        with partial_file(out) as handle:
            return await export_workbook(
                uow,
                out=handle,
                period=args.period,
                districts=districts,
                form=form_for(settings),
                catalog=catalog,
                locale=locale,
                tz=settings.bot.timezone,
                now=SystemClock().now(),
                person_id=None,
                with_youth=args.with_youth,
                via="cli",
                links=links,
                link_ttl=timedelta(days=settings.web.workbook_link_days),
            )

    try:
        summary = asyncio.run(with_uow(settings, work))
    except (OpsError, CannotWrite) as exc:
        print(f"chidoan-bot: {exc}", file=sys.stderr)
        return 1
    except DatabaseNotMigrated as exc:
        return not_migrated(exc)
    youth = ""
    if summary.youth_cases is not None:
        youth = f", {count_of(summary.youth_cases, 'youth case')} (audited)"
    photos = count_of(summary.photos, "photo")
    if links is None:
        photos += " (no links: web.public_base_url and web.link_secret are needed)"
    else:
        photos += f" (links open for {settings.web.workbook_link_days} days)"
    print(f"{out}: {count_of(summary.branches, 'branch', 'branches')}{youth}, {photos}")
    return 0
