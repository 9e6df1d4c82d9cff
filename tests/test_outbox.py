"""The outbox sender against a fake channel: pacing, 429s, retries, parking, crashes."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from bot.app.channels.base import PermanentSendError, RetryLater, TemporarySendError
from bot.app.cli import main
from bot.app.cli.outbox import status_table
from storage.models import Conversation
from storage.repositories.conversations import ConversationRepository
from storage.repositories.outbox import OutboxRepository
from tests.support.harness import Harness
from tests.support.outbox_fakes import FakeChannel, FakeTime, data_file, enqueue, rows, sender


async def test_same_key_twice_adds_one_row(harness: Harness) -> None:
    assert await enqueue(harness, "k1")
    assert not await enqueue(harness, "k1")
    assert list(await rows(harness)) == ["k1"]


async def test_everything_is_sent_once_and_marked(harness: Harness) -> None:
    time = FakeTime(harness.clock)
    channel = FakeChannel(time)
    for i in range(5):
        await enqueue(harness, f"m{i}", chat_id=f"c{i}")
    outbox = sender(harness, {"fake": channel}, time)
    assert await outbox.drain_once() == 5
    assert await outbox.drain_once() == 0
    assert sorted(channel.texts()) == [f"m{i}" for i in range(5)]
    saved = await rows(harness)
    assert {m.status for m in saved.values()} == {"sent"}
    assert all(m.sent_at is not None and m.claimed_until is None for m in saved.values())


async def test_limits_overall_and_per_chat_are_respected(sqlite_harness: Harness) -> None:
    h = sqlite_harness
    time = FakeTime(h.clock)
    channel = FakeChannel(time)
    for i in range(3):
        await enqueue(h, f"same{i}", chat_id="busy")
    for i in range(40):
        await enqueue(h, f"many{i}", chat_id=f"c{i}")
    outbox = sender(
        h, {"fake": channel}, time, default={"per_second": 30, "per_chat_per_second": 1}
    )
    while await outbox.drain_once():
        pass
    assert len(channel.sent) == 43
    times = [s.at for s in channel.sent]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 1 / 30 - 1e-9, "never faster than 30 messages a second"
    busy = [s.at for s in channel.sent if s.chat_id == "busy"]
    assert [b - a >= 1 - 1e-9 for a, b in itertools.pairwise(busy)] == [True, True]
    # Other chats were served while the busy chat waited its turn: no idle second.
    assert channel.sent[1].chat_id == "c0"
    assert times[-1] - times[0] < 2 + 1 / 30 + 1e-6


async def test_retry_after_pauses_the_channel_then_sends_once(harness: Harness) -> None:
    time = FakeTime(harness.clock)
    channel = FakeChannel(time)
    channel.failures["c1"] = [RetryLater(7)]
    for i in range(3):
        await enqueue(harness, f"m{i}", chat_id=f"c{i + 1}")
    outbox = sender(harness, {"fake": channel}, time)
    assert await outbox.drain_once() == 0, "the 429 stops this pass"
    assert channel.sent == []
    time.advance(3)
    assert await outbox.drain_once() == 0, "still inside retry_after"
    time.advance(4.5)
    while await outbox.drain_once():
        pass
    assert Counter(channel.texts()) == Counter({"m0": 1, "m1": 1, "m2": 1})
    m0 = (await rows(harness))["m0"]
    assert m0.status == "sent" and m0.attempts == 0, "a 429 is not a failed attempt"


async def test_temporary_failures_retry_with_backoff(harness: Harness) -> None:
    time = FakeTime(harness.clock)
    channel = FakeChannel(time)
    channel.failures["c1"] = [TemporarySendError("502"), TemporarySendError("timeout")]
    await enqueue(harness, "m")
    outbox = sender(harness, {"fake": channel}, time, backoff_base_seconds=10)
    assert await outbox.drain_once() == 0
    row = (await rows(harness))["m"]
    assert row.status == "queued" and row.attempts == 1 and "502" in (row.last_error or "")
    assert row.available_at == harness.clock.now() + timedelta(seconds=10)
    time.advance(9)
    assert await outbox.drain_once() == 0, "not before the backoff"
    time.advance(1)
    assert await outbox.drain_once() == 0, "second failure"
    assert (await rows(harness))["m"].available_at == harness.clock.now() + timedelta(seconds=20)
    time.advance(20)
    assert await outbox.drain_once() == 1
    assert channel.texts() == ["m"]
    assert (await rows(harness))["m"].attempts == 2


async def test_parks_after_max_attempts_with_last_error(harness: Harness) -> None:
    time = FakeTime(harness.clock)
    channel = FakeChannel(time)
    channel.failures["c1"] = [TemporarySendError(f"boom {i}") for i in range(10)]
    channel.failures["c2"] = [PermanentSendError("bot was blocked by the user")]
    await enqueue(harness, "flaky", chat_id="c1")
    await enqueue(harness, "blocked", chat_id="c2")
    outbox = sender(harness, {"fake": channel}, time, max_attempts=3, backoff_base_seconds=1)
    for _ in range(6):
        await outbox.drain_once()
        time.advance(100)
    saved = await rows(harness)
    assert saved["flaky"].status == "parked" and saved["flaky"].attempts == 3
    assert saved["flaky"].last_error == "temporary: boom 2"
    assert saved["blocked"].status == "parked" and saved["blocked"].attempts == 1
    assert "blocked by the user" in (saved["blocked"].last_error or "")
    assert channel.attempts == 4 and channel.sent == []
    async with harness.uow() as uow:
        counts = await uow.get(OutboxRepository).counts()
    assert counts == [("parked", "test", "fake", 2)]
    assert status_table(counts)[-1].split() == ["total", "0", "0", "2"]
    channel.failures.clear()  # the cause is fixed; an operator runs `outbox requeue`
    async with harness.uow() as uow:
        assert await uow.get(OutboxRepository).requeue_parked(harness.clock.now()) == 2
    assert await outbox.drain_once() == 2
    assert sorted(channel.texts()) == ["blocked", "flaky"]


async def test_a_channel_that_is_not_running_keeps_its_messages(harness: Harness) -> None:
    time = FakeTime(harness.clock)
    await enqueue(harness, "for-zalo", channel="zalo")
    await enqueue(harness, "for-fake")
    channel = FakeChannel(time)
    assert await sender(harness, {"fake": channel}, time).drain_once() == 1
    saved = await rows(harness)
    assert saved["for-zalo"].status == "queued" and saved["for-zalo"].attempts == 0
    zalo = FakeChannel(time, name="zalo")
    assert await sender(harness, {"zalo": zalo}, time).drain_once() == 1
    assert zalo.texts() == ["for-zalo"]


async def test_rows_of_another_senders_dead_run_are_taken_back_after_the_lease(
    harness: Harness,
) -> None:
    time = FakeTime(harness.clock)
    await enqueue(harness, "m")
    async with harness.uow() as uow:  # a sender on another host claims, then its process dies
        claimed = await uow.get(OutboxRepository).claim(
            "fake", harness.clock.now(), lease=timedelta(seconds=300), limit=10, owner="bot-2#0"
        )
    assert [m.key for m in claimed] == ["m"]
    channel = FakeChannel(time)
    await harness.restart()
    outbox = sender(harness, {"fake": channel}, time)
    assert await outbox.drain_once() == 0, "the lease still holds"
    time.advance(301)
    assert await outbox.drain_once() == 1
    assert await outbox.drain_once() == 0
    assert channel.texts() == ["m"]


async def test_files_become_attachments_and_missing_files_park(harness: Harness) -> None:
    time = FakeTime(harness.clock)
    data_file(harness, "charts/week.png", b"\x89PNG chart")
    photo = {"path": "charts/week.png", "filename": "week.png", "mime": "image/png"}
    await enqueue(harness, "chart", photo=photo)
    gone = {"path": "exports/gone.xlsx", "filename": "gone.xlsx", "mime": "application/x"}
    await enqueue(harness, "export", chat_id="c2", document=gone)
    channel = FakeChannel(time)
    await sender(harness, {"fake": channel}, time).drain_once()
    [sent] = channel.sent
    assert sent.reply.photo is not None and sent.reply.photo.data == b"\x89PNG chart"
    assert sent.reply.photo.filename == "week.png"
    export = (await rows(harness))["export"]
    assert export.status == "parked" and "gone.xlsx" in (export.last_error or "")


async def test_typed_number_answers_an_outbox_question(harness: Harness) -> None:
    chat = await harness.registered("u1")
    time = FakeTime(harness.clock)
    await enqueue(harness, "ask", chat_id="u1", choices=[["cmd:trogiup", "Xem trợ giúp"]])
    channel = FakeChannel(time)
    await sender(harness, {"fake": channel}, time).drain_once()
    assert [c.label for c in channel.sent[0].reply.choices] == ["Xem trợ giúp"]
    await chat.say("1")
    assert "Các lệnh bạn dùng được" in chat.text


async def conversation(h: Harness, chat_id: str) -> Conversation:
    async with h.uow() as uow:
        conv = await uow.get(ConversationRepository).get("fake", chat_id)
    assert conv is not None
    return conv


async def test_choices_are_not_recorded_over_a_flow_in_progress(harness: Harness) -> None:
    chat = harness.chat("u1")
    await chat.say("/start")  # the registration flow now waits for a code
    before = await conversation(harness, "u1")
    assert before.flow is not None
    time = FakeTime(harness.clock)
    await enqueue(harness, "ask", chat_id="u1", choices=[["cmd:trogiup", "Xem trợ giúp"]])
    assert await sender(harness, {"fake": FakeChannel(time)}, time).drain_once() == 1
    after = await conversation(harness, "u1")
    assert (after.choices, after.seq, after.flow) == (before.choices, before.seq, before.flow)
    await chat.say(await harness.invite())
    assert "đăng ký thành công" in chat.text


async def test_choices_are_recorded_outside_a_flow(harness: Harness) -> None:
    await harness.registered("u1")
    before = await conversation(harness, "u1")
    time = FakeTime(harness.clock)
    await enqueue(harness, "ask", chat_id="u1", choices=[["cmd:trogiup", "Xem trợ giúp"]])
    await sender(harness, {"fake": FakeChannel(time)}, time).drain_once()
    after = await conversation(harness, "u1")
    assert after.choices == [["cmd:trogiup", "Xem trợ giúp"]]
    assert after.seq == before.seq + 1


def test_outbox_status_command_prints_counts(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    async def seed() -> None:
        h = Harness(sqlite_url, tmp_path / "data")
        try:
            await enqueue(h, "r1", kind="reminder")
            await enqueue(h, "r2", kind="reminder", channel="zalo")
            await enqueue(h, "d1", kind="digest")
            async with h.uow() as uow:
                row = await uow.get(OutboxRepository).by_key("d1")
                assert row is not None
                await uow.get(OutboxRepository).mark_sent(row.id, h.clock.now())
        finally:
            await h.close()

    asyncio.run(seed())
    monkeypatch.setenv("CHIDOAN_DATABASE__URL", sqlite_url)
    monkeypatch.chdir(tmp_path)
    assert main(["outbox", "status"]) == 0
    lines = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert lines[0] == ["kind", "channel", "queued", "sent", "parked"]
    assert ["digest", "fake", "0", "1", "0"] in lines
    assert ["reminder", "fake", "1", "0", "0"] in lines
    assert ["reminder", "zalo", "1", "0", "0"] in lines
    assert lines[-1] == ["total", "2", "1", "0"]
