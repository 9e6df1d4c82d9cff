"""/moi <mã>: a new invite code and link for a branch or unit of the admin's own district."""

from __future__ import annotations

from enum import StrEnum

from bot.engine.context import Context
from bot.engine.textnorm import fold
from bot.engine.types import Choice, InKind, Reply
from handlers.access import DistrictFlow, DistrictRouter
from handlers.i18n import fmt
from handlers.invites import Place, create_invite, deep_link, display_code
from handlers.steps import StepSpec
from storage.models import District, Role
from storage.repositories.org import OrgRepository

router = DistrictRouter("admin.invite")

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


class Step(StrEnum):
    """Where /moi stands: waiting for the code of a branch or unit."""

    CODE = "code"


class InviteFlow(DistrictFlow[Step]):
    """Mời bí thư: waits for the branch or unit code when /moi came without one."""

    name = "admin_invite"
    roles = (Role.ADMIN,)

    def __init__(self) -> None:
        super().__init__(Step, Step.CODE)

    def steps(self) -> dict[Step, StepSpec[Step]]:
        return {Step.CODE: StepSpec(self.ask_code, self.on_code)}

    async def begin(self, ctx: Context, district: District, args: str) -> None:
        """With a code: create the invite; without: ask for the code (any open flow ends)."""
        ctx.end_flow()
        if args.strip():
            await invite_for(ctx, district, args)
            return
        self.enter(ctx, district, Step.CODE)
        await self.ask(ctx)

    async def ask_code(self, ctx: Context) -> None:
        """Which branch or unit to invite, with a real code as example."""
        district = self.district(ctx)
        assert district is not None  # DistrictFlow.ask checked it
        ctx.say("admin.invite_ask", example=await _example(ctx, district.id, command=False))

    async def on_code(self, ctx: Context) -> None:
        """The typed code: create the invite, or say it is unknown and wait for another."""
        choice = ctx.input.choice or ""
        typed = ctx.input.text.strip() if ctx.input.kind is InKind.TEXT else ""
        code = choice.removeprefix("moi:") if choice.startswith("moi:") else typed
        district = self.district(ctx)
        if not code or district is None:
            await self.ask(ctx)
            return
        if await invite_for(ctx, district, code):
            ctx.end_flow()


flow = InviteFlow()
router.flow(flow)


@router.district_command(
    "moi",
    "invite",
    roles=[Role.ADMIN],
    help_key="admin.help_invite",
    menu_key="admin.menu_invite",
)
async def invite_command(ctx: Context, args: str, district: District) -> None:
    """With a code: create it; without: ask for the code in a small flow."""
    await flow.begin(ctx, district, args)


async def invite_for(ctx: Context, district: District, typed: str) -> bool:
    """Create the code; another district's codes look exactly like unknown ones."""
    assert ctx.person is not None  # the guard refuses anyone not registered
    code = typed.strip().split()[0].upper()
    found = await place_in_district(ctx, code, district.id)
    if found is None:
        matches = await _named(ctx, district.id, typed)
        if matches:
            # Not a code but part of a name: offer the places, the flow waits for the pick.
            flow.enter(ctx, district, Step.CODE)
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
