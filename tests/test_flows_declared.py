"""Every conversation is a declared table of steps: an Enum, and a handler for each step."""

from __future__ import annotations

import pytest

from bot.engine.router import Dispatcher
from handlers import ROUTERS
from handlers.steps import StepFlow

FLOWS = sorted(Dispatcher(ROUTERS).flows.values(), key=lambda flow: flow.name)


def test_the_bot_has_its_flows() -> None:
    names = {flow.name for flow in FLOWS}
    assert {"report", "evidence", "youth", "review", "broadcast", "registration"} <= names


@pytest.mark.parametrize("flow", FLOWS, ids=lambda flow: flow.name)
def test_each_step_has_its_question_and_its_answer(flow: StepFlow) -> None:  # type: ignore[type-arg]
    assert isinstance(flow, StepFlow), f"{flow.name} is not declared as a table of steps"
    table = flow.table
    assert set(table) == set(flow.step_type)
    assert flow.restart in table
    for step, spec in table.items():
        assert spec.back is None or spec.back in table, f"{flow.name}.{step} goes back nowhere"
