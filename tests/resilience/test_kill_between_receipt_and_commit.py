"""kill -9 between receipt and commit, on both webhook channels: nothing acknowledged is lost.

The real bot runs as a process against the fake Telegram and Zalo servers. It is killed when an
update has just reached the engine ("received") and when the handler has run but its
transaction is not committed ("before_commit"). The platform got no answer, so it delivers the
update again to the restarted bot: the answer is then stored, the reply sent exactly once, and
a further redelivery changes nothing.
"""

from __future__ import annotations

import signal
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from storage.models import Conversation, Role
from tests.resilience.bot_process import BotProcess
from tests.support.harness import Harness
from tests.support.report_script import report_of
from tests.support.tally import TALLY
from tests.telegram.fake_api import FakeBotApi
from tests.zalo.fake_zalo import FakeZalo, text_event

TG_USER = 7001
ZALO_USER = "z7001"


def telegram_text(api: FakeBotApi, text: str) -> dict[str, Any]:
    """A private text message from the Telegram user, as Telegram POSTs it."""
    message: dict[str, Any] = {
        "message_id": api.next_message_id(),
        "date": int(time.time()),
        "chat": {"id": TG_USER, "type": "private", "first_name": "Lan"},
        "from": {"id": TG_USER, "is_bot": False, "first_name": "Lan", "language_code": "vi"},
        "text": text,
    }
    if text.startswith("/"):
        length = len(text.split(" ", 1)[0])
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return {"update_id": api.next_update_id(), "message": message}


def texts_to_telegram_user(api: FakeBotApi) -> list[str]:
    return [m.get("text") or "" for m in api.chat_messages(TG_USER)]


async def test_an_update_killed_before_commit_is_answered_once_after_restart(
    db_url: str, tmp_path: Path
) -> None:
    # The process runs on the real clock: invites and this month's report by that clock.
    now = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
    harness = Harness(db_url, tmp_path / "data", now=now)
    await harness.import_org()
    telegram_code = await harness.invite(Role.SECRETARY, "PH-TL-01")
    zalo_code = await harness.invite(Role.SECRETARY, "PH-TL-02")
    api, zalo = FakeBotApi(), FakeZalo()
    await api.start()
    await zalo.start()
    bot = BotProcess(db_url, tmp_path / "data", api, zalo, tmp_path / "bot.log")
    # This month named, so the flow asks no "which month?" whatever the day.
    month = f"{now:%m/%Y}"
    tg = {text: telegram_text(api, text) for text in (f"/baocao {month}", "30 người")}
    za = {text: text_event(ZALO_USER, "Hoa", text) for text in (f"/report {month}", "31 người")}
    try:
        await bot.start(kill_at=f"received:/baocao {month}")
        assert await bot.telegram_update(telegram_text(api, f"/start {telegram_code}")) == 200
        assert await bot.zalo_update(text_event(ZALO_USER, "Hoa", f"/start {zalo_code}")) == 200
        assert await bot.telegram_update(tg[f"/baocao {month}"]) is None, "killed on receipt"
        assert await bot.killed() == -signal.SIGKILL

        await bot.start(kill_at=f"received:/report {month}")
        assert await bot.telegram_update(tg[f"/baocao {month}"]) == 200, "delivered again"
        assert await bot.zalo_update(za[f"/report {month}"]) is None
        assert await bot.killed() == -signal.SIGKILL

        await bot.start(kill_at="before_commit:30 người")
        assert await bot.zalo_update(za[f"/report {month}"]) == 200
        assert await bot.telegram_update(tg["30 người"]) is None, "killed before commit"
        assert await bot.killed() == -signal.SIGKILL

        await bot.start(kill_at="before_commit:31 người")
        assert await bot.telegram_update(tg["30 người"]) == 200
        assert await bot.zalo_update(za["31 người"]) is None
        assert await bot.killed() == -signal.SIGKILL

        await bot.start()
        assert await bot.zalo_update(za["31 người"]) == 200
        sent_telegram, sent_zalo = len(api.calls_to("sendMessage")), len(zalo.called("sendMessage"))
        assert await bot.telegram_update(tg["30 người"]) == 200, "Telegram retries anyway"
        assert await bot.zalo_update(za["31 người"]) == 200
        assert len(api.calls_to("sendMessage")) == sent_telegram, "a redelivery says nothing"
        assert len(zalo.called("sendMessage")) == sent_zalo
    finally:
        await bot.stop()
        await api.stop()
        await zalo.stop()

    TALLY.survived("kill -9 between receipt and commit", 4)
    period = now.strftime("%Y-%m")
    reports = [await report_of(harness, period, code) for code in ("PH-TL-01", "PH-TL-02")]
    stored = [r.answers.get("members_total") if r is not None else None for r in reports]
    assert TALLY.missing(2, sum(v is not None for v in stored)) == 0
    assert stored == [30, 31]
    async with harness.uow() as uow:
        steps = {c.chat_id: c.step for c in await uow.session.scalars(select(Conversation))}
    assert steps == {str(TG_USER): "field:admitted", ZALO_USER: "field:admitted"}
    for said in (texts_to_telegram_user(api), zalo.sent_to(ZALO_USER)):
        assert len(said) == len(set(said)), f"a reply was sent twice: {said}"
        assert sum("Câu 1/" in text for text in said) == 1, said
        assert sum("Câu 2/" in text for text in said) == 1, said
    await harness.close()
