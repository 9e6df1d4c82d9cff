"""The Zalo channel over the real engine: photos, unsupported events, rendering, send errors."""

from __future__ import annotations

import time
from pathlib import Path

import aiohttp
import pytest

from bot.app.channels.base import PermanentSendError, RetryLater, TemporarySendError
from bot.app.channels.zalo.client import DEFAULT_RETRY_AFTER
from bot.engine.types import Attachment, InKind, Photo, Reply
from tests.support.harness import Harness
from tests.zalo.driver import MAX_PHOTO_BYTES, ZaloEnv, ZaloUser
from tests.zalo.fake_zalo import image_event, png_bytes, text_event


async def registered(env: ZaloEnv, user_id: str = "z1") -> ZaloUser:
    user = env.user(user_id, "Lan")
    await user.send_text(f"/start {await env.harness.invite()}")
    assert "đăng ký thành công" in user.text
    return user


@pytest.mark.parametrize("key", ["photo", "photo_url"])
async def test_image_url_in_either_field_is_downloaded(zalo_env: ZaloEnv, key: str) -> None:
    data = png_bytes("blue")
    zalo_env.zalo.media["a.png"] = data
    user = zalo_env.user()
    await user.send_photo_url(zalo_env.zalo.media_url("a.png"), caption="Ảnh hoạt động", key=key)
    got = user.last_incoming
    assert got is not None and got.kind is InKind.PHOTO
    assert got.photo == Photo(data) and got.text == "Ảnh hoạt động"


@pytest.mark.parametrize("chunked", [False, True], ids=["declared-size", "streamed"])
async def test_image_too_large_is_not_downloaded_in_full(zalo_env: ZaloEnv, chunked: bool) -> None:
    zalo_env.zalo.media["big.png"] = b"\x89PNG" + b"0" * MAX_PHOTO_BYTES
    if chunked:
        zalo_env.zalo.chunked.add("big.png")
    user = zalo_env.user()
    await user.send_photo_url(zalo_env.zalo.media_url("big.png"))
    assert user.last_incoming is not None
    assert user.last_incoming.photo == Photo(None, "too_large")


async def test_image_url_that_times_out_or_is_missing_is_unreachable(zalo_env: ZaloEnv) -> None:
    zalo_env.zalo.media["slow.png"] = png_bytes()
    zalo_env.zalo.media_delay["slow.png"] = 5.0
    user = zalo_env.user()
    started = time.monotonic()
    await user.send_photo_url(zalo_env.zalo.media_url("slow.png"))
    assert time.monotonic() - started < 3, "the download timeout (0.5 s) was applied"
    assert user.last_incoming is not None
    assert user.last_incoming.photo == Photo(None, "unreachable")
    await user.send_photo_url(zalo_env.zalo.media_url("gone.png"))
    assert user.last_incoming.photo == Photo(None, "unreachable")


@pytest.mark.parametrize(
    "event_name",
    ["message.sticker.received", "message.voice.received", "message.unsupported.received"],
)
async def test_sticker_voice_and_unsupported_get_a_friendly_sentence(
    zalo_env: ZaloEnv, event_name: str
) -> None:
    user = await registered(zalo_env)
    await user.send_other(event_name)
    assert user.last_incoming is not None and user.last_incoming.kind is InKind.UNSUPPORTED
    assert "Mình chỉ đọc được chữ và ảnh" in user.text


async def test_long_text_split_at_2000_on_line_boundaries(polling_env: ZaloEnv) -> None:
    lines = [f"{i:04d}. Chi đoàn ấp Long Phụng đã nộp báo cáo tháng 11" for i in range(120)]
    text = "\n".join(lines)
    assert len(text) == 6359
    await polling_env.channel.send("z1", Reply(text=text))
    pieces = polling_env.zalo.sent_to("z1")
    assert len(pieces) == 4, "37 lines of 52 characters (and newlines) fit in 2000"
    assert all(0 < len(p) <= 2000 for p in pieces)
    assert all(line in lines for p in pieces for line in p.split("\n"))
    assert "\n".join(pieces) == text, "cut only between lines, nothing lost"


async def test_choices_are_numbered_lines_in_the_text(polling_env: ZaloEnv) -> None:
    user = polling_env.user()
    await user.send_text("/ngonngu")
    assert user.text.endswith("Chọn ngôn ngữ / Choose your language:\n\n1. Tiếng Việt\n2. English")
    assert not any("reply_markup" in body for body in polling_env.zalo.called("sendMessage"))


async def test_reply_photo_goes_out_as_a_signed_url(polling_env: ZaloEnv) -> None:
    chart = png_bytes("purple", (40, 20))
    reply = Reply(text="Biểu đồ tháng 11", photo=Attachment(chart, "bieu-do.png", "image/png"))
    await polling_env.channel.send("z1", reply)
    [call] = polling_env.zalo.called("sendPhoto")
    assert call["caption"] == "Biểu đồ tháng 11"
    assert call["photo"].startswith(polling_env.links.base_url + "/files/")
    async with aiohttp.ClientSession() as http, http.get(call["photo"]) as response:
        assert response.status == 200
        assert response.content_type == "image/png"
        assert await response.read() == chart


