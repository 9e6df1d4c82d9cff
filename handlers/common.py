"""Commands every chat has: help and the main menu, language, back, skip, cancel."""

from __future__ import annotations

from bot.engine.context import Context
from bot.engine.router import Dispatcher, Router
from bot.engine.textnorm import NUMBER_WORDS, fold, resolve_choice
from bot.engine.types import Choice
from storage.models import Role

router = Router("common")

LANGUAGES = (("vi", "Tiếng Việt"), ("en", "English"))


def dispatcher(ctx: Context) -> Dispatcher:
    """Every command and flow of the bot (the engine hands it to each update's context)."""
    found = ctx.dispatcher
    assert isinstance(found, Dispatcher)
    return found


def main_menu(ctx: Context) -> tuple[Choice, ...]:
    """One button per command this person may use that has a menu entry."""
    return tuple(
        ctx.choice(f"cmd:{spec.names[0]}", spec.menu_key)
        for spec in dispatcher(ctx).allowed_commands(ctx)
        if spec.menu_key
    )


def for_reader(ctx: Context, key: str) -> str:
    """`key`, or its `<key>_district` variant for someone who only works at the district
    (the standing committee and its admins are addressed as "đồng chí")."""
    variant = f"{key}_district"
    district_only = ctx.has_role(Role.LEADER, Role.ADMIN) and not ctx.has_role(
        Role.SECRETARY, Role.UNIT_SECRETARY
    )
    return variant if district_only and ctx.catalog.has(variant) else key


def show_menu(ctx: Context, key: str = "common.menu", /, **values: object) -> None:
    """Say `key` (in the reader's register, see `for_reader`) and offer the main menu."""
    ctx.say(for_reader(ctx, key), choices=main_menu(ctx), **values)


@router.command("trogiup", "help", public=True, help_key="common.help_help", flow_control=True)
async def help_command(ctx: Context, _args: str) -> None:
    """What I can do here, for my role; inside a flow, help on the current question first."""
    if ctx.person is None:
        ctx.say("registration.how_to_register")
        return
    flow = dispatcher(ctx).flow(ctx.flow)
    if flow is not None:
        ctx.say("common.flow_controls")
        await flow.help(ctx)
        return
    lines = []
    for spec in dispatcher(ctx).allowed_commands(ctx):
        if spec.help_key:
            aliases = " ".join(f"/{n}" for n in spec.names[1:])
            lines.append(f"/{spec.names[0]} ({aliases}) — {ctx.t(spec.help_key)}")
    show_menu(ctx, "common.help", commands="\n".join(lines))


@router.on_fallback
async def didnt_understand(ctx: Context) -> None:
    """Text we cannot place: a menu entry named in words, else one sentence and the menu."""
    menu = main_menu(ctx)
    words = fold(ctx.input.text)
    wordy = any(ch.isalpha() for ch in words) and words not in NUMBER_WORDS
    payload = resolve_choice(words, [[c.payload, c.label] for c in menu]) if wordy else None
    if payload is not None:
        await menu_choice(ctx, payload.removeprefix("cmd:"))
        return
    show_menu(ctx, "common.didnt_understand")


@router.on_choice("cmd", anywhere=True)
async def menu_choice(ctx: Context, name: str) -> None:
    """A main-menu button: run that command as if typed."""
    spec = dispatcher(ctx).command(name)
    if spec is None:
        ctx.stale()
    else:
        await dispatcher(ctx).run_command(ctx, spec, "")


@router.command(
    "ngonngu", "language", public=True, help_key="common.help_language", flow_control=True
)
async def language_command(ctx: Context, args: str) -> None:
    """Tiếng Việt / English: by argument, or offered as choices."""
    wanted = args.strip().lower()[:2]
    if wanted in dict(LANGUAGES):
        await set_language(ctx, wanted)
        return
    choices = tuple(Choice(payload=f"lang:{code}", label=label) for code, label in LANGUAGES)
    ctx.say("common.choose_language", choices=choices)


@router.on_choice("lang", anywhere=True)
async def set_language(ctx: Context, code: str) -> None:
    """Remember the language, then carry on where the chat was."""
    if code not in dict(LANGUAGES):
        ctx.stale()
        return
    ctx.locale = code
    if ctx.person is not None:
        ctx.person.locale = code
    ctx.conversation.locale = code
    ctx.say("common.language_set")
    flow = dispatcher(ctx).flow(ctx.flow)
    if flow is not None:
        await flow.ask(ctx)


async def _in_flow(ctx: Context, action: str) -> None:
    flow = dispatcher(ctx).flow(ctx.flow)
    if flow is None:
        ctx.say(f"common.no_flow_{action}")
        return
    await getattr(flow, action)(ctx)


@router.command("quaylai", "back", public=True, flow_control=True)
async def back_command(ctx: Context, _args: str) -> None:
    """The previous question."""
    await _in_flow(ctx, "back")


@router.command("boqua", "skip", public=True, flow_control=True)
async def skip_command(ctx: Context, _args: str) -> None:
    """Skip an optional question."""
    await _in_flow(ctx, "skip")


@router.command("huy", "cancel", public=True, flow_control=True)
async def cancel_command(ctx: Context, _args: str) -> None:
    """Stop the current flow; what was saved stays saved."""
    await _in_flow(ctx, "cancel")
