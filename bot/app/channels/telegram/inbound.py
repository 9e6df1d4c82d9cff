"""Telegram update → `Incoming`: texts, pressed buttons, photos (downloaded), everything else."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import Bot, CallbackQuery, Chat, Message, Update, User
from telegram.error import BadRequest, TelegramError

from bot.engine.types import Incoming, InKind, Photo

log = logging.getLogger(__name__)

CHANNEL = "telegram"
IMAGE_FILE_ENDINGS = (".heic", ".heif", ".jpg", ".jpeg", ".png", ".webp")


@dataclass(frozen=True, slots=True)
class PhotoLimits:
    """How big a photo may be, and how long its download may take."""

    max_bytes: int
    timeout: float


def _incoming(
    update: Update,
    user: User | None,
    chat: Chat | None,
    kind: InKind,
    *,
    text: str = "",
    payload: str = "",
    photo: Photo | None = None,
) -> Incoming:
    """Who, where, which update and which language, around what was sent."""
    user_id = str(user.id) if user else ""
    return Incoming(
        channel=CHANNEL,
        kind=kind,
        text=text,
        payload=payload,
        photo=photo,
        chat_id=str(chat.id) if chat else user_id,
        user_id=user_id,
        display_name=user.full_name if user else "",
        language_hint=user.language_code if user else None,
        update_id=str(update.update_id),
        private=chat is not None and chat.type == Chat.PRIVATE,
    )


def from_callback(update: Update, query: CallbackQuery) -> Incoming:
    """A pressed inline button: its callback_data is the choice payload."""
    message = query.message
    chat = message.chat if message is not None else None
    return _incoming(update, query.from_user, chat, InKind.CHOICE, payload=query.data or "")


async def from_message(update: Update, message: Message, limits: PhotoLimits) -> Incoming:
    """A message: text, a photo (or an image sent as a file), or something we do not take."""
    user, chat = message.from_user, message.chat
    if message.text is not None:
        return _incoming(update, user, chat, InKind.TEXT, text=message.text)
    caption = message.caption or ""
    if chat is None or chat.type != Chat.PRIVATE:
        # The engine answers groups with one line; their photos are never even fetched.
        return _incoming(update, user, chat, InKind.UNSUPPORTED, text=caption)
    if message.photo:
        largest = max(message.photo, key=lambda size: (size.width * size.height, size.file_size))
        photo = await download(message.get_bot(), largest.file_id, largest.file_size, limits)
        return _incoming(update, user, chat, InKind.PHOTO, photo=photo, text=caption)
    document = message.document
    if document is not None and _is_image_file(document.mime_type, document.file_name):
        # A photo sent "as a file" (uncompressed) is still a photo to the person sending it.
        photo = await download(message.get_bot(), document.file_id, document.file_size, limits)
        return _incoming(update, user, chat, InKind.PHOTO, photo=photo, text=caption)
    return _incoming(update, user, chat, InKind.UNSUPPORTED, text=caption)


def _is_image_file(mime: str | None, name: str | None) -> bool:
    """An image by its type, or by its name when a client sends a generic type (iPhones' HEIC
    often arrives as application/octet-stream). The content is checked later either way."""
    if (mime or "").startswith("image/"):
        return True
    return (name or "").lower().endswith(IMAGE_FILE_ENDINGS)


async def download(bot: Bot, file_id: str, known_size: int | None, limits: PhotoLimits) -> Photo:
    """The file's bytes within the size limit, or why they could not be had."""
    if known_size is not None and known_size > limits.max_bytes:
        return Photo(None, "too_large")
    try:
        file = await bot.get_file(file_id, read_timeout=limits.timeout)
        if file.file_size is not None and file.file_size > limits.max_bytes:
            return Photo(None, "too_large")
        data = bytes(await file.download_as_bytearray(read_timeout=limits.timeout))
    except BadRequest as exc:
        # Bots cannot fetch files over 20 MB: getFile answers "file is too big".
        if "too big" in exc.message.lower():
            return Photo(None, "too_large")
        log.warning("photo %s could not be fetched: %s", file_id, exc)
        return Photo(None, "unreachable")
    except TelegramError as exc:
        log.warning("photo %s could not be fetched: %s", file_id, exc)
        return Photo(None, "unreachable")
    if len(data) > limits.max_bytes:
        return Photo(None, "too_large")
    return Photo(data)
