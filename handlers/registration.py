"""Registration: `/start CODE` links a chat account to a role; strangers learn how to get a code."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from bot.engine.context import Context
from bot.engine.router import Router
from bot.engine.types import InKind
from handlers.common import show_menu
from handlers.invites import looks_like_code, normalise_code
from handlers.steps import StepFlow, StepSpec
from storage.models import Invite, Person, Role, RoleAssignment
from storage.repositories.invites import InviteRepository
from storage.repositories.org import OrgRepository
from storage.repositories.people import PeopleRepository

router = Router("registration")

ROLE_KEYS = {
    Role.SECRETARY: "registration.role_secretary",
    Role.UNIT_SECRETARY: "registration.role_unit_secretary",
    Role.LEADER: "registration.role_leader",
    Role.ADMIN: "registration.role_admin",
}


class Step(StrEnum):
    """Registration waits for one thing: the invite code."""

    CODE = "code"


class RegistrationFlow(StepFlow[Step]):
    """Waits for the invite code after a bare /start."""

    name = "registration"
    public = True

    def __init__(self) -> None:
        super().__init__(Step, Step.CODE)

    def steps(self) -> dict[Step, StepSpec[Step]]:
        return {Step.CODE: StepSpec(self.ask_code, self.on_code)}

    async def start(self, ctx: Context, args: str) -> None:
        ctx.goto(self.name, Step.CODE.value, {})
        await self.ask(ctx)

    async def ask_code(self, ctx: Context) -> None:
        ctx.say("registration.ask_code")

    async def on_code(self, ctx: Context) -> None:
        if ctx.input.text:
            await redeem(ctx, ctx.input.text)
        else:
            await self.ask(ctx)

    async def cancel(self, ctx: Context) -> None:
        ctx.end_flow()
        ctx.say("registration.cancelled")


registration = RegistrationFlow()
router.flow(registration)


@router.command("start", public=True)
async def start_command(ctx: Context, args: str) -> None:
    """Register with a code, or say hello."""
    if args:
        await redeem(ctx, args)
    elif ctx.person is not None:
        show_menu(ctx, "registration.welcome_back", name=ctx.person.display_name)
    else:
        await registration.start(ctx, "")


@router.on_unregistered
async def stranger(ctx: Context) -> None:
    """Someone without a role: a code-shaped message is tried, anything else is explained."""
    if ctx.input.text and looks_like_code(ctx.input.text):
        await redeem(ctx, ctx.input.text)
        return
    if ctx.input.kind is InKind.PHOTO:
        ctx.say("registration.photo_not_kept")
    ctx.say("registration.how_to_register")


async def redeem(ctx: Context, typed: str) -> None:
    """Check a typed code and, when good, give this chat its role."""
    conv = ctx.conversation
    if conv.locked_until is not None and conv.locked_until > ctx.now:
        minutes = int((conv.locked_until - ctx.now).total_seconds() // 60) + 1
        ctx.say("registration.locked", minutes=minutes)
        return
    if not looks_like_code(typed):
        # Not an attempt at a code ("/start CODE" from a guide, an answer typed too early):
        # say what a code looks like, and do not count it towards the lock.
        ctx.say("registration.not_a_code")
        if ctx.person is None and ctx.flow != registration.name:
            ctx.goto(registration.name, "code", {})
        return
    invite = await ctx.repo(InviteRepository).by_code(normalise_code(typed))
    if invite is not None and ctx.person is not None and invite.used_by_id == ctx.person.id:
        show_menu(ctx, "registration.already_yours", name=ctx.person.display_name)
        return
    problem = _problem(ctx, invite)
    if problem is not None or invite is None:
        await _wrong_code(ctx, problem or "registration.code_unknown")
        return
    if not await ctx.repo(InviteRepository).claim(invite.id, ctx.now):
        # Someone redeemed the same code a moment ago: it was theirs.
        await _wrong_code(ctx, "registration.code_used")
        return
    person = ctx.person or await ctx.repo(PeopleRepository).create(
        ctx.incoming.channel,
        ctx.incoming.user_id,
        ctx.incoming.chat_id,
        ctx.incoming.display_name,
        ctx.locale,
    )
    if not _holds(person, invite):
        person.roles.append(
            RoleAssignment(
                role=invite.role,
                branch_id=invite.branch_id,
                unit_id=invite.unit_id,
                district_id=invite.district_id,
                created_at=ctx.now,
            )
        )
    invite.used_at = ctx.now
    invite.used_by_id = person.id
    await ctx.uow.flush()
    ctx.person = await ctx.repo(PeopleRepository).get(person.id)
    ctx.end_flow()
    await _greet(ctx, invite)


def _problem(ctx: Context, invite: Invite | None) -> str | None:
    if invite is None:
        return "registration.code_unknown"
    if invite.used_at is not None:
        return "registration.code_used"
    if invite.expires_at <= ctx.now:
        return "registration.code_expired"
    return None


async def _wrong_code(ctx: Context, reason: str) -> None:
    settings = ctx.settings.invites
    repo = ctx.repo(InviteRepository)
    await repo.record_failure(ctx.incoming.channel, ctx.incoming.chat_id, ctx.now)
    window = ctx.now - timedelta(minutes=settings.failure_window_minutes)
    failures = await repo.failures_since(ctx.incoming.channel, ctx.incoming.chat_id, window)
    if failures >= settings.max_failures:
        ctx.conversation.locked_until = ctx.now + timedelta(minutes=settings.lockout_minutes)
        ctx.say("registration.locked", minutes=settings.lockout_minutes)
        return
    ctx.say(reason)
    # Someone already registered keeps what they were doing; only strangers wait for a code.
    if ctx.person is None and ctx.flow != registration.name:
        ctx.goto(registration.name, "code", {})


def _holds(person: Person, invite: Invite) -> bool:
    return any(
        r.active
        and r.role == invite.role
        and (r.branch_id, r.unit_id, r.district_id)
        == (invite.branch_id, invite.unit_id, invite.district_id)
        for r in person.roles
    )


async def _greet(ctx: Context, invite: Invite) -> None:
    org = ctx.repo(OrgRepository)
    role = ctx.t(ROLE_KEYS[Role(invite.role)])
    name = ctx.person.display_name if ctx.person else ""
    if invite.branch_id is not None:
        branch = await org.branch(invite.branch_id)
        assert branch is not None
        show_menu(
            ctx,
            "registration.welcome_branch",
            name=name,
            role=role,
            branch=branch.name,
            unit=branch.unit.name,
            district=branch.unit.district.name,
        )
        return
    place = ""
    for role_assignment in ctx.roles():
        if role_assignment.unit_id == invite.unit_id and invite.unit_id is not None:
            unit = role_assignment.unit
            place = f"{unit.name}, {unit.district.name}" if unit else ""
        elif invite.district_id is not None and role_assignment.district_id == invite.district_id:
            place = role_assignment.district.name if role_assignment.district else ""
    key = "registration.welcome_district" if invite.district_id else "registration.welcome_place"
    show_menu(ctx, key, name=name, role=role, place=place)
