"""Reminders with a moved clock: only non-submitters, once per slot, catch-up, escalation."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bot.app.scheduler import Scheduler
from bot.i18n import Catalog
from handlers import DUE_CHECKS
from handlers.reports.form import load_form
from storage.models import MonthlyReport, OutboxMessage, ReportStatus, Role
from storage.repositories.org import OrgRepository
from tests.support.harness import Harness, local
from tests.support.ops_seed import answers
from tests.support.outbox_fakes import FakeChannel, FakeTime, rows, sender


async def tick(h: Harness) -> int:
    """One scheduler tick over the harness's database and clock."""
    scheduler = Scheduler(
        settings=h.settings,
        db=h.db,
        sessions=h.sessions,
        clock=h.clock,
        catalog=h.catalog,
        checks=DUE_CHECKS,
    )
    try:
        return await scheduler.tick()
    finally:
        await scheduler.leadership.release()


async def seed_report(h: Harness, branch: str, status: ReportStatus, period: str = "2026-11"):
    async with h.uow() as uow:
        found = await uow.get(OrgRepository).branch_by_code(branch)
        assert found is not None
        uow.session.add(
            MonthlyReport(
                branch_id=found.id,
                period=period,
                status=status.value,
                answers={},
                flags=[],
                created_at=h.clock.now(),
                updated_at=h.clock.now(),
            )
        )


async def district(h: Harness) -> None:
    """Secretaries s1..s4 of PH-TL-01..03 and PH-CT-01 (s3 speaks English), unit secretary u9
    of PH-TL; November reports: PH-TL-02 submitted, PH-TL-03 draft, PH-CT-01 returned."""
    await h.registered("s1", code="PH-TL-01")
    await h.registered("s2", code="PH-TL-02")
    s3 = await h.registered("s3", code="PH-TL-03")
    await s3.say("/language en")
    await h.registered("s4", code="PH-CT-01")
    await h.registered("u9", role=Role.UNIT_SECRETARY, code="PH-TL")
    await seed_report(h, "PH-TL-02", ReportStatus.SUBMITTED)
    await seed_report(h, "PH-TL-03", ReportStatus.DRAFT)
    await seed_report(h, "PH-CT-01", ReportStatus.RETURNED)


def chats(saved: dict[str, OutboxMessage], kind: str = "reminder") -> Counter[str]:
    return Counter(m.chat_id for m in saved.values() if m.kind == kind)


async def test_only_branches_without_a_submitted_report_are_reminded(harness: Harness) -> None:
    await district(harness)
    assert await tick(harness) == 0, "10 November: nothing due yet"
    harness.clock.set(local(2026, 11, 20, 17, 1))
    assert await tick(harness) == 3
    saved = await rows(harness)
    assert chats(saved) == Counter({"s1": 1, "s3": 1, "s4": 1}), "s2 submitted"
    s1 = next(m for m in saved.values() if m.chat_id == "s1")
    assert s1.key.startswith("reminder:2026-11:PH-TL-01:5d:")
    assert "còn 5 ngày" in s1.payload["text"] and "Chi đoàn ấp Long Phụng" in s1.payload["text"]
    assert s1.payload["choices"] == [["cmd:baocao", "Báo cáo ngay"]]
    s3 = next(m for m in saved.values() if m.chat_id == "s3")
    assert "5 days from now" in s3.payload["text"], "in the person's own language"
    assert s3.payload["choices"] == [["cmd:baocao", "Report now"]]


async def test_once_per_slot_also_across_a_restart(harness: Harness) -> None:
    await district(harness)
    harness.clock.set(local(2026, 11, 20, 17, 1))
    assert await tick(harness) == 3
    harness.clock.advance(minutes=1)
    assert await tick(harness) == 0
    await harness.restart()
    harness.clock.advance(hours=5)
    assert await tick(harness) == 0, "a restart in the middle sends nothing again"
    await seed_report(harness, "PH-TL-01", ReportStatus.SUBMITTED)
    harness.clock.set(local(2026, 11, 23, 17, 0))
    assert await tick(harness) == 2, "2 days before: s1 has submitted meanwhile"
    await harness.restart()
    assert await tick(harness) == 0
    saved = await rows(harness)
    assert chats(saved) == Counter({"s1": 1, "s3": 2, "s4": 2})


