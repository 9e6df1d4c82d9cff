"""Reply → Telegram messages: escaped HTML, pieces of at most 4096 characters, inline keyboards."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from enum import StrEnum

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.app.channels.render import numbered_text, split_text
from bot.engine.types import Attachment, Reply

log = logging.getLogger(__name__)

TEXT_LIMIT = 4096  # characters of a message's text, after HTML entities are parsed
CAPTION_LIMIT = 1024  # characters of a photo's or document's caption
CALLBACK_DATA_LIMIT = 64  # bytes of a button's callback_data


class OutKind(StrEnum):
    TEXT = "text"
    PHOTO = "photo"
    DOCUMENT = "document"


@dataclass(frozen=True, slots=True)
class OutMessage:
    """One Bot API call's worth of a reply: a text, a photo or a document, maybe with buttons."""

    kind: OutKind
    html: str  # the text, or the caption of a photo or document ("" for none)
    attachment: Attachment | None = None
    keyboard: InlineKeyboardMarkup | None = None


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


def render(reply: Reply) -> list[OutMessage]:
    """The messages that show `reply`; its buttons go on the last one."""
    text = reply.text
    markup = keyboard(reply)
    if reply.choices and not all(fits_callback_data(c.payload) for c in reply.choices):
        # A too-long payload would make Telegram refuse the whole message: offer numbered
        # lines instead, which the engine maps back when the user types the number.
        log.error("choice payload over %s bytes; sending numbered text", CALLBACK_DATA_LIMIT)
        text, markup = numbered_text(reply), None
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
