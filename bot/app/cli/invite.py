"""`chidoan-bot invite create --branch CODE --role secretary` (and unit, district roles)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from bot.app.cli.common import not_migrated, with_uow
from bot.clock import SystemClock
from bot.config import Settings
from bot.i18n import moment
from handlers.invites import (
    ROLE_SCOPE,
    InviteError,
    create_invite,
    deep_link,
    display_code,
    find_place,
)
from storage.migrate import DatabaseNotMigrated
from storage.models import Invite, Role
from storage.uow import UnitOfWork


def register(sub: Any) -> None:
    parser = sub.add_parser("invite", help="invite codes for secretaries, leaders and admins")
    actions = parser.add_subparsers(dest="invite_command", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="print a new single-use code")
    place = create.add_mutually_exclusive_group(required=True)
    place.add_argument("--branch", metavar="CODE", help="branch code (role secretary)")
    place.add_argument("--unit", metavar="CODE", help="grassroots unit code (role unit-secretary)")
    place.add_argument("--district", metavar="CODE", help="district code (role leader or admin)")
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.set_defaults(func=create_command)


def create_command(args: argparse.Namespace, settings: Settings) -> int:
    role = Role(args.role)
    code = args.branch or args.unit or args.district
    given = "branch" if args.branch else "unit" if args.unit else "district"
    if ROLE_SCOPE[role] != given:
        print(f"chidoan-bot: role {role.value} goes with --{ROLE_SCOPE[role]}", file=sys.stderr)
        return 2

    async def work(uow: UnitOfWork) -> Invite:
        place = await find_place(uow, role, code)
        return await create_invite(
            uow, role=role, place=place, now=SystemClock().now(), ttl_days=settings.invites.ttl_days
        )

    try:
        invite = asyncio.run(with_uow(settings, work))
    except InviteError as exc:
        print(f"chidoan-bot: {exc}", file=sys.stderr)
        return 1
    except DatabaseNotMigrated as exc:
        return not_migrated(exc)
    print(f"code: {display_code(invite.code)}")
    until = moment(invite.expires_at, settings.bot.timezone)
    # Same local moment and format as the chat's "/moi" reply.
    print(f"role: {role.value} of {code}; valid until {until} ({settings.bot.timezone})")
    print(f"in chat: /start {display_code(invite.code)}")
    link = deep_link(settings.telegram.username, invite.code)
    if link:
        print(f"telegram link: {link}")
    return 0
