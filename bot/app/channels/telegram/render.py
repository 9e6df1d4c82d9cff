"""Reply → Telegram messages: escaped HTML, pieces of at most 4096 characters, inline keyboards."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from enum import StrEnum

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.app.channels.render import numbered_text, split_text
from bot.engine.types import Attachment, KeptPhoto, Reply

log = logging.getLogger(__name__)

TEXT_LIMIT = 4096  # characters of a message's text, after HTML entities are parsed
CAPTION_LIMIT = 1024  # characters of a photo's or document's caption
CALLBACK_DATA_LIMIT = 64  # bytes of a button's callback_data
ALBUM_LIMIT = 10  # photos in one sendMediaGroup (which also needs at least 2)


class OutKind(StrEnum):
    TEXT = "text"
    PHOTO = "photo"
    DOCUMENT = "document"
    ALBUM = "album"  # sendMediaGroup (sendPhoto for a single photo)


@dataclass(frozen=True, slots=True)
class OutMessage:
    """One Bot API call's worth of a reply: a text, a photo, a document or an album, maybe with
    buttons (never on an album: Telegram takes none there)."""

    kind: OutKind
    html: str  # the text, or the caption of a photo, document or album ("" for none)
    attachment: Attachment | None = None
    keyboard: InlineKeyboardMarkup | None = None
    photos: tuple[KeptPhoto, ...] = ()


def escape(text: str) -> str:
    """User content made safe for parse_mode=HTML (only <, > and & are special there)."""
    return html.escape(text, quote=False)


def fits_callback_data(payload: str) -> bool:
    """Whether a choice payload can travel as callback_data (1–64 bytes of UTF-8)."""
    return 0 < len(payload.encode("utf-8")) <= CALLBACK_DATA_LIMIT


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's choices as inline buttons, `reply.columns` per row; None without choices."""
    if not reply.choices:
        return None
    columns = max(1, reply.columns)
    buttons = [InlineKeyboardButton(c.label, callback_data=c.payload) for c in reply.choices]
    rows = [buttons[i : i + columns] for i in range(0, len(buttons), columns)]
    return InlineKeyboardMarkup(rows)


def album_parts(photos: tuple[KeptPhoto, ...]) -> list[tuple[KeptPhoto, ...]]:
    """Albums of at most ten photos, as even as can be: 11 photos go as 6 + 5, never 10 + 1,
    since an album needs two (a lone photo goes by itself only when it is the only one)."""
    if not photos:
        return []
    count = -(-len(photos) // ALBUM_LIMIT)
    size, extra = divmod(len(photos), count)
    parts, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        parts.append(photos[start:end])
        start = end
    return parts


def _album(reply: Reply, text: str, markup: InlineKeyboardMarkup | None) -> list[OutMessage]:
    """The text as the first album's caption when it fits and carries no buttons; otherwise
    the text goes as its own message (before the photos, or after them with its buttons)."""
    captioned = markup is None and len(text) <= CAPTION_LIMIT
    words = [] if captioned or not text.strip() else split_text(text, TEXT_LIMIT)
    before = [] if markup is not None else words
    messages = [OutMessage(OutKind.TEXT, escape(p)) for p in before]
    for index, part in enumerate(album_parts(reply.album)):
        caption = escape(text) if captioned and index == 0 else ""
        messages.append(OutMessage(OutKind.ALBUM, caption, photos=part))
    if markup is not None:
        after = [OutMessage(OutKind.TEXT, escape(p)) for p in words]
        if after:
            after[-1] = OutMessage(OutKind.TEXT, after[-1].html, keyboard=markup)
        messages += after
    return messages


def render(reply: Reply) -> list[OutMessage]:
    """The messages that show `reply`; its buttons go on the last one."""
    text = reply.text
    markup = keyboard(reply)
    if reply.choices and not all(fits_callback_data(c.payload) for c in reply.choices):
        # A too-long payload would make Telegram refuse the whole message: offer numbered
        # lines instead, which the engine maps back when the user types the number.
        log.error("choice payload over %s bytes; sending numbered text", CALLBACK_DATA_LIMIT)
        text, markup = numbered_text(reply), None
    if reply.album:
        return _album(reply, text, markup)
    attachments = [
        (kind, a)
        for kind, a in ((OutKind.PHOTO, reply.photo), (OutKind.DOCUMENT, reply.document))
        if a is not None
    ]
    messages: list[OutMessage] = []
    caption = ""
    if attachments and len(text) <= CAPTION_LIMIT:
        caption, text = text, ""
    if text.strip():
        messages.extend(OutMessage(OutKind.TEXT, escape(p)) for p in split_text(text, TEXT_LIMIT))
    for index, (kind, attachment) in enumerate(attachments):
        messages.append(OutMessage(kind, escape(caption) if index == 0 else "", attachment))
    if markup is not None and messages:
        last = messages[-1]
        messages[-1] = OutMessage(last.kind, last.html, last.attachment, markup)
    return messages


def chosen_html(question_html: str, label: str) -> str:
    """The question as it reads once answered: the chosen label appended in bold."""
    return f"{question_html}\n\n→ <b>{escape(label)}</b>"


def pressed_label(markup: InlineKeyboardMarkup | None, data: str) -> str | None:
    """The label of the button that carried `data`, if it is still on the message."""
    if markup is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == data:
                return button.text
    return None
