"""Telegram updates → Incoming, and marking a pressed answer, with a real Bot on the fake API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Bot, Update
from telegram.error import BadRequest

from bot.app.assembly import App
from bot.app.channels.telegram import TelegramChannel
from bot.app.channels.telegram.inbound import PhotoLimits, from_callback, from_message
from bot.app.channels.telegram.outbound import show_chosen
from bot.app.wiring import attach_chat_channels
from bot.config import ConfigError
from bot.engine.types import InKind
from tests.telegram.driver import BotUnderTest, bot_settings
from tests.telegram.fake_api import TOKEN, FakeBotApi

LIMITS = PhotoLimits(max_bytes=1024, timeout=5)
USER = {"id": 77, "is_bot": False, "first_name": "Minh", "language_code": "en"}
GROUP = {"id": -100500, "type": "supergroup", "title": "BCH Đoàn xã"}
PRIVATE = {"id": 77, "type": "private", "first_name": "Minh"}


@pytest.fixture
async def real_bot(api: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=api.base_url, base_file_url=api.file_base_url) as bot:
        yield bot


def _update(bot: Bot, **content: Any) -> Update:
    update = Update.de_json({"update_id": 42, **content}, bot)
    assert update is not None
    return update


def _message(chat: dict[str, Any] = PRIVATE, **content: Any) -> dict[str, Any]:
    return {"message_id": 9, "date": 1, "chat": chat, "from": USER, **content}


async def test_group_text_keeps_chat_and_user_apart(real_bot: Bot) -> None:
    update = _update(real_bot, message=_message(GROUP, text="/trogiup@chidoan_test_bot"))
    assert update.message is not None
    incoming = await from_message(update, update.message, LIMITS)
    assert (incoming.chat_id, incoming.user_id) == ("-100500", "77")
    assert not incoming.private
    assert incoming.update_id == "42" and incoming.language_hint == "en"
    assert incoming.kind is InKind.TEXT and incoming.display_name == "Minh"


async def test_image_sent_as_a_file_is_a_photo_other_files_are_not(
    real_bot: Bot, api: FakeBotApi
) -> None:
    stored = api.add_file(b"\x89PNG image")
    document = {"file_id": stored.file_id, "file_unique_id": "u", "mime_type": "image/png",
                "file_size": len(stored.data), "file_name": "anh.png"}  # fmt: skip
    update = _update(real_bot, message=_message(document=document, caption="Ảnh"))
    assert update.message is not None
    incoming = await from_message(update, update.message, LIMITS)
    assert incoming.kind is InKind.PHOTO and incoming.text == "Ảnh"
    assert incoming.photo is not None and incoming.photo.data == b"\x89PNG image"
    pdf = {**document, "mime_type": "application/pdf", "file_name": "bao-cao.pdf"}
    update = _update(real_bot, message=_message(document=pdf))
    assert update.message is not None
    assert (await from_message(update, update.message, LIMITS)).kind is InKind.UNSUPPORTED


@pytest.mark.parametrize("mime", ["image/heic", "application/octet-stream", None])
async def test_iphone_heic_sent_as_a_file_is_a_photo(
    real_bot: Bot, api: FakeBotApi, mime: str | None
) -> None:
    stored = api.add_file(b"\x00\x00\x00\x18ftypheic")
    document = {"file_id": stored.file_id, "file_unique_id": "u", "file_name": "IMG_0412.HEIC",
                "file_size": len(stored.data), **({"mime_type": mime} if mime else {})}  # fmt: skip
    update = _update(real_bot, message=_message(document=document))
    assert update.message is not None
    incoming = await from_message(update, update.message, LIMITS)
    assert incoming.kind is InKind.PHOTO
    assert incoming.photo is not None and incoming.photo.data == stored.data


async def test_photo_whose_size_is_only_known_after_getfile(real_bot: Bot, api: FakeBotApi) -> None:
    stored = api.add_file(b"x" * 2048)
    size = {"file_id": stored.file_id, "file_unique_id": "u", "width": 10, "height": 10}
    update = _update(real_bot, message=_message(photo=[size]))
    assert update.message is not None
    incoming = await from_message(update, update.message, LIMITS)
    assert incoming.photo is not None and incoming.photo.problem == "too_large"
    assert api.calls_to("getFile") and not api.calls_to("download")


async def test_a_press_on_a_message_telegram_no_longer_shows_still_counts(real_bot: Bot) -> None:
    # date 0: Telegram's "inaccessible message" (too old to show or edit).
    gone = {"message_id": 3, "date": 0, "chat": {"id": 77, "type": "private"}}
    query = {"id": "q1", "from": USER, "chat_instance": "c", "data": "5|lang:en", "message": gone}
    update = _update(real_bot, callback_query=query)
    assert update.callback_query is not None
    incoming = from_callback(update, update.callback_query)
    assert incoming.kind is InKind.CHOICE and incoming.payload == "5|lang:en"
    assert incoming.chat_id == "77"


async def test_a_pressed_photo_question_gets_its_caption_marked(
    polling_bot: BotUnderTest,
) -> None:
    api = polling_bot.api
    photo = api.add_file(b"chart")
    api.messages[(88, 500)] = {
        "message_id": 500, "date": 0, "chat": {"id": 88, "type": "private"},
        "photo": [{"file_id": photo.file_id, "file_unique_id": "u", "width": 1, "height": 1}],
        "caption": "Biểu đồ <tháng 11>",
        "reply_markup": {"inline_keyboard": [[{"text": "Tải Excel", "callback_data": "2|x"}]]},
    }  # fmt: skip
    query = {"id": "q2", "from": USER, "chat_instance": "c", "data": "2|x",
             "message": api.messages[(88, 500)]}  # fmt: skip
    update = _update(polling_bot.channel.bot, callback_query=query)
    assert update.callback_query is not None
    await show_chosen(update.callback_query)
    edited = api.messages[(88, 500)]
    assert edited["caption"] == "Biểu đồ <tháng 11>\n\n→ Tải Excel"
    assert "reply_markup" not in edited


async def test_polling_asks_only_for_messages_and_button_presses(
    polling_bot: BotUnderTest,
) -> None:
    lan = polling_bot.user(4100, "Lan")
    await lan.send_text("xin chào")
    polls = polling_bot.api.calls_to("getUpdates")
    assert polls[0].json("allowed_updates") == ["message", "callback_query"]
    assert int(polls[0].params["timeout"]) > 0, "long polling"


async def test_a_refused_token_is_a_config_error(api: FakeBotApi, sqlite_harness: Any) -> None:
    settings = bot_settings(api, sqlite_harness, "polling", telegram={"token": "999:wrong"})
    app = App(settings, clock=sqlite_harness.clock)
    attach_chat_channels(app)
    with pytest.raises(ConfigError, match=r"telegram\.token"):
        await app.start()
    await app.db.dispose()


async def test_a_refused_webhook_stops_the_channel_cleanly(
    api: FakeBotApi, sqlite_harness: Any
) -> None:
    api.fail("setWebhook", 400, "Bad Request: bad webhook: HTTPS url must be provided")
    app = App(bot_settings(api, sqlite_harness, "webhook"), clock=sqlite_harness.clock)
    attach_chat_channels(app)
    with pytest.raises(BadRequest):
        await app.start()
    channel = app.channels["telegram"]
    assert isinstance(channel, TelegramChannel) and not channel.app.running
    await app.db.dispose()
