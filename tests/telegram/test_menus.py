"""Command menus: built from the dispatcher per role and language, published with setMyCommands."""

from __future__ import annotations

from telegram import Bot

from bot.app.channels.command_menus import CommandMenus, MenuEntry, menus
from bot.app.channels.telegram.menus import publish_menus
from bot.engine.context import Context
from bot.engine.router import Dispatcher, Router
from bot.i18n import Catalog
from storage.models import Role
from storage.repositories.chat_roles import ChatRoleRepository
from tests.support.harness import Harness
from tests.telegram.driver import BotUnderTest
from tests.telegram.fake_api import TOKEN, FakeBotApi

CATALOG = Catalog(
    {
        "vi": {"m.report": "báo cáo tháng", "m.digest": "tổng hợp", "m.invite": "mời"},
        "en": {"m.report": "monthly report", "m.digest": "digest", "m.invite": "invite"},
    }
)


def _dispatcher() -> Dispatcher:
    router = Router("menus-test")

    async def noop(_ctx: Context, _args: str) -> None:
        return None

    router.command("baocao", "report", roles=[Role.SECRETARY], help_key="m.report")(noop)
    router.command("tonghop", "digest", roles=[Role.LEADER, Role.ADMIN], help_key="m.digest")(noop)
    router.command("moi", "invite", roles=[Role.ADMIN], help_key="m.invite")(noop)
    router.command("an", "hidden", roles=[Role.ADMIN])(noop)  # no help text: not in menus
    return Dispatcher([router])


def _names(entries: tuple[MenuEntry, ...]) -> list[str]:
    return [e.command for e in entries]


def test_everyone_gets_the_secretary_menu_and_role_chats_their_own() -> None:
    built = menus(
        _dispatcher().commands,
        {
            "11": frozenset({Role.SECRETARY}),
            "22": frozenset({Role.LEADER}),
            "33": frozenset({Role.ADMIN, Role.SECRETARY}),
        },
        CATALOG,
    )
    assert _names(built.default["vi"]) == ["baocao"]
    assert _names(built.default["en"]) == ["report"]
    assert built.default["en"][0].description == "monthly report"
    assert set(built.chats) == {"22", "33"}, "a plain secretary needs no menu of their own"
    assert _names(built.chats["22"]["vi"]) == ["tonghop"]
    assert _names(built.chats["33"]["vi"]) == ["baocao", "tonghop", "moi"]
    assert _names(built.chats["33"]["en"]) == ["report", "digest", "invite"]


async def test_role_chats_come_from_telegram_identities(harness: Harness) -> None:
    await harness.registered("501", channel="telegram")
    leader = harness.chat("502", channel="telegram")
    await leader.say(f"/start {await harness.invite(Role.LEADER, 'PH')}")
    await harness.registered("503", channel="fake")
    async with harness.uow() as uow:
        found = await uow.get(ChatRoleRepository).roles_by_chat("telegram")
    assert found == {"501": frozenset({Role.SECRETARY}), "502": frozenset({Role.LEADER})}


async def test_menus_are_published_per_scope_and_language(api: FakeBotApi) -> None:
    built = menus(_dispatcher().commands, {"22": frozenset({Role.LEADER})}, CATALOG)
    async with Bot(TOKEN, base_url=api.base_url, base_file_url=api.file_base_url) as bot:
        assert await publish_menus(bot, built) == 1
    assert api.commands[("default", "")] == [{"command": "baocao", "description": "báo cáo tháng"}]
    assert api.commands[("default", "en")] == [
        {"command": "report", "description": "monthly report"}
    ]
    assert api.commands[("22", "")] == [{"command": "tonghop", "description": "tổng hợp"}]
    assert api.commands[("22", "en")] == [{"command": "digest", "description": "digest"}]


async def test_a_chat_telegram_refuses_does_not_stop_the_others(api: FakeBotApi) -> None:
    entry = (MenuEntry("tonghop", "tổng hợp"),)
    built = CommandMenus(
        default={"vi": (), "en": ()}, chats={"1": {"vi": entry}, "2": {"vi": entry}}
    )
    api.blocked_chats.add(1)
    async with Bot(TOKEN, base_url=api.base_url, base_file_url=api.file_base_url) as bot:
        assert await publish_menus(bot, built) == 1
    assert ("1", "") not in api.commands
    assert api.commands[("2", "")] == [{"command": "tonghop", "description": "tổng hợp"}]


async def test_start_publishes_the_real_menus_and_learns_the_username(
    polling_bot: BotUnderTest,
) -> None:
    channel = polling_bot.channel
    assert channel.menus_task is not None
    await channel.menus_task
    api = polling_bot.api
    vi = {c["command"] for c in api.commands[("default", "")]}
    en = {c["command"] for c in api.commands[("default", "en")]}
    assert {"trogiup", "ngonngu"} <= vi and {"help", "language"} <= en
    assert polling_bot.app.settings.telegram.username == api.username
