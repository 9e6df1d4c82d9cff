"""/moi <mã>: a new invite code and link for a branch or unit of the admin's own district."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.engine.context import Context
from bot.engine.router import Router
from handlers.admin.scope import own_district
from handlers.invites import Place, create_invite, deep_link, display_code
from storage.models import Role
from storage.repositories.org import OrgRepository

router = Router("admin.invite")


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


@router.command(
    "moi", "invite", roles=[Role.ADMIN], help_key="admin.help_invite", menu_key="admin.menu_invite"
)
async def invite_command(ctx: Context, args: str) -> None:
    """Create the code; another district's codes look exactly like unknown ones."""
    district = own_district(ctx, Role.ADMIN)
    if district is None:
        ctx.say("common.not_allowed")
        return
    code = args.strip().split()[0].upper() if args.strip() else ""
    if not code:
        ctx.say("admin.invite_usage", example=await _example(ctx, district.id))
        return
    found = await place_in_district(ctx, code, district.id)
    if found is None:
        ctx.say("admin.invite_unknown", code=code, example=await _example(ctx, district.id))
        return
    role, place = found
    assert ctx.person is not None
    invite = await create_invite(
        ctx.uow,
        role=role,
        place=place,
        now=ctx.now,
        ttl_days=ctx.settings.invites.ttl_days,
        created_by_id=ctx.person.id,
    )
    until = invite.expires_at.astimezone(ZoneInfo(ctx.settings.bot.timezone))
    link = deep_link(ctx.settings.telegram.username, invite.code)
    ctx.say(
        "admin.invite_created",
        role=ctx.t(f"admin.role_{role.value.replace('-', '_')}"),
        place=place.name,
        code=display_code(invite.code),
        until=f"{until:%d/%m/%Y}",
        link=ctx.t("admin.invite_link", link=link) if link else "",
    )


async def _example(ctx: Context, district_id: int) -> str:
    """A real command for this district, so the example can be copied."""
    branches = await ctx.repo(OrgRepository).branches_of_district(district_id)
    return f"/moi {branches[0].code}" if branches else "/moi PH-TL-01"
