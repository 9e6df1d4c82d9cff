"""Publishing command menus with setMyCommands: everyone's, then each role-holding chat's."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.app.channels.command_menus import CommandMenus, Menu
from bot.i18n import REFERENCE

log = logging.getLogger(__name__)

#: Computes the menus when the channel starts (the channel itself never reads the database).
MenuSource = Callable[[], Awaitable[CommandMenus]]


async def _publish(
    bot: Bot, menu: Menu, scope: BotCommandScopeDefault | BotCommandScopeChat
) -> None:
    for locale, entries in menu.items():
        commands = [BotCommand(e.command, e.description) for e in entries]
        # Vietnamese is the menu for every language we have no menu in.
        language = None if locale == REFERENCE else locale
        await bot.set_my_commands(commands, scope=scope, language_code=language)


async def publish_menus(bot: Bot, menus: CommandMenus) -> int:
    """Set every menu; returns how many chats got their own. A failing chat is logged, skipped."""
    await _publish(bot, menus.default, BotCommandScopeDefault())
    done = 0
    for chat_id, menu in menus.chats.items():
        try:
            await _publish(bot, menu, BotCommandScopeChat(int(chat_id)))
            done += 1
        except TelegramError as exc:
            log.warning("command menu for chat %s not set: %s", chat_id, exc)
    return done
