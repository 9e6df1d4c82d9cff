"""An answer to a report question costs at most six SQL statements in exactly one transaction.

Most of what a secretary sends is an answer; its cost decides how many chats one process serves
(bench/inbound.py measures the rest). Counted with SQLAlchemy's engine events on the harness's
engine, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event

from tests.support.harness import Harness
from tests.support.report_script import step


@dataclass
class Cost:
    statements: int = 0
    transactions: int = 0


@contextmanager
def counted(harness: Harness) -> Iterator[Cost]:
    cost = Cost()
    engine = harness.db.sync_engine

    def statement(*_: Any) -> None:
        cost.statements += 1

    def begin(*_: Any) -> None:
        cost.transactions += 1

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "begin", begin)
    try:
        yield cost
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "begin", begin)


async def test_an_answer_is_one_transaction_of_at_most_six_statements(harness: Harness) -> None:
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    answers = ["30", "2", "0", "1", "có"]  # members, admitted, moved in, moved out, meeting held
    costs = []
    for answer in answers:
        before = await step(harness, chat)
        with counted(harness) as cost:
            await chat.say(answer)
        assert await step(harness, chat) != before, f"{answer!r} was taken"
        costs.append((answer, cost.statements, cost.transactions))
    assert all(tx == 1 for _a, _s, tx in costs), costs
    assert all(n <= 6 for _a, n, _t in costs), costs
