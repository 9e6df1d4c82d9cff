"""Zero set-up for a newcomer: an empty database gets a demo organisation and a code."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from bot.app.assembly import App
from bot.orgfile import parse_org_rows, read_rows
from handlers.invites import create_invite, display_code, find_place
from handlers.organisation import apply_org
from storage.models import Role
from storage.repositories.org import OrgRepository
from storage.repositories.people import PeopleRepository
from storage.uow import UnitOfWork

DEMO_ORG = "org-demo.csv"


async def console_banner(app: App, user_id: str) -> list[str]:
    """Lines to print before a console conversation; seeds the demo org into an empty database."""
    lines = ["chidoan-bot — console. Type as a secretary would; Ctrl-D or Ctrl-C to quit."]
    async with UnitOfWork(app.sessions) as uow:
        if await uow.get(PeopleRepository).by_identity("console", user_id) is not None:
            lines.append("You are registered; type /trogiup (or /help) to see what you can do.")
            return lines
        org = uow.get(OrgRepository)
        if await org.count_districts() == 0:
            with resources.as_file(resources.files("bot.app.demo").joinpath(DEMO_ORG)) as path:
                await apply_org(uow, parse_org_rows(read_rows(Path(path))))
            lines.append("The database was empty, so a demo organisation was loaded (district PH).")
            branch_code = "PH-TL-01"
            place = await find_place(uow, Role.SECRETARY, branch_code)
            invite = await create_invite(
                uow,
                role=Role.SECRETARY,
                place=place,
                now=app.clock.now(),
                ttl_days=app.settings.invites.ttl_days,
            )
            lines.append(
                f"Register as secretary of {branch_code}: /start {display_code(invite.code)}"
            )
        else:
            lines.append(
                "Not registered yet: create a code with "
                "`chidoan-bot invite create --branch CODE --role secretary`, then type /start CODE."
            )
    return lines
