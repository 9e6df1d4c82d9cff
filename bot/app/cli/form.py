"""`chidoan-bot form check [FILE]`: read a monthly report form and say what is wrong with it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.i18n import Catalog
from handlers.reports.form import FormError, load_form


def register(sub: Any) -> None:
    """Add `form check`."""
    parser = sub.add_parser("form", help="the monthly report form (mẫu báo cáo tháng)")
    actions = parser.add_subparsers(dest="form_command", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check", help="check a form file (default: reporting.form_file, else the built-in form)"
    )
    check.add_argument("file", type=Path, nargs="?")
    check.set_defaults(func=check_command)


def check_command(args: argparse.Namespace, settings: Settings) -> int:
    """List the form's questions, or the reason it cannot be used (exit code 1)."""
    path = args.file or settings.reporting.form_file
    try:
        form = load_form(Path(path) if path else None)
    except (FormError, OSError) as exc:
        print(f"chidoan-bot: {exc}", file=sys.stderr)
        return 1
    catalog = Catalog().with_messages(form.own_messages())
    missing = sorted(key for key in form.locale_keys() if not catalog.has(key))
    if missing:
        print(f"chidoan-bot: messages missing from locales/: {', '.join(missing)}", file=sys.stderr)
        return 1
    for number, question in enumerate(form.fields, start=1):
        optional = "" if question.required else ", optional"
        when = f", when {question.when.field}" if question.when else ""
        print(f"{number:2}. {question.key} ({question.type}{optional}{when})")
    print(f"form {form.version}: {len(form.fields)} questions, {len(form.rules)} rules")
    h = form.history
    print(
        f"history: {h.months} months (compared from {h.min_months}), "
        f"{len(h.floor)} figures against the branch's own, {len(h.rates)} per member against "
        f"the district (from {h.district_min_reports} reports), "
        f"{len(h.district)} district(s) with their own values"
    )
    return 0
