"""Arbitrary text at every question of the form: never an error, always an answer, nothing lost."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.reports.form import load_form
from storage.models import Conversation, MonthlyReport
from tests.support.harness import Harness
from tests.support.report_script import conversation, fill, report_of, step

KEYS = [f.key for f in load_form().fields]


async def _restore(harness: Harness, conv: Conversation, report_id: int, answers: Any) -> None:
    """Put the chat back at the question (and the report as it was) for the next example."""
    async with harness.uow() as uow:
        row = await uow.session.get(Conversation, conv.id)
        report = await uow.session.get(MonthlyReport, report_id)
        assert row is not None and report is not None
        row.flow, row.step, row.data = conv.flow, conv.step, dict(conv.data)
        row.choices, row.seq = list(conv.choices), conv.seq
        report.answers, report.flags = dict(answers), []


@pytest.mark.parametrize("key", KEYS)
def test_any_text_at_any_question(key: str, db_url: str, tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    run = loop.run_until_complete
    harness = Harness(db_url, tmp_path / "data")
    error = harness.catalog.t("vi", "common.error")
    try:
        run(harness.import_org())
        chat = run(harness.registered("u1"))
        run(chat.say("/baocao"))
        run(fill(harness, chat, until=key))
        assert run(step(harness, chat)) == f"field:{key}"
        conv = run(conversation(harness, chat))
        report = run(report_of(harness))
        saved = dict(report.answers)

        @settings(
            max_examples=30,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture],
        )
        @given(text=st.text())
        def throw(text: str) -> None:
            replies = run(chat.say(text))
            assert replies, f"no answer to {text!r}"
            assert all(r.text != error for r in replies), f"error on {text!r}"
            after = run(report_of(harness)).answers
            lost = {k: v for k, v in saved.items() if after.get(k) != v}
            assert not lost, f"{text!r} lost {lost}"
            run(_restore(harness, conv, report.id, saved))

        throw()
    finally:
        run(harness.close())
        loop.close()
