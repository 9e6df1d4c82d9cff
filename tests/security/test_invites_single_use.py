"""An invite code makes exactly one secretary, however many people redeem it at the same moment."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from storage.models import ChatIdentity, Invite, RoleAssignment
from tests.support.harness import Harness
from tests.support.tally import TALLY

REDEEMERS = 20


async def test_twenty_people_redeeming_one_code_at_once_make_one_secretary(
    harness: Harness,
) -> None:
    code = await harness.invite()
    chats = [harness.chat(f"u{i}", f"Người {i}") for i in range(REDEEMERS)]
    await asyncio.gather(*(chat.say(f"/start {code}") for chat in chats))
    TALLY.tried(REDEEMERS)
    async with harness.uow() as uow:
        roles = await uow.session.scalar(select(func.count(RoleAssignment.id)))
        identities = await uow.session.scalar(select(func.count(ChatIdentity.id)))
        invite = await uow.session.scalar(select(Invite))
    assert (roles, identities) == (1, 1)
    assert invite is not None and invite.used_at is not None
    welcomed = [c for c in chats if "Chi đoàn ấp Long Phụng" in c.text]
    used = harness.catalog.t("vi", "registration.code_used")
    refused = [c for c in chats if c.text == used]
    assert len(welcomed) == 1 and len(refused) == REDEEMERS - 1
    async with harness.uow() as uow:
        identity = await uow.session.scalar(select(ChatIdentity))
    assert identity is not None and identity.external_id == welcomed[0].user_id
    assert invite.used_by_id == identity.person_id
