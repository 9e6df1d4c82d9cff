"""Private chats only: a group gets one line asking to write privately, and nothing is stored.

Sensitive records (the difficult-youth list) must never be shown where others read, and a group
must never become a person's chat, or digests and the monthly close would be delivered there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.engine.types import Incoming, InKind, Photo
from handlers.digest.due import due_digests
from storage.models import ChatIdentity, Invite, OutboxMessage, Role
from tests.support.harness import Harness, local
from tests.support.invites import invite_code
from tests.support.ops_seed import YOUTH_NAMES, seed
from tests.support.tables import row_counts
from tests.support.tally import TALLY
from tests.telegram.driver import BotUnderTest
from tests.zalo.driver import ZaloEnv
from tests.zalo.fake_zalo import text_event

GROUP_ID = "-1001234"


def in_group(
    text: str = "", *, user: str = "u1", kind: InKind = InKind.TEXT, **extra: Any
) -> Incoming:
    """What a channel hands the engine for a message in a group chat."""
    TALLY.tried()
    return Incoming(
        channel="fake",
        chat_id=GROUP_ID,
        user_id=user,
        kind=kind,
        text=text,
        display_name="Lan",
        update_id=f"g-{user}-{kind}-{text}",
        private=False,
        **extra,
    )


async def test_a_group_start_with_a_code_stores_nothing_and_keeps_the_code(
    harness: Harness,
) -> None:
    code = await harness.invite()
    before = await row_counts(harness)
    replies = await harness.engine.handle(in_group(f"/start {code}"))
    private_only = harness.catalog.t("vi", "common.private_only")
    assert [r.text for r in replies] == [private_only]
    assert not replies[0].choices
    assert await row_counts(harness) == before, "no conversation, person or update row"
    async with harness.uow() as uow:
        invite = await uow.session.scalar(select(Invite))
        assert invite is not None and invite.used_at is None
    secretary = await harness.registered("u1", code="PH-TL-01")
    assert "Lan" in secretary.text, "the code still works in a private chat"


@pytest.mark.parametrize("command", ["/thanhnien", "/baocao", "/xuat", "/trangthai", "/trogiup"])
async def test_a_registered_person_gets_nothing_sensitive_in_a_group(
    harness: Harness, command: str
) -> None:
    await seed(harness)
    await harness.registered("u1")
    await harness.registered("lead", Role.LEADER, "PH")
    before = await row_counts(harness)
    for user in ("u1", "lead"):
        replies = await harness.engine.handle(in_group(command, user=user))
        assert [r.text for r in replies] == [harness.catalog.t("vi", "common.private_only")]
        assert all(r.document is None and r.photo is None for r in replies)
        assert not any(name in r.text for r in replies for name in YOUTH_NAMES)
    assert await row_counts(harness) == before


async def test_in_a_group_only_commands_and_buttons_are_answered(harness: Harness) -> None:
    await harness.registered("u1")
    before = await row_counts(harness)
    assert await harness.engine.handle(in_group("25")) == []
    assert await harness.engine.handle(in_group("Nguyễn Văn An")) == []
    photo = in_group(kind=InKind.PHOTO, photo=Photo(b"\x89PNG not really"))
    assert await harness.engine.handle(photo) == []
    press = await harness.engine.handle(in_group(kind=InKind.CHOICE, payload="1|menu:report"))
    assert [r.text for r in press] == [harness.catalog.t("vi", "common.private_only")]
    english = in_group("/help", user="u2", language_hint="en")
    assert [r.text for r in await harness.engine.handle(english)] == [
        harness.catalog.t("en", "common.private_only")
    ]
    assert await row_counts(harness) == before


async def test_proactive_messages_go_only_to_private_chats(harness: Harness) -> None:
    await seed(harness)
    code = await harness.invite(Role.LEADER, "PH")
    await harness.engine.handle(in_group(f"/start {code}", user="lead"))
    leader = harness.chat("lead", "Anh Tuấn")
    await leader.say(f"/start {code}")
    async with harness.uow() as uow:
        identities = list(await uow.session.scalars(select(ChatIdentity)))
    assert [i.chat_id for i in identities] == ["lead"]
    harness.clock.set(local(2026, 11, 16, 7, 0))
    async with harness.uow() as uow:
        queued = await due_digests(uow, harness.clock.now(), harness.settings, harness.catalog)
        rows = list(await uow.session.scalars(select(OutboxMessage)))
    assert queued == 1
    assert {r.chat_id for r in rows} == {"lead"}


def _group_update(update: dict[str, Any]) -> dict[str, Any]:
    group = {"id": int(GROUP_ID), "type": "supergroup", "title": "BCH Đoàn xã"}
    update["message"]["chat"] = group
    return update


async def test_telegram_group_gets_one_line_and_nothing_stored(bot: BotUnderTest) -> None:
    lan = bot.user(5101, "Lan")
    await lan.send_text("/start " + await invite_code(bot.app.sessions, bot.app.clock))
    assert lan.buttons, "registered in private"
    calls_before = len(bot.api.calls_to("sendMessage"))
    await bot.deliver(_group_update(lan.text_update("/thanhnien")))
    await bot.deliver(_group_update(lan.text_update("Nguyễn Văn An")))
    TALLY.tried(2)
    sent = bot.api.calls_to("sendMessage")[calls_before:]
    assert [(c.params["chat_id"], c.params["text"]) for c in sent] == [
        (GROUP_ID, bot.app.catalog.t("vi", "common.private_only"))
    ]
    assert "reply_markup" not in sent[0].params


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_zalo_group_gets_one_line_and_nothing_stored(
    harness: Harness, tmp_path: Path, mode: str
) -> None:
    env = await ZaloEnv.start(harness, tmp_path, mode)  # type: ignore[arg-type]
    try:
        code = await harness.invite()
        before = await row_counts(harness)
        event = text_event("z1", "Lan", f"/start {code}")
        event["message"]["chat"] = {"id": "group-77", "chat_type": "GROUP"}
        TALLY.tried()
        assert await env.zalo.push(event) == 200
        await env.handled(event["message"]["message_id"])
        assert env.zalo.sent_to("group-77") == [harness.catalog.t("vi", "common.private_only")]
        assert await row_counts(harness) == before
        lan = env.user("z1", "Lan")
        await lan.send_text(f"/start {code}")
        async with harness.uow() as uow:
            identity = await uow.session.scalar(select(ChatIdentity))
        assert identity is not None and identity.chat_id == "z1"
    finally:
        await env.close()
