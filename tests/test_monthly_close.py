"""The monthly close: the final reporting table to each district leader, once."""

from __future__ import annotations

from sqlalchemy import select

from handlers.digest.close import due_monthly_close
from storage.models import MonthlyReport, OutboxMessage, Role
from storage.repositories.org import OrgRepository
from tests.support.harness import Harness, local


async def run_close(harness: Harness) -> int:
    async with harness.uow() as uow:
        return await due_monthly_close(uow, harness.clock.now(), harness.settings, harness.catalog)


async def closes(harness: Harness) -> list[OutboxMessage]:
    async with harness.uow() as uow:
        rows = await uow.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "close"))
        return list(rows)


async def test_close_goes_once_to_each_leader_after_its_time(harness: Harness) -> None:
    await harness.registered("lead-1", Role.LEADER, "PH")
    english = await harness.registered("lead-2", Role.LEADER, "PH")
    await english.say("/language en")
    await harness.registered("admin", Role.ADMIN, "PH")
    async with harness.uow() as uow:
        branch = await uow.get(OrgRepository).branch_by_code("PH-TL-01")
        assert branch is not None
        uow.session.add(
            MonthlyReport(
                branch_id=branch.id,
                period="2026-11",
                status="submitted",
                answers={},
                flags=[],
                created_at=harness.clock.now(),
                updated_at=harness.clock.now(),
                submitted_at=harness.clock.now(),
            )
        )
    harness.clock.set(local(2026, 11, 30, 16, 59))  # deadline 25/11 17:00 + 5 days, a minute early
    assert await run_close(harness) == 0
    harness.clock.set(local(2026, 11, 30, 17, 1))
    assert await run_close(harness) == 2
    assert await run_close(harness) == 0
    await harness.restart()
    harness.clock.advance(hours=30)
    assert await run_close(harness) == 0, "caught up once, never repeated"
    sent = {m.chat_id: m.payload["text"] for m in await closes(harness)}
    assert set(sent) == {"lead-1", "lead-2"}, "leaders only"
    assert "Chốt số liệu báo cáo tháng 11/2026" in sent["lead-1"]
    assert "1/7" in sent["lead-1"] and "Chi đoàn ấp Long Trường" in sent["lead-1"]
    assert "Monthly close for 11/2026" in sent["lead-2"]


async def test_a_close_missed_for_more_than_a_week_is_not_sent(harness: Harness) -> None:
    await harness.registered("lead-1", Role.LEADER, "PH")
    harness.clock.set(local(2026, 12, 8, 9, 0))  # the close was due 30/11 17:00
    assert await run_close(harness) == 0
    harness.clock.set(local(2026, 12, 3, 9, 0))  # three days late: still caught up
    assert await run_close(harness) == 1
