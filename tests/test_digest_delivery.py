"""The weekly digest reaches each leader once per week; /tonghop and the CLI give it on demand."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from bot.app.cli import main
from handlers.digest.due import due_digests
from storage.models import OutboxMessage, Role
from tests.support.harness import Harness, local
from tests.support.ops_seed import YOUTH_NAMES, seed


def image_format(path: Path) -> str | None:
    """The format of the image file the sender will read."""
    with Image.open(path) as image:
        return image.format


async def run_due(harness: Harness) -> int:
    async with harness.uow() as uow:
        return await due_digests(uow, harness.clock.now(), harness.settings, harness.catalog)


async def digests(harness: Harness) -> list[OutboxMessage]:
    async with harness.uow() as uow:
        rows = await uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "digest").order_by(OutboxMessage.id)
        )
        return list(rows)


async def test_due_digests_once_per_week_per_leader(harness: Harness) -> None:
    await seed(harness)
    await harness.registered("lead1", Role.LEADER, "PH")
    await harness.registered("lead2", Role.LEADER, "PH", language_hint="en")
    await harness.registered("admin1", Role.ADMIN, "PH")  # admins get no weekly digest
    await harness.registered("nk-lead", Role.LEADER, "NK")
    harness.clock.set(local(2026, 11, 16, 6, 59))  # Monday, a minute early
    assert await run_due(harness) == 0
    harness.clock.set(local(2026, 11, 16, 7, 0))
    assert await run_due(harness) == 3
    assert await run_due(harness) == 0
    harness.clock.advance(days=2)
    await harness.restart()
    assert await run_due(harness) == 0
    rows = await digests(harness)
    assert sorted(r.chat_id for r in rows) == ["lead1", "lead2", "nk-lead"]
    assert {r.key.rsplit(":", 1)[0] for r in rows} == {"digest:PH:2026-W47", "digest:NK:2026-W47"}
    by_chat = {r.chat_id: r.payload for r in rows}
    assert "Bản tin tuần · Huyện đoàn Phụng Hiệp" in by_chat["lead1"]["text"]
    assert "Weekly digest" in by_chat["lead2"]["text"]
    for payload in by_chat.values():
        assert not any(name in payload["text"] for name in YOUTH_NAMES)
        assert payload["photo"]["mime"] == "image/png"
        # The chart is named relative to data_dir, so a relative data_dir does not double it.
        assert not Path(payload["photo"]["path"]).is_absolute()
        assert image_format(harness.data_dir / payload["photo"]["path"]) == "PNG"
    # Down all the next Monday: caught up once on Wednesday, not again on Thursday.
    harness.clock.set(local(2026, 11, 25, 10, 0))
    assert await run_due(harness) == 3
    harness.clock.advance(days=1)
    assert await run_due(harness) == 0
    assert len(await digests(harness)) == 6


async def test_digest_weekday_and_hour_come_from_config(sqlite_url: str, tmp_path: Path) -> None:
    harness = Harness(
        sqlite_url, tmp_path / "data", digest={"digest_weekday": 4, "digest_hour": 18}
    )
    try:
        await harness.import_org()
        await harness.registered("lead1", Role.LEADER, "PH")
        harness.clock.set(local(2026, 11, 16, 7, 0))
        assert await run_due(harness) == 0
        harness.clock.set(local(2026, 11, 20, 17, 59))
        assert await run_due(harness) == 0
        harness.clock.set(local(2026, 11, 20, 18, 0))
        assert await run_due(harness) == 1
    finally:
        await harness.close()


async def test_tonghop_sends_text_and_chart_to_the_leader(harness: Harness) -> None:
    await seed(harness)
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    harness.clock.set(local(2026, 11, 27, 9, 0))
    await leader.say("/tonghop")
    assert "Đã nộp: 4/7 chi đoàn (57%)" in leader.text
    assert not any(name in leader.text for name in YOUTH_NAMES)
    photo = next(r.photo for r in leader.last if r.photo is not None)
    assert photo.mime == "image/png" and photo.data.startswith(b"\x89PNG")
    await leader.say("/digest")
    assert "Bản tin tuần" in leader.text


async def test_cli_digest_prints_text_and_writes_chart(
    sqlite_harness: Harness,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await seed(sqlite_harness)
    monkeypatch.setenv("CHIDOAN_DATABASE__URL", sqlite_harness.url)
    monkeypatch.chdir(tmp_path)
    chart = tmp_path / "chart.png"
    # The CLI runs its own event loop, as it does from a shell: give it a thread.
    code = await asyncio.to_thread(
        main,
        ["digest", "--district", "PH", "--print", "--period", "2026-11", "--chart", str(chart)],
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "Đã nộp: 4/7 chi đoàn (57%)" in out and "15.000.000" in out
    assert chart.read_bytes().startswith(b"\x89PNG")
    assert await asyncio.to_thread(main, ["digest", "--district", "XX", "--print"]) == 1
    assert await asyncio.to_thread(main, ["digest", "--district", "PH"]) == 2
