"""`chidoan-bot scorecard`: the "3 chủ động" scorecard of a district as XLSX, text or chart,
and `scorecard check FILE` for a province's own rules."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.app.cli.common import not_migrated, with_uow
from bot.app.cli.ops import OpsError, _districts, _period, _write
from bot.clock import SystemClock
from bot.config import Settings
from bot.i18n import Catalog, Formatter
from handlers.reports.form import FormError, catalog_for, load_form
from handlers.scorecard.chart import scorecard_chart
from handlers.scorecard.compute import build_scorecard, default_year, rules_of, year_range
from handlers.scorecard.model import Scorecard
from handlers.scorecard.render import scorecard_text
from handlers.scorecard.rules import RulesError, ScorecardRules, load_rules, problems_with_form
from handlers.scorecard.workbook import scorecard_workbook
from storage.migrate import DatabaseNotMigrated
from storage.uow import UnitOfWork


def register(sub: Any) -> None:
    """Add `scorecard` and `scorecard check`."""
    parser = sub.add_parser(
        "scorecard",
        help='the "3 chủ động" scorecard of a district (XLSX, text, chart), or check a rules file',
        description='The "3 chủ động" scorecard of one district for a year or a range of months: '
        "--out FILE.xlsx, --print, --chart FILE.png (any of them). Only months already due count.",
    )
    parser.add_argument("--district", metavar="CODE", help="district code (any case)")
    parser.add_argument("--year", type=int, metavar="YYYY", help="default: the latest year due")
    parser.add_argument("--from", dest="first", type=_period, metavar="YYYY-MM")
    parser.add_argument("--to", dest="last", type=_period, metavar="YYYY-MM")
    parser.add_argument("--out", type=Path, metavar="FILE.xlsx", help="write the workbook here")
    parser.add_argument("--print", action="store_true", dest="print_text", help="print the text")
    parser.add_argument("--chart", type=Path, metavar="FILE.png", help="write the chart here")
    parser.add_argument("--lang", choices=["vi", "en"], help="default: bot.default_locale")
    parser.set_defaults(func=scorecard_command)
    actions = parser.add_subparsers(dest="scorecard_action", metavar="ACTION")
    check = actions.add_parser(
        "check", help="check a rules file (default: reporting.scorecard_file, else the built-in)"
    )
    check.add_argument("file", type=Path, nargs="?")
    check.add_argument(
        "--form", type=Path, metavar="FORM.toml", help="default: reporting.form_file or built-in"
    )
    check.set_defaults(func=check_command)


def _range(args: argparse.Namespace, settings: Settings) -> tuple[str, str]:
    """--from/--to, else --year, else the latest year with a month due."""
    if args.first or args.last:
        if not (args.first and args.last) or args.year:
            raise OpsError("give --from and --to together, or --year")
        if args.first > args.last:
            raise OpsError("--from is after --to")
        return args.first, args.last
    return year_range(args.year or default_year(SystemClock().now(), settings))


def scorecard_command(args: argparse.Namespace, settings: Settings) -> int:
    """Compute the scorecard once; write or print what was asked."""
    if not args.district or not (args.out or args.print_text or args.chart):
        print(
            "chidoan-bot: say --district CODE and what to produce: --out FILE.xlsx, --print, "
            "--chart FILE.png (or `scorecard check FILE`)",
            file=sys.stderr,
        )
        return 2
    catalog, locale = catalog_for(settings), args.lang or settings.bot.default_locale
    try:
        rules = rules_of(settings)
        first, last = _range(args, settings)
    except (OpsError, RulesError) as exc:
        print(f"chidoan-bot: {exc}", file=sys.stderr)
        return 1

    async def work(uow: UnitOfWork) -> Scorecard:
        district = (await _districts(uow, args.district))[0]
        return await build_scorecard(
            uow, district, first, last, SystemClock().now(), settings, rules
        )

    try:
        card = asyncio.run(with_uow(settings, work))
    except OpsError as exc:
        print(f"chidoan-bot: {exc}", file=sys.stderr)
        return 1
    except DatabaseNotMigrated as exc:
        return not_migrated(exc)
    return _produce(args, card, rules, catalog, locale)


def _produce(
    args: argparse.Namespace, card: Scorecard, rules: ScorecardRules, catalog: Catalog, locale: str
) -> int:
    """Print the text and write the files asked for."""
    if args.print_text:
        print(scorecard_text(card, catalog, locale))
    if args.chart and not _write(args.chart, scorecard_chart(card, Formatter(catalog, locale).t)):
        return 1
    if args.out and not _write(args.out, scorecard_workbook(card, rules, catalog, locale)):
        return 1
    met = f"{card.met_units}/{len(card.units)} units met"
    print(f"{card.district_code} {card.first}..{card.last}: {card.months} months due, {met}")
    return 0


def check_command(args: argparse.Namespace, settings: Settings) -> int:
    """List the criteria, or every reason the rules cannot be used (exit code 1)."""
    path = args.file or settings.reporting.scorecard_file
    form_path = args.form or settings.reporting.form_file
    try:
        rules = load_rules(Path(path) if path else None)
        form = load_form(Path(form_path) if form_path else None)
    except (RulesError, FormError, OSError) as exc:
        print(f"chidoan-bot: {exc}", file=sys.stderr)
        return 1
    catalog = Catalog()
    problems = problems_with_form(rules, form)
    missing = sorted(key for key in rules.locale_keys() if not catalog.has(key))
    if missing:
        problems.append(f"messages missing from locales/: {', '.join(missing)}")
    if problems:
        for problem in problems:
            print(f"chidoan-bot: {problem}", file=sys.stderr)
        return 1
    for number, criterion in enumerate(rules.criteria, start=1):
        required = ", required" if criterion.key in rules.overall.required else ""
        bounds = ", ".join(
            f"{m.measure} {'>=' if m.kind == 'min' else '<='} {m.bound:g}"
            for m in criterion.measures
        )
        print(f"{number:2}. {criterion.key} (weight {criterion.weight:g}{required}): {bounds}")
    print(
        f"rules {rules.version}: {len(rules.criteria)} criteria, weights total "
        f"{rules.total_weight:g}, a unit is met at {rules.overall.min_score:g}/100"
    )
    return 0
