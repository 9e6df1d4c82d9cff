"""Reminders say how far a started draft is, and the admin menu item looks like the others."""

from __future__ import annotations

from typing import Any

from bot.i18n import Catalog
from handlers.reports.form import load_form
from storage.models import MonthlyReport, Role
from storage.repositories.org import OrgRepository
from tests.support.harness import Harness
from tests.support.ops_seed import answers
from tests.support.outbox_fakes import rows


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
    assert "Chọn “Báo cáo ngay” để bắt đầu" in texts["s3"]


def test_admin_menu_item_for_reminders_has_an_emoji() -> None:
    catalog = Catalog()
    for locale in ("vi", "en"):
        label = catalog.t(locale, "reminders.menu_remind")
        assert not label[0].isalnum(), label
