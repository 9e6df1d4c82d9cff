"""Sending rendered messages through the Bot API, and what a failed send means for a retry."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from telegram import CallbackQuery, InputFile, InputMediaPhoto, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    RetryAfter,
    TelegramError,
)
from telegram.ext import ExtBot

from bot.app.channels.base import PermanentSendError, RetryLater, SendError, TemporarySendError
from bot.app.channels.telegram.ratelimit import BULK
from bot.app.channels.telegram.render import OutKind, OutMessage, chosen_html, pressed_label
from bot.engine.types import Attachment, KeptPhoto

log = logging.getLogger(__name__)

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
ANSWER_TEXT_LIMIT = 200  # characters of a callback answer's toast


def _file(attachment: Attachment) -> InputFile:
    return InputFile(attachment.data, filename=attachment.filename)


def _kept(photo: KeptPhoto) -> InputFile:
    """A kept photo's bytes, read now: only the album being sent is ever in memory."""
    return InputFile(photo.path.read_bytes(), filename=photo.filename)


async def send_album(
    bot: ExtBot[Any], chat_id: str, out: OutMessage, priority: str | None
) -> Message:
    """sendMediaGroup (2–10 photos, the caption on the first), or sendPhoto for a lone one."""
    caption = out.html or None
    if len(out.photos) == 1:
        return await bot.send_photo(
            chat_id,
            _kept(out.photos[0]),
            caption=caption,
            parse_mode=ParseMode.HTML,
            rate_limit_args=priority,
        )
    # Bytes, not an InputFile: PTB then attaches each file to the request (attach://…).
    media = [InputMediaPhoto(p.path.read_bytes(), filename=p.filename) for p in out.photos]
    sent = await bot.send_media_group(
        chat_id, media, caption=caption, parse_mode=ParseMode.HTML, rate_limit_args=priority
    )
    return sent[0]


async def send_message(
    bot: ExtBot[Any], chat_id: str, out: OutMessage, *, bulk: bool = False
) -> Message:
    """One Bot API call: sendMessage, sendPhoto, sendDocument or sendMediaGroup, with HTML parse
    mode.

    `bulk`: the outbox sends it (already paced); otherwise it is a reply and goes first."""
    caption = out.html or None
    priority = BULK if bulk else None
    if out.kind is OutKind.ALBUM:
        return await send_album(bot, chat_id, out, priority)
    if out.kind is OutKind.TEXT:
        return await bot.send_message(
            chat_id,
            out.html,
            parse_mode=ParseMode.HTML,
            reply_markup=out.keyboard,
            link_preview_options=NO_PREVIEW,
            rate_limit_args=priority,
        )
    assert out.attachment is not None
    if out.kind is OutKind.PHOTO:
        return await bot.send_photo(
            chat_id,
            _file(out.attachment),
            caption=caption,
            parse_mode=ParseMode.HTML,
            reply_markup=out.keyboard,
            rate_limit_args=priority,
        )
    return await bot.send_document(
        chat_id,
        _file(out.attachment),
        caption=caption,
        parse_mode=ParseMode.HTML,
        reply_markup=out.keyboard,
        rate_limit_args=priority,
    )


def send_error(exc: TelegramError) -> SendError:
    """The channel-neutral error for a failed send (the outbox retries or gives up on it)."""
    if isinstance(exc, RetryAfter):
        # The public `retry_after` warns (int now, timedelta later); PTB's own limiter reads this.
        wait: timedelta = exc._retry_after
        return RetryLater(wait.total_seconds(), str(exc))
    if isinstance(exc, Forbidden | BadRequest | ChatMigrated):
        # Blocked by the user, chat not found, or a request Telegram will never accept.
        return PermanentSendError(str(exc))
    # Timeouts, 5xx, a wrong token: worth retrying once the network or the operator recovers.
    return TemporarySendError(str(exc))


async def answer_press(query: CallbackQuery, toast: str | None) -> None:
    """Stop the button's spinner (always), with a short toast when there is something to say."""
    try:
        await query.answer(text=toast[:ANSWER_TEXT_LIMIT] if toast else None)
    except TelegramError as exc:
        # Answers older than about 15 seconds are refused; the chat replies still go out.
        log.warning("answering callback %s failed: %s", query.id, exc)


async def show_chosen(query: CallbackQuery) -> None:
    """Edit the question to show the pressed answer and drop its buttons, so the chat reads well."""
    message = query.message
    if not isinstance(message, Message):
        return
    label = pressed_label(message.reply_markup, query.data or "")
    try:
        if label is not None and message.text is not None:
            await message.edit_text(
                chosen_html(message.text_html, label),
                parse_mode=ParseMode.HTML,
                reply_markup=None,
                link_preview_options=NO_PREVIEW,
            )
        elif label is not None and message.caption is not None:
            await message.edit_caption(
                chosen_html(message.caption_html, label), parse_mode=ParseMode.HTML
            )
        elif message.reply_markup is not None:
            await message.edit_reply_markup(reply_markup=None)
    except TelegramError as exc:
        # Too old to edit, or already edited by an earlier press: the answer itself counts.
        log.info("could not mark the answer on message %s: %s", message.message_id, exc)