async def test_catch_up_after_downtime_sends_one_reminder_not_three(harness: Harness) -> None:
    await district(harness)
    harness.clock.set(local(2026, 11, 25, 10, 30))  # down since the 10th: 5d, 2d, morning missed
    await harness.restart()
    assert await tick(harness) == 3
    saved = await rows(harness)
    assert chats(saved) == Counter({"s1": 1, "s3": 1, "s4": 1})
    assert all(":morning:" in key for key in saved)
    s1 = next(m for m in saved.values() if m.chat_id == "s1")
    assert "Hôm nay là hạn chót" in s1.payload["text"]
    assert await tick(harness) == 0


async def test_a_reminder_long_past_is_not_sent(harness: Harness) -> None:
    await district(harness)
    harness.clock.set(local(2026, 11, 21, 18, 0))  # 5d was 25 hours ago, 2d not yet due
    assert await tick(harness) == 0
    harness.clock.set(local(2026, 11, 25, 17, 30))  # after the deadline, before +1 day
    assert await tick(harness) == 0, "'today is the deadline' is never sent after it"


async def test_overdue_escalation_reaches_the_unit_secretary(harness: Harness) -> None:
    await district(harness)
    harness.clock.set(local(2026, 11, 26, 17, 5))
    assert await tick(harness) == 3
    saved = await rows(harness)
    assert chats(saved, "escalation") == Counter()
    s1 = next(m for m in saved.values() if m.chat_id == "s1")
    assert "đã quá hạn 1 ngày" in s1.payload["text"]
    harness.clock.set(local(2026, 11, 28, 17, 5))
    assert await tick(harness) == 4
    saved = await rows(harness)
    [unit] = [m for m in saved.values() if m.kind == "escalation"]
    assert unit.chat_id == "u9" and unit.key.startswith("escalation:2026-11:PH-TL:overdue-3d:")
    text = unit.payload["text"]
    assert "Đoàn xã Tân Long" in text and "đã quá 3 ngày" in text
    assert "Chi đoàn ấp Long Phụng" in text and "Chi đoàn ấp Long Hòa" in text
    assert "Long Trường" not in text, "PH-TL-02 has submitted"
    assert "khu vực" not in text, "another unit's branches are not this unit's business"
    assert await tick(harness) == 0


async def test_reminders_reach_the_chats_with_a_report_button(harness: Harness) -> None:
    await district(harness)
    harness.clock.set(local(2026, 11, 23, 17, 0))
    await tick(harness)
    time = FakeTime(harness.clock)
    channel = FakeChannel(time)
    assert await sender(harness, {"fake": channel}, time).drain_once() == 3
    sent = {s.chat_id: s.reply for s in channel.sent}
    assert "còn 2 ngày" in sent["s1"].text
    assert [(c.payload, c.label) for c in sent["s1"].choices] == [("cmd:baocao", "Báo cáo ngay")]
    assert {m.status for m in (await rows(harness)).values()} == {"sent"}


async def draft(h: Harness, code: str, given: dict[str, Any]) -> None:
    async with h.uow() as uow:
        branch = await uow.get(OrgRepository).branch_by_code(code)
        assert branch is not None
        uow.session.add(
            MonthlyReport(branch_id=branch.id, period="2026-11", status="draft", answers=given)
        )


async def test_reminder_tells_a_started_draft_how_far_it_is(harness: Harness) -> None:
    await harness.registered("s1", code="PH-TL-01")
    await harness.registered("s2", code="PH-TL-02")
    await harness.registered("s3", code="PH-TL-03")
    complete = answers(30, 2, True, 3, 2, 1)
    complete["difficulties"] = "Không có"
    await draft(harness, "PH-TL-01", complete)
    await draft(harness, "PH-TL-02", {"members_total": 25, "admitted": 1})
    total = len(load_form().fields)
    admin = await harness.registered("a1", role=Role.ADMIN, code="PH")
    await admin.say("/nhacnho")
    await admin.press("Gửi lời nhắc")
    texts = {m.chat_id: m.payload["text"] for m in (await rows(harness)).values()}
    catalog = harness.catalog
    assert catalog.t("vi", "reminders.action_almost") in texts["s1"]
    assert "bắt đầu" not in texts["s1"] and "/baocao" in texts["s1"]
    assert catalog.t("vi", "reminders.action_partial", n=3, total=total) in texts["s2"]
    assert harness.catalog.t("vi", "reminders.action_before") in texts["s3"]


def test_admin_menu_item_for_reminders_has_an_emoji() -> None:
    catalog = Catalog()
    for locale in ("vi", "en"):
        label = catalog.t(locale, "reminders.menu_remind")
        assert not label[0].isalnum(), label
