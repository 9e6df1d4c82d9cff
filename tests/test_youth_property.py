"""Arbitrary text at every question of the add-a-person flow: always an answer, nothing lost."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from storage.models import Conversation
from tests.support.harness import Harness

GOOD = ["Nguyễn Văn An", "2005", "nam", "ấp Long Phụng", "1 4", "Mồ côi cha, ở với bà", "Học nghề"]
_users = itertools.count(1)


async def saved(harness: Harness, user_id: str) -> tuple[str | None, dict[str, object]]:
    """The chat's current step and its saved answers."""
    async with harness.uow() as uow:
        conv = await uow.session.scalar(select(Conversation).where(Conversation.chat_id == user_id))
        assert conv is not None
        return conv.step, dict(conv.data or {})


async def scenario(url: str, data_dir: Path, noise: list[str]) -> None:
    harness = Harness(url, data_dir)
    try:
        await harness.import_org()
        chat = await harness.registered(f"p{next(_users)}")
        await chat.say("/thanhnien")
        await chat.press("➕ Thêm người")
        for good, junk in zip(GOOD, itertools.cycle(noise), strict=False):
            step, before = await saved(harness, chat.user_id)
            replies = await chat.say(junk)
            assert replies and all(r.text for r in replies)
            assert "trục trặc" not in chat.text, junk
            _, after = await saved(harness, chat.user_id)
            if junk.strip().startswith("/") or not after.get("branch_id"):
                return  # a command (/huy, /quaylai…) legitimately moves or ends the flow
            # Only the answer to the question being asked may change; every other one stays.
            changed = {k for k in before if k != step and after.get(k) != before[k]}
            assert changed == set(), (junk, changed)
            await chat.say(good)
    finally:
        await harness.close()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(noise=st.lists(st.text(max_size=60), min_size=1, max_size=7))
def test_arbitrary_text_never_breaks_the_add_flow(
    sqlite_url: str, tmp_path: Path, noise: list[str]
) -> None:
    asyncio.run(scenario(sqlite_url, tmp_path / "data", noise))
