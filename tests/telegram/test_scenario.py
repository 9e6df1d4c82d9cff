"""Real PTB against the fake Bot API: a secretary registers, presses buttons, sends a photo."""

from __future__ import annotations

from bot.engine.types import InKind
from tests.support.harness import Harness
from tests.telegram.driver import BotUnderTest

JPEG = b"\xff\xd8\xff\xe0" + b"fake-jpeg-body" * 100


async def test_stranger_is_told_how_to_register(bot: BotUnderTest) -> None:
    stranger = bot.user(2001, "Khách")
    await stranger.send_text("xin chào")
    assert "mã mời" in stranger.text
    assert bot.received[-1].user_id == "2001" and bot.received[-1].chat_id == "2001"


async def test_secretary_registers_presses_language_and_sends_photo(
    bot: BotUnderTest, sqlite_harness: Harness
) -> None:
    api = bot.api
    code = await sqlite_harness.invite()
    lan = bot.user(1001, "Lan", last_name="Nguyễn")
    await lan.send_text(f"/start {code.replace('-', '')}")
    assert "đăng ký thành công" in lan.text and "Chi đoàn ấp Long Phụng" in lan.text
    incoming = bot.received[-1]
    assert incoming.display_name == "Lan Nguyễn" and incoming.language_hint == "vi"

    await lan.send_text("/ngonngu")
    assert lan.buttons == ["Tiếng Việt", "English"]
    question = lan.keyboard_message()
    assert question is not None
    await lan.press("English")
    assert "Switched to English" in lan.text
    assert [c.params["callback_query_id"] for c in api.calls_to("answerCallbackQuery")]
    edited = api.messages[(1001, question["message_id"])]
    assert edited["text"].endswith("→ English") and "reply_markup" not in edited
    assert {"type": "bold", "offset": len(edited["text"]) - len("English"), "length": 7} in (
        edited["entities"]
    )
    assert bot.received[-1].kind is InKind.CHOICE

    await lan.send_photo(JPEG, caption="Sinh hoạt chi đoàn tháng 11")
    photo_in = bot.received[-1]
    assert photo_in.kind is InKind.PHOTO and photo_in.text == "Sinh hoạt chi đoàn tháng 11"
    assert photo_in.photo is not None and photo_in.photo.data == JPEG
    largest = api.calls_to("getFile")[-1].params["file_id"]
    assert api.files[largest].data == JPEG, "only the largest size is fetched"
    assert len(api.calls_to("getFile")) == 1 and len(api.calls_to("download")) == 1
    assert lan.last, "the bot answered the photo"


async def test_stale_button_is_answered_and_changes_nothing(bot: BotUnderTest) -> None:
    api = bot.api
    lan = bot.user(1002, "Lan")
    await lan.send_text("/ngonngu")
    old = lan.keyboard_message()
    await lan.send_text("/ngonngu")
    assert old is not None and lan.keyboard_message() != old
    edits_before = len(api.calls_to("editMessageText"))
    await lan.press("English", message=old)
    assert "câu hỏi cũ" in lan.text
    answer = api.calls_to("answerCallbackQuery")[-1]
    assert "câu hỏi cũ" in answer.params["text"]
    assert len(api.calls_to("editMessageText")) == edits_before
    assert "→" not in api.messages[(1002, old["message_id"])]["text"]
    await lan.press("English")
    assert "Switched to English" in lan.text


async def test_photo_too_large_or_unreachable_is_reported_to_the_engine(
    bot: BotUnderTest,
) -> None:
    lan = bot.user(1003, "Lan")
    big = b"\xff\xd8" + b"x" * (11 * 1024 * 1024)
    await lan.send_photo(big)
    assert bot.received[-1].photo is not None
    assert bot.received[-1].photo.problem == "too_large"
    assert not bot.api.calls_to("download"), "a photo known to be too big is not downloaded"
    await lan.send_photo(JPEG, reachable=False)
    assert bot.received[-1].photo is not None
    assert bot.received[-1].photo.problem == "unreachable"


async def test_sticker_is_unsupported(bot: BotUnderTest) -> None:
    lan = bot.user(1004, "Lan")
    await lan.send_sticker()
    assert bot.received[-1].kind is InKind.UNSUPPORTED
    assert lan.last, "a stranger still gets an answer"


async def test_one_chats_messages_reach_the_engine_in_order(bot: BotUnderTest) -> None:
    lan = bot.user(1005, "Lan")
    updates = [lan.photo_update(JPEG), lan.text_update("một"), lan.text_update("hai")]
    if bot.mode == "polling":
        for update in updates:
            await bot.api.push_update(update)
        await bot.api.wait_confirmed(updates[-1]["update_id"])
    else:
        for update in updates:
            assert await bot.post_webhook(update) == 200
    await bot.settle()
    mine = [i for i in bot.received if i.chat_id == "1005"]
    assert [i.kind for i in mine] == [InKind.PHOTO, InKind.TEXT, InKind.TEXT]
    assert [i.text for i in mine[1:]] == ["một", "hai"], "a slow photo download keeps its place"
