"""`chidoan-bot org import FILE` and `chidoan-bot org list`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.app.cli.common import count_of, not_migrated, with_uow
from bot.config import Settings
from bot.orgfile import OrgFileError, read_org_file
from handlers.organisation import apply_org, org_tree_text
from storage.migrate import DatabaseNotMigrated

PLURALS = {"branch": "branches"}


def register(sub: Any) -> None:
    parser = sub.add_parser("org", help="the organisation tree (districts, units, branches)")
    actions = parser.add_subparsers(dest="org_command", metavar="ACTION", required=True)
    imp = actions.add_parser(
        "import",
        help="import or update the tree from a CSV or XLSX file",
        description="Import or update the organisation tree. Accepted files: CSV (comma, "
        "semicolon or tab separated; UTF-8, UTF-16 or Windows-1258) and Excel .xlsx. "
        "Columns: district code and name, unit code and name, branch code and name.",
    )
    imp.add_argument(
        "file", type=Path, help="the .csv or .xlsx file (the header may sit under a title row)"
    )
    imp.add_argument(
        "--allow-moves",
        action="store_true",
        help="let this file move units or branches from one district to another (reorganisation)",
    )
    imp.set_defaults(func=import_command)
    lst = actions.add_parser("list", help="print the tree with counts")
    lst.set_defaults(func=list_command)


def _rejected(path: Path, exc: OrgFileError) -> int:
    print(f"{path}: rejected, nothing imported:", file=sys.stderr)
    for problem in exc.problems:
        print(f"  {problem}", file=sys.stderr)
    return 1


def import_command(args: argparse.Namespace, settings: Settings) -> int:
    try:
        rows = read_org_file(args.file)
        summary = asyncio.run(
            with_uow(settings, lambda uow: apply_org(uow, rows, allow_moves=args.allow_moves))
        )
    except OrgFileError as exc:
        return _rejected(args.file, exc)
    except DatabaseNotMigrated as exc:
        return not_migrated(exc)
    created = ", ".join(count_of(n, k, PLURALS.get(k)) for k, n in summary.created.items())
    updated = ", ".join(count_of(n, k, PLURALS.get(k)) for k, n in summary.updated.items())
    read = count_of(len(rows), "branch", "branches")
    print(f"{args.file}: {read} read; created {created}; updated {updated}")
    if not summary.changed:
        print("nothing changed")
    if summary.not_in_file:
        listed = ", ".join(summary.not_in_file[:20])
        more = f" and {len(summary.not_in_file) - 20} more" if len(summary.not_in_file) > 20 else ""
        print(
            f"kept, though not in this file (reports are never deleted): {listed}{more}",
            file=sys.stderr,
        )
    return 0


def list_command(_args: argparse.Namespace, settings: Settings) -> int:
    try:
        print(asyncio.run(with_uow(settings, org_tree_text)))
    except DatabaseNotMigrated as exc:
        return not_migrated(exc)
    return 0
