"""Every kind of proactive message reaches its chat through a channel, wherever data_dir is.

The scheduler and the admin commands only queue; the outbox sender delivers. These tests run the
whole path — queue, sender, channel — with a relative and an absolute data directory, and end
with `chidoan-bot outbox status` showing nothing parked.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app.cli import main
from storage.models import OutboxMessage, Role
from tests.support.harness import Harness, local
from tests.support.ops_seed import seed
from tests.support.outbox_fakes import FakeChannel, FakeTime, sender
from tests.test_reminders import tick


@pytest.fixture(params=["relative", "absolute"])
async def delivery(
    request: pytest.FixtureRequest, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Harness]:
    """The harness with data_dir as `make run` has it ("data", relative) or as an absolute path."""
    if request.param == "relative":
        monkeypatch.chdir(tmp_path)
        data_dir = Path("data")
    else:
        data_dir = tmp_path / "data"
    h = Harness(db_url, data_dir)
    await h.import_org()
    yield h
    await h.close()


async def deliver(h: Harness, channel: FakeChannel) -> None:
    """Drain the outbox into the fake channel until nothing is left to send."""
    outbox = sender(h, {"fake": channel}, FakeTime(h.clock))
    while await outbox.drain_once():
        pass


async def statuses(h: Harness) -> dict[str, set[str]]:
    """Outbox row statuses by kind."""
    async with h.uow() as uow:
        found: dict[str, set[str]] = {}
        for row in await uow.session.scalars(select(OutboxMessage)):
            found.setdefault(row.kind, set()).add(row.status)
        return found


async def test_every_proactive_kind_is_delivered_and_nothing_parks(
    delivery: Harness, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    h = delivery
    await seed(h)
    await h.registered("late", code="PH-TL-03")  # a branch with no November report
    await h.registered("lan", code="PH-TL-01")  # her submitted report will be returned
    await h.registered("unit", role=Role.UNIT_SECRETARY, code="PH-TL")
    leader = await h.registered("lead", role=Role.LEADER, code="PH")
    admin = await h.registered("admin", role=Role.ADMIN, code="PH")
    channel = FakeChannel(name="fake")

    h.clock.set(local(2026, 11, 16, 7, 0))  # Monday morning: the weekly digest
    await tick(h)
    h.clock.set(local(2026, 11, 20, 9, 0))  # five days before the deadline: a reminder
    await tick(h)
    await deliver(h, channel)

    h.clock.set(local(2026, 11, 27, 9, 0))  # the leader returns a report
    await leader.say("/duyet")
    await leader.press("Chi đoàn ấp Long Phụng · 11/2026")
    await leader.press(2)  # return
    await leader.say("Thiếu ảnh buổi sinh hoạt, đồng chí bổ sung giúp.")
    lan = h.chat("lan")  # she sends it back corrected: the leader who returned it is told
    await lan.say("/baocao")
    await lan.press("Gửi báo cáo")
    await leader.say("/duyet")
    await leader.press("Chi đoàn ấp Long Phụng · 11/2026")
    await leader.press(1)  # approve: she is told
    await admin.say("/thongbao Thứ Bảy họp Ban Chấp hành.")
    await admin.press(1)  # send
    h.clock.set(local(2026, 11, 28, 17, 30))  # three days overdue: escalation to the unit
    await tick(h)
    h.clock.set(local(2026, 11, 30, 17, 30))  # the monthly close
    await tick(h)
    await deliver(h, channel)

    kinds = await statuses(h)
    assert set(kinds) >= {
        "digest",
        "reminder",
        "escalation",
        "report_returned",
        "broadcast",
        "close",
        "report_corrected",
        "report_approved",
    }
    assert all(found == {"sent"} for found in kinds.values()), kinds
    by_chat = {(s.chat_id, bool(s.reply.photo)) for s in channel.sent}
    assert ("lead", True) in by_chat  # the digest carries its chart
    chart = next(s.reply.photo for s in channel.sent if s.reply.photo is not None)
    assert chart.mime == "image/png" and chart.data.startswith(b"\x89PNG")
    reached = {s.chat_id for s in channel.sent}
    assert {"late", "lan", "unit", "lead"} <= reached
    assert await chats_of(h, "report_corrected") == {"lead"}
    assert await chats_of(h, "report_approved") == {"lan"}

    monkeypatch.setenv("CHIDOAN_DATABASE__URL", h.url)
    assert await asyncio.to_thread(main, ["outbox", "status"]) == 0
    total = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("total"))
    assert total.split()[-1] == "0"  # the parked column


async def chats_of(h: Harness, kind: str) -> set[str]:
    """The chats a kind of message was queued to."""
    async with h.uow() as uow:
        rows = await uow.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind))
        return {row.chat_id for row in rows}


def write_old_chart(path: Path) -> Path:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x89PNG old chart")
    return path


async def test_a_digest_parked_by_the_old_doubled_path_is_delivered_after_requeue(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the fix, rows named their chart relative to the working directory
    ("data/outbox/…") and parked; `outbox requeue` must now deliver them."""
    monkeypatch.chdir(tmp_path)
    h = Harness(sqlite_url, Path("data"))
    try:
        chart = write_old_chart(Path("data/outbox/digest/old.png"))
        async with h.uow() as uow:
            uow.session.add(
                OutboxMessage(
                    key="digest:PH:2026-W47:1",
                    kind="digest",
                    channel="fake",
                    chat_id="lead",
                    payload={
                        "text": "digest",
                        "choices": [],
                        "photo": {"path": str(chart), "filename": "old.png", "mime": "image/png"},
                        "document": None,
                    },
                    status="parked",
                    attempts=1,
                    available_at=h.clock.now(),
                )
            )
        monkeypatch.setenv("CHIDOAN_DATABASE__URL", h.url)
        assert await asyncio.to_thread(main, ["outbox", "requeue"]) == 0
        h.clock.set(datetime.now(UTC) + timedelta(minutes=1))  # requeue stamps the real time
        channel = FakeChannel(name="fake")
        await deliver(h, channel)
        assert [s.reply.photo.data for s in channel.sent if s.reply.photo] == [b"\x89PNG old chart"]
        assert await statuses(h) == {"digest": {"sent"}}
    finally:
        await h.close()
