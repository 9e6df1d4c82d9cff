"""Zalo updates (webhook bodies and getUpdates results) read into typed values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TEXT = "message.text.received"
IMAGE = "message.image.received"
STICKER = "message.sticker.received"
VOICE = "message.voice.received"
UNSUPPORTED = "message.unsupported.received"


@dataclass(frozen=True, slots=True)
class ZaloUpdate:
    """One event: who wrote, in which chat, and what (text, or an image URL and caption)."""

    event_name: str
    chat_id: str
    user_id: str
    display_name: str = ""
    message_id: str = ""
    date_ms: int = 0  # Zalo dates are milliseconds since the epoch
    text: str = ""
    photo_url: str = ""
    caption: str = ""
    is_bot: bool = False
    chat_type: str = "PRIVATE"


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _id(value: Any) -> str:
    """Ids are strings on Zalo; numbers are accepted in case a proxy rewrote them."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return str(value).strip()


def parse_update(data: Any) -> ZaloUpdate:
    """An update object `{event_name, message}`, or a whole `{ok, result}` envelope around one.

    Raises ValueError naming what is missing.
    """
    if isinstance(data, dict) and "result" in data and "event_name" not in data:
        data = data["result"]
    if not isinstance(data, dict):
        raise ValueError("an update must be a JSON object")
    event = data.get("event_name")
    message = data.get("message")
    if not isinstance(event, str) or not event:
        raise ValueError("event_name is missing")
    if not isinstance(message, dict):
        raise ValueError("message is missing")
    sender, chat = _obj(message.get("from")), _obj(message.get("chat"))
    user_id = _id(sender.get("id"))
    chat_id = _id(chat.get("id")) or user_id
    if not chat_id or not user_id:
        raise ValueError("message.from.id or message.chat.id is missing")
    date = message.get("date")
    return ZaloUpdate(
        event_name=event,
        chat_id=chat_id,
        user_id=user_id,
        display_name=_text(sender.get("display_name")) or _text(sender.get("name")),
        message_id=_id(message.get("message_id")),
        date_ms=date if isinstance(date, int) and not isinstance(date, bool) else 0,
        text=_text(message.get("text")),
        # The documentation says `photo`; one SDK reads `photo_url`: accept both.
        photo_url=_text(message.get("photo")) or _text(message.get("photo_url")),
        caption=_text(message.get("caption")),
        is_bot=sender.get("is_bot") is True,
        chat_type=_text(chat.get("chat_type")) or "PRIVATE",
    )
