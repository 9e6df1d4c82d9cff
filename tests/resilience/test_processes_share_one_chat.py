"""Two bot processes behind one proxy, on one PostgreSQL: a chat's answers go to either.

Two real `python -m bot run` processes in webhook mode share the database and the fake Telegram.
One secretary's report answers are delivered alternately to each; every answer is stored in
order and every reply sent once, also when the same update reaches both at the same moment.
The scheduler's tick is run by one of them only, and by the other once the first stops.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from bot.app.scheduler import SCHEDULER_LOCK_ID
from storage.models import Conversation, Role
from tests.resilience.bot_process import BotProcess
from tests.resilience.test_kill_between_receipt_and_commit import (
    TG_USER,
    telegram_text,
    texts_to_telegram_user,
)
from tests.support import databases
from tests.support.harness import Harness
from tests.support.report_script import report_of
from tests.telegram.fake_api import FakeBotApi
from tests.zalo.fake_zalo import FakeZalo

ANSWERS = ["30", "2", "0", "1", "có"]


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> str:
    url = request.getfixturevalue("postgres_database")
    if url is None:
        if os.environ.get("CHIDOAN_REQUIRE_POSTGRES"):
            pytest.fail(f"CI requires PostgreSQL but {databases.PG_ENV} is unset")
        pytest.skip(f"two processes share PostgreSQL only ({databases.PG_ENV} unset)")
    asyncio.run(databases.truncate_all(url))
    return str(url)


@pytest.fixture
async def two_bots(postgres_url: str, tmp_path: Path) -> AsyncIterator[list[BotProcess]]:
    api, zalo = FakeBotApi(), FakeZalo()
    await api.start()
    await zalo.start()
    fast_ticks = {"CHIDOAN_SCHEDULE__TICK_SECONDS": "1"}
    bots = [
        BotProcess(postgres_url, tmp_path / n / "data", api, zalo, tmp_path / f"{n}.log")
        for n in ("a", "b")
    ]
    for bot in bots:
        bot.settings.update(fast_ticks)
    for bot in bots:
        bot.data_dir.parent.mkdir(parents=True)
    try:
        await asyncio.gather(*(bot.start() for bot in bots))
        yield bots
    finally:
        await asyncio.gather(*(bot.stop() for bot in bots))
        await api.stop()
        await zalo.stop()


async def scheduler_lock_holders(harness: Harness) -> int:
    async with harness.uow() as uow:
        found = await uow.session.scalar(
            text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND classid = 0 AND objid = :id"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            ),
            {"id": SCHEDULER_LOCK_ID},
        )
    return int(found or 0)


async def test_one_chats_answers_alternate_between_processes_in_order_and_once(
    postgres_url: str, two_bots: list[BotProcess], tmp_path: Path
) -> None:
    now = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))  # the processes run on the real clock
    harness = Harness(postgres_url, tmp_path / "harness", now=now)
    await harness.import_org()
    code = await harness.invite(Role.SECRETARY, "PH-TL-01")
    api = two_bots[0].telegram
    texts = [f"/start {code}", f"/baocao {now:%m/%Y}", *ANSWERS]
    updates = [telegram_text(api, said) for said in texts]
    for number, update in enumerate(updates):
        assert await two_bots[number % 2].telegram_update(update) == 200

    # Telegram sends the last answer again, to both processes at the same moment.
    again = await asyncio.gather(*(bot.telegram_update(updates[-1]) for bot in two_bots))
    assert again == [200, 200]
    answers = (await report_of(harness, now.strftime("%Y-%m"), "PH-TL-01")).answers
    keys = ("members_total", "admitted", "transferred_in", "transferred_out", "meeting_held")
    assert [answers.get(key) for key in keys] == [30, 2, 0, 1, True]
    async with harness.uow() as uow:
        conversation = await uow.session.scalar(
            select(Conversation).where(Conversation.chat_id == str(TG_USER))
        )
    assert conversation is not None and conversation.step == "field:meeting_date"
    said = texts_to_telegram_user(api)
    assert len(said) == len(set(said)), f"a reply was sent twice: {said}"
    asked = [n for n in range(1, 7) for text_ in said if f"Câu {n}/" in text_]
    assert asked == [1, 2, 3, 4, 5, 6], "each question asked once, in order"
    await harness.close()


async def test_one_process_runs_the_scheduler_tick_and_the_other_takes_over(
    postgres_url: str, two_bots: list[BotProcess], tmp_path: Path
) -> None:
    harness = Harness(postgres_url, tmp_path / "harness")
    try:
        assert await wait_for_holders(harness, 1) == 1, "both ticked; one leads"
        await asyncio.sleep(2.5)  # a couple more ticks each: still one leader
        assert await scheduler_lock_holders(harness) == 1
        await two_bots[0].stop()
        assert await wait_for_holders(harness, 1) == 1, "the one left leads"
    finally:
        await harness.close()


async def wait_for_holders(harness: Harness, wanted: int, within: float = 10) -> int:
    deadline = time.monotonic() + within
    while (held := await scheduler_lock_holders(harness)) != wanted:
        if time.monotonic() > deadline:
            return held
        await asyncio.sleep(0.2)
    return held
