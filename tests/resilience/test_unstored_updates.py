"""An update that cannot be stored is not acknowledged: the platform delivers it again.

The database really refuses writes (see storage_faults). The engine raises NotStored; both
webhooks answer 503; Telegram polling keeps its offset before the update; once the database
takes writes again, the update delivered again is stored and answered exactly once.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.engine.types import Incoming, InKind, NotStored
from tests.resilience.storage_faults import writes_refused
from tests.support.harness import Harness
from tests.support.report_script import step
from tests.support.tables import row_counts
from tests.telegram.driver import running_bot
from tests.telegram.fake_api import FakeBotApi
from tests.zalo.driver import ZaloEnv
from tests.zalo.fake_zalo import text_event


async def until(condition: Callable[[], bool], within: float = 15) -> None:
    """Wait until `condition()` holds (a bounded wait, not a timing assertion)."""
    async with asyncio.timeout(within):
        for _ in itertools.count():
            if condition():
                return
            await asyncio.sleep(0.02)


async def test_the_engine_raises_not_stored_and_handles_the_update_once_it_can(
    harness: Harness,
) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    update = Incoming(kind=InKind.TEXT, text="30", **chat._base())
    before = await row_counts(harness)
    async with writes_refused(harness.db):
        with pytest.raises(NotStored):
            await harness.engine.handle(update)
    assert await row_counts(harness) == before
    assert await step(harness, chat) == "field:members_total"
    replies = await harness.engine.handle(update)
    assert any("Câu 2/" in r.text for r in replies)
    assert await harness.engine.handle(update) == [], "handled once"


async def test_a_handler_bug_is_apologised_for_and_acknowledged(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")

    async def broken(_ctx: object) -> None:
        raise ValueError("Nguyễn Văn An")

    flow = harness.engine.dispatcher.flow("report")
    assert flow is not None
    original = flow.on_input
    flow.on_input = broken  # type: ignore[method-assign,assignment]
    try:
        replies = await chat.say("30")
    finally:
        flow.on_input = original  # type: ignore[method-assign]
    assert [r.text for r in replies] == [harness.catalog.t("vi", "common.error")]


@pytest.fixture
async def api() -> FakeBotApi:
    server = FakeBotApi()
    await server.start()
    yield server  # type: ignore[misc]
    await server.stop()


async def test_telegram_webhook_answers_503_until_the_update_is_stored(
    api: FakeBotApi, harness: Harness
) -> None:
    async with running_bot(api, harness, "webhook") as bot:
        lan = bot.user(7101, "Lan")
        await lan.send_text(f"/start {await harness.invite()}")
        update = lan.text_update("/baocao")
        async with writes_refused(bot.app.db):
            assert await bot.post_webhook(update) == 503
        assert not any("Câu 1/" in m.get("text", "") for m in lan.messages)
        assert await bot.post_webhook(update) == 200
        assert await bot.post_webhook(update) == 200
        assert sum("Câu 1/" in m.get("text", "") for m in lan.messages) == 1


async def test_telegram_polling_keeps_an_unstored_update_until_it_is_stored(
    api: FakeBotApi, harness: Harness
) -> None:
    async with running_bot(api, harness, "polling") as bot:
        lan = bot.user(7102, "Lan")
        await lan.send_text(f"/start {await harness.invite()}")
        update = lan.text_update("/baocao")
        update_id = update["update_id"]
        async with writes_refused(bot.app.db):
            await api.push_update(update)
            await until(lambda: any(i.update_id == str(update_id) for i in bot.received))
            assert bot.channel.poller is not None
            await until(lambda: update_id in bot.channel.poller._unstored)
            assert api._confirmed <= update_id, "not confirmed to Telegram"
        await api.wait_confirmed(update_id, within=30)
        assert sum("Câu 1/" in m.get("text", "") for m in lan.messages) == 1


async def test_zalo_webhook_answers_503_until_the_update_is_stored(
    harness: Harness, tmp_path: Path
) -> None:
    env = await ZaloEnv.start(harness, tmp_path, "webhook")
    try:
        lan = env.user("z7103", "Lan")
        await lan.send_text(f"/start {await harness.invite()}")
        event = text_event("z7103", "Lan", "/baocao")
        async with writes_refused(harness.db):
            assert await env.zalo.push(event) == 503
        assert not any("Câu 1/" in text for text in lan.messages)
        assert await env.zalo.push(event) == 200
        assert await env.zalo.push(event) == 200
        assert sum("Câu 1/" in text for text in lan.messages) == 1
    finally:
        await env.close()


async def test_zalo_polling_keeps_an_unstored_update_until_it_is_stored(
    harness: Harness, tmp_path: Path
) -> None:
    # Zalo's getUpdates has no offset: a polled update is never fetched again, so the channel
    # holds it and tries again, and the chat's next message waits behind it.
    env = await ZaloEnv.start(harness, tmp_path, "polling")
    try:
        lan = env.user("z7104", "Lan")
        await lan.send_text(f"/start {await harness.invite()}")
        first = text_event("z7104", "Lan", "/baocao")
        second = text_event("z7104", "Lan", "30 người")
        async with writes_refused(harness.db):
            await env.zalo.push(first)
            await until(lambda: env.recorder.count(first["message"]["message_id"]) >= 2)
            await env.zalo.push(second)
            assert not any("Câu 1/" in text for text in lan.messages)
        await until(lambda: any("Câu 2/" in text for text in lan.messages), within=30)
        await env.channel.idle()
        said = lan.messages
        assert sum("Câu 1/" in text for text in said) == 1
        assert sum("Câu 2/" in text for text in said) == 1
        assert [i for i, t in enumerate(said) if "Câu 1/" in t] < [
            i for i, t in enumerate(said) if "Câu 2/" in t
        ], "the chat's messages are answered in order"
    finally:
        await env.close()