async def test_document_is_offered_as_a_link(polling_env: ZaloEnv) -> None:
    export = b"PK\x03\x04 an xlsx file"
    reply = Reply(text="Bảng tổng hợp", document=Attachment(export, "tong-hop.xlsx", "x"))
    await polling_env.channel.send("z1", reply)
    [text] = polling_env.zalo.sent_to("z1")
    head, _, link_line = text.partition("\n\n📎 tong-hop.xlsx: ")
    assert head == "Bảng tổng hợp" and link_line.startswith(polling_env.links.base_url)
    async with aiohttp.ClientSession() as http, http.get(link_line) as response:
        assert response.status == 200 and await response.read() == export
        assert "tong-hop.xlsx" in response.headers["Content-Disposition"]


async def test_429_then_success_delivers_the_reply(zalo_env: ZaloEnv) -> None:
    zalo_env.zalo.fail("sendMessage", 429, "Quota exceeded")
    user = zalo_env.user()
    await user.send_text("xin chào")
    assert "mã mời" in user.text
    assert len(zalo_env.zalo.called("sendMessage")) == len(user.messages) + 1


async def test_send_errors_become_outbox_errors(polling_env: ZaloEnv) -> None:
    zalo, channel = polling_env.zalo, polling_env.channel
    hello = Reply(text="Xin chào")
    zalo.fail("sendMessage", 429, "Quota exceeded", times=3, retry_after=0.03)
    with pytest.raises(RetryLater) as later:
        await channel.send("z1", hello)
    assert later.value.retry_after == pytest.approx(0.03)
    zalo.fail("sendMessage", 429, "Quota exceeded", times=3)
    with pytest.raises(RetryLater) as later:
        await channel.send("z1", hello)
    assert later.value.retry_after == DEFAULT_RETRY_AFTER
    zalo.fail("sendMessage", 500, "Internal Server Error", times=3)
    with pytest.raises(TemporarySendError):
        await channel.send("z1", hello)
    for code in (400, 403, 404):
        zalo.fail("sendMessage", code, "refused")
        with pytest.raises(PermanentSendError):
            await channel.send("z1", hello)
    await channel.send("z1", hello)
    assert zalo.sent_to("z1") == ["Xin chào"]


async def test_network_failure_is_temporary(polling_env: ZaloEnv) -> None:
    await polling_env.zalo.stop()
    with pytest.raises(TemporarySendError):
        await polling_env.channel.send("z1", Reply(text="Xin chào"))


async def test_a_repeated_update_is_answered_once(zalo_env: ZaloEnv) -> None:
    user = zalo_env.user()
    event = text_event("z1", "Lan", "xin chào")
    await user.send_event(event)
    assert "mã mời" in user.text
    await zalo_env.zalo.push(event)  # Zalo retrying a webhook it thinks failed
    mid = event["message"]["message_id"]
    await zalo_env.handled(mid, times=2)
    assert [i.update_id for i in zalo_env.recorder.seen] == [mid, mid], "message_id is the key"
    assert len(user.messages) == 1, "the engine answered the first delivery only"


async def test_one_chat_in_order_other_chats_meanwhile(
    sqlite_harness: Harness, tmp_path: Path
) -> None:
    env = await ZaloEnv.start(sqlite_harness, tmp_path, "polling", download_timeout=5)
    try:
        env.zalo.media["slow.png"] = png_bytes()
        env.zalo.media_delay["slow.png"] = 0.5
        photo = image_event("a", "An", env.zalo.media_url("slow.png"))
        after = text_event("a", "An", "xin chào")
        other = text_event("b", "Bình", "xin chào")
        for event in (photo, after, other):
            await env.zalo.push(event)
        await env.handled(after["message"]["message_id"])
        await env.handled(other["message"]["message_id"])
        order = [i.update_id for i in env.recorder.seen]
        ids = [e["message"]["message_id"] for e in (photo, after, other)]
        assert order.index(ids[2]) < order.index(ids[0]), "chat b did not wait for a's photo"
        assert order.index(ids[0]) < order.index(ids[1]), "chat a's updates kept their order"
    finally:
        await env.close()


async def test_polling_outlives_a_failing_platform(polling_env: ZaloEnv) -> None:
    polling_env.zalo.fail("getUpdates", 500, "Internal Server Error", times=3)
    user = polling_env.user()
    await user.send_text("xin chào")
    assert "mã mời" in user.text
    assert len(polling_env.zalo.called("getUpdates")) >= 4, "retried, backed off, polled again"
