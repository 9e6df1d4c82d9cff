"""/moi <mã>: a new invite code and link for a branch or unit of the admin's own district."""

from __future__ import annotations

from bot.engine.context import Context
from bot.engine.router import Flow, Router
from bot.engine.textnorm import fold
from bot.engine.types import Choice, InKind, Reply
from handlers.admin.scope import own_district
from handlers.i18n import fmt
from handlers.invites import Place, create_invite, deep_link, display_code
from storage.models import Role
from storage.repositories.org import OrgRepository

router = Router("admin.invite")

LIST_SIZE = 8  # choices a phone shows without scrolling


async def place_in_district(ctx: Context, code: str, district_id: int) -> tuple[Role, Place] | None:
    """A branch code (secretary) or a unit code (unit secretary), only inside the district."""
    org = ctx.repo(OrgRepository)
    branch = await org.branch_by_code(code)
    if branch is not None and branch.unit.district_id == district_id:
        return Role.SECRETARY, Place(branch=branch)
    unit = await org.unit_by_code(code)
    if unit is not None and unit.district_id == district_id:
        return Role.UNIT_SECRETARY, Place(unit=unit)
    return None


class InviteFlow(Flow):
    """Mời bí thư: step "code" waits for the branch or unit code when /moi came without one."""

    name = "admin_invite"

    async def start(self, ctx: Context, args: str) -> None:
        """With a code: create the invite; without: ask for the code (any open flow ends)."""
        ctx.end_flow()
        district = own_district(ctx, Role.ADMIN)
        if district is None:
            ctx.say("common.not_allowed")
            return
        if args.strip():
            await invite_for(ctx, args)
            return
        ctx.goto(self.name, "code", {"district_id": district.id})
        await self.ask(ctx)

    async def ask(self, ctx: Context) -> None:
        """Which branch or unit to invite, with a real code as example."""
        district = own_district(ctx, Role.ADMIN)
        if district is None or district.id != ctx.data.get("district_id"):
            ctx.end_flow()
            ctx.say("common.not_allowed")
            return
        ctx.say("admin.invite_ask", example=await _example(ctx, district.id, command=False))

    async def on_input(self, ctx: Context) -> None:
        """The typed code: create the invite, or say it is unknown and wait for another."""
        choice = ctx.input.choice or ""
        typed = ctx.input.text.strip() if ctx.input.kind is InKind.TEXT else ""
        code = choice.removeprefix("moi:") if choice.startswith("moi:") else typed
        if not code:
            await self.ask(ctx)
            return
        if await invite_for(ctx, code):
            ctx.end_flow()


flow = router.flow(InviteFlow())


@router.command(
    "moi", "invite", roles=[Role.ADMIN], help_key="admin.help_invite", menu_key="admin.menu_invite"
)
async def invite_command(ctx: Context, args: str) -> None:
    """With a code: create it; without: ask for the code in a small flow."""
    await flow.start(ctx, args)


async def invite_for(ctx: Context, typed: str) -> bool:
    """Create the code; another district's codes look exactly like unknown ones."""
    district = own_district(ctx, Role.ADMIN)
    if district is None or ctx.person is None:
        ctx.say("common.not_allowed")
        return False
    code = typed.strip().split()[0].upper()
    found = await place_in_district(ctx, code, district.id)
    if found is None:
        matches = await _named(ctx, district.id, typed)
        if matches:
            # Not a code but part of a name: offer the places, the flow waits for the pick.
            ctx.goto(flow.name, "code", {"district_id": district.id})
            choices = tuple(Choice(f"moi:{c}", f"{name} ({c})") for c, name in matches)
            ctx.say("admin.invite_pick", typed=typed.strip(), choices=choices)
            return False
        ctx.say("admin.invite_unknown", code=code, example=await _example(ctx, district.id))
        return False
    role, place = found
    invite = await create_invite(
        ctx.uow,
        role=role,
        place=place,
        now=ctx.now,
        ttl_days=ctx.settings.invites.ttl_days,
        created_by_id=ctx.person.id,
    )
    link = deep_link(ctx.settings.telegram.username, invite.code)
    text = ctx.t(
        "admin.invite_created",
        role=ctx.t(f"admin.role_{role.value.replace('-', '_')}"),
        place=place.name,
        code=display_code(invite.code),
        until=fmt(ctx).moment(invite.expires_at),
    )
    # The link line only when there is a link: no empty last line.
    ctx.reply(Reply(text=f"{text}\n{ctx.t('admin.invite_link', link=link)}" if link else text))
    return True


async def _named(ctx: Context, district_id: int, typed: str) -> list[tuple[str, str]]:
    """Branches and units of the district whose name holds every typed word (no diacritics)."""
    words = fold(typed).split()
    branches = await ctx.repo(OrgRepository).branches_of_district(district_id)
    places = {b.unit.code: b.unit.name for b in branches} | {b.code: b.name for b in branches}
    found = [(code, name) for code, name in places.items() if all(w in fold(name) for w in words)]
    return found[:LIST_SIZE]


async def _example(ctx: Context, district_id: int, *, command: bool = True) -> str:
    """A real code of this district (after the command in the reader's language)."""
    branches = await ctx.repo(OrgRepository).branches_of_district(district_id)
    code = branches[0].code if branches else "PH-TL-01"
    if not command:
        return code
    return f"/{'moi' if ctx.locale == 'vi' else 'invite'} {code}"
