"""The start of a month: an overdue month offered first, a month typed after /baocao, and the
date question's examples taken from the reported month."""

from __future__ import annotations

import pytest

from tests.support.harness import Chat, Harness, local
from tests.support.report_script import fill, step


async def test_after_a_month_closed_its_unsent_report_is_offered_first(harness: Harness) -> None:
    chat = await harness.registered("u1")  # on 10/11/2026, before November's deadline
    harness.clock.set(local(2026, 12, 1, 8, 0))
    await chat.say("/baocao")
    assert chat.said("report.which_period_overdue", period="11/2026", deadline="17:00 25/11/2026")
    assert chat.choices == ["Tháng 11/2026 (chưa bắt đầu)", "Tháng 12/2026 (chưa bắt đầu)"]
    await chat.press(1)
    assert chat.said("report.intro", period="11/2026") and chat.said("report.late_warning")


async def test_a_draft_left_in_last_month_is_offered_first(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await chat.say("30")
    harness.clock.set(local(2026, 12, 1, 8, 0))
    await chat.say("/huy")
    await chat.say("/baocao")
    assert chat.said("report.which_period_overdue", period="11/2026")
    assert chat.choices[0] == "Tháng 11/2026 (đang soạn)"


async def test_a_branch_that_joined_after_the_deadline_opens_this_month(
    harness: Harness,
) -> None:
    harness.clock.set(local(2026, 11, 28, 9, 0))
    chat = await harness.registered("u1")
    harness.clock.set(local(2026, 12, 1, 8, 0))
    await chat.say("/baocao")
    assert chat.said("report.intro", period="12/2026")
    assert await step(harness, chat) == "field:members_total"


@pytest.mark.parametrize("typed", ["10", "thang 10", "tháng 10", "Tháng 10", "T10", "10/2026"])
async def test_a_month_typed_after_baocao(harness: Harness, typed: str) -> None:
    chat = await harness.registered("u1")
    await chat.say(f"/baocao {typed}")
    assert chat.said("report.intro", period="10/2026")


async def test_a_month_without_a_year_is_the_latest_one_that_has_come(harness: Harness) -> None:
    harness.clock.set(local(2027, 1, 5, 9, 0))
    chat = await harness.registered("u1")
    await chat.say("/baocao 12")
    assert chat.said("report.intro", period="12/2026")
    await chat.say("/huy")
    await chat.say("/baocao 13")
    assert chat.said("report.bad_period")


async def _at_the_date_question(harness: Harness, chat: Chat) -> None:
    await fill(harness, chat, until="meeting_date")
    assert await step(harness, chat) == "field:meeting_date"


async def test_the_date_examples_name_yesterday_only_when_it_is_in_the_month(
    harness: Harness,
) -> None:
    chat = await harness.registered("u1")
    harness.clock.set(local(2026, 12, 1, 8, 0))  # yesterday, 30/11, is in November
    await chat.say("/baocao")
    await chat.press("Tháng 11/2026 (chưa bắt đầu)")
    await _at_the_date_question(harness, chat)
    yesterday = harness.catalog.t("vi", "report.date_example_yesterday", date="15/11")
    assert yesterday in chat.text
    harness.clock.set(local(2026, 12, 3, 8, 0))  # yesterday, 2/12, is not
    await chat.say("hôm qua")
    assert chat.said("report.rule.date_in_period", examples="15/11")
    assert "hôm qua" not in chat.texts[0]
    await chat.say("ngày nào đó")
    assert chat.said("report.expect.date", examples="15/11")
    assert "hôm qua" not in chat.text and "15/11, hoặc" not in chat.text


async def test_on_the_first_of_a_month_its_date_example_is_today(harness: Harness) -> None:
    harness.clock.set(local(2026, 11, 28, 9, 0))
    chat = await harness.registered("u1")  # owes nothing for October
    harness.clock.set(local(2026, 12, 1, 8, 0))
    await chat.say("/baocao")
    await _at_the_date_question(harness, chat)
    today = harness.catalog.t("vi", "report.date_example_today", date="1/12")
    assert today in chat.text and "hôm qua" not in chat.text
