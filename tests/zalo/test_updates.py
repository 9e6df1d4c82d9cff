"""Reading Zalo events: the documented shapes, both photo fields, string ids, bad shapes refused."""

from __future__ import annotations

from typing import Any

import pytest

from bot.app.channels.zalo.updates import ZaloUpdate, parse_update

DOCUMENTED = {
    "ok": True,
    "result": {
        "event_name": "message.text.received",
        "message": {
            "from": {"id": "6ede9afa66b88fe6d6a9", "display_name": "Ted", "is_bot": False},
            "chat": {"id": "6ede9afa66b88fe6d6a9", "chat_type": "PRIVATE"},
            "text": "Xin chào",
            "message_id": "2d758cb5e222177a4e35",
            "date": 1750316131602,
        },
    },
}


def test_documented_webhook_body() -> None:
    assert parse_update(DOCUMENTED) == ZaloUpdate(
        event_name="message.text.received",
        chat_id="6ede9afa66b88fe6d6a9",
        user_id="6ede9afa66b88fe6d6a9",
        display_name="Ted",
        message_id="2d758cb5e222177a4e35",
        date_ms=1750316131602,
        text="Xin chào",
    )


@pytest.mark.parametrize("key", ["photo", "photo_url"])
def test_image_event_reads_either_field(key: str) -> None:
    update = parse_update(
        {
            "event_name": "message.image.received",
            "message": {
                "from": {"id": 42, "display_name": "Minh"},
                "chat": {"id": 42},
                key: "https://photo.zdn.vn/a.jpg",
                "caption": "Ra quân",
                "message_id": 7,
                "date": 1750316131602,
            },
        }
    )
    assert update.photo_url == "https://photo.zdn.vn/a.jpg" and update.caption == "Ra quân"
    assert (update.user_id, update.chat_id, update.message_id) == ("42", "42", "7")


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        {"ok": True, "result": None},
        {"event_name": "", "message": {}},
        {"event_name": "message.text.received"},
        {"event_name": "message.text.received", "message": {"from": {"id": True}}},
        {"event_name": "message.text.received", "message": {"chat": {"id": "c"}}},
    ],
)
def test_shapes_that_are_not_updates(body: Any) -> None:
    with pytest.raises(ValueError):
        parse_update(body)


def test_bot_senders_and_group_chats_are_marked() -> None:
    body = DOCUMENTED["result"] | {}
    message = dict(body["message"])  # type: ignore[index]
    message["from"] = {"id": "b1", "is_bot": True}
    message["chat"] = {"id": "g1", "chat_type": "GROUP"}
    update = parse_update({"event_name": "message.text.received", "message": message})
    assert update.is_bot and update.chat_type == "GROUP" and update.chat_id == "g1"
