"""Command menus (menu lệnh) per role and language, for platforms that show a command list."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.engine.router import CommandSpec
from bot.i18n import LOCALES, REFERENCE, Catalog
from storage.models import Role
from storage.repositories.chat_roles import ChatRoleRepository
from storage.uow import UnitOfWork

#: What Telegram accepts as a command name, and how much of a menu it shows.
COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
DESCRIPTION_LIMIT = 256
MENU_LIMIT = 100

#: Everyone sees the secretary's menu until their own roles say otherwise.
DEFAULT_ROLES = frozenset({Role.SECRETARY})


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """One line of a command menu: '/baocao — báo cáo tháng'."""

    command: str
    description: str


#: A menu in each language: {"vi": (...), "en": (...)}.
Menu = Mapping[str, tuple[MenuEntry, ...]]


@dataclass(frozen=True)
class CommandMenus:
    """The menu for everyone, and the menus of chats whose roles give them more."""

    default: Menu
    chats: Mapping[str, Menu] = field(default_factory=dict)


def _name(spec: CommandSpec, locale: str) -> str:
    """Vietnamese name first; the English alias (the second name) for English."""
    if locale != REFERENCE and len(spec.names) > 1:
        return spec.names[1]
    return spec.names[0]


def _description(text: str) -> str:
    return text if len(text) <= DESCRIPTION_LIMIT else text[: DESCRIPTION_LIMIT - 1] + "…"


def menu_for(
    commands: Iterable[CommandSpec], roles: frozenset[Role], catalog: Catalog, locale: str
) -> tuple[MenuEntry, ...]:
    """The commands someone with `roles` may use and that have help text, in one language."""
    entries: dict[str, MenuEntry] = {}
    for spec in commands:
        if spec.help_key is None or not (spec.roles is None or spec.roles & roles):
            continue
        name = _name(spec, locale)
        if COMMAND_NAME.match(name) and name not in entries:
            description = _description(catalog.t(locale, spec.help_key))
            entries[name] = MenuEntry(name, description)
    return tuple(entries.values())[:MENU_LIMIT]


def menus(
    commands: Iterable[CommandSpec], chat_roles: Mapping[str, frozenset[Role]], catalog: Catalog
) -> CommandMenus:
    """The default menu, plus a menu for each chat whose roles make it different."""
    specs = list(commands)

    def menu(roles: frozenset[Role]) -> Menu:
        return {locale: menu_for(specs, roles, catalog, locale) for locale in LOCALES}

    default = menu(DEFAULT_ROLES)
    chats: dict[str, Menu] = {}
    for chat_id, roles in chat_roles.items():
        own = menu(roles)
        if own != default:
            chats[chat_id] = own
    return CommandMenus(default=default, chats=chats)


async def load_menus(
    sessions: async_sessionmaker[AsyncSession],
    commands: Iterable[CommandSpec],
    catalog: Catalog,
    channel: str,
) -> CommandMenus:
    """Menus for `channel`, reading which of its chats hold which roles."""
    async with UnitOfWork(sessions) as uow:
        chat_roles = await uow.get(ChatRoleRepository).roles_by_chat(channel)
    return menus(commands, chat_roles, catalog)
