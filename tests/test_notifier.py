"""The notifier: one chat per person, one payload shape, files under data_dir, one row per key."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from handlers.notify.notifier import Notice, Notifier
from storage.models import ChatIdentity, OutboxMessage, Person, Role
from storage.repositories.people import PeopleRepository
from tests.support.harness import Harness


async def person(harness: Harness, chat: str) -> Person:
    async with harness.uow() as uow:
        found = await uow.get(PeopleRepository).by_identity("fake", chat)
        assert found is not None
        return found


async def link_zalo(harness: Harness, chat: str, zalo_chat: str) -> None:
    """The person behind `chat` also links a Zalo account (later than the first one)."""
    found = await person(harness, chat)
    async with harness.uow() as uow:
        uow.session.add(
            ChatIdentity(
                person_id=found.id, channel="zalo", external_id=zalo_chat, chat_id=zalo_chat
            )
        )


async def reached(harness: Harness, chat: str) -> tuple[str, str]:
    async with harness.uow() as uow:
        people = await uow.get(PeopleRepository).holders(Role.SECRETARY, branch_id=None)
        notifier = Notifier(uow, harness.settings, harness.catalog, harness.clock.now())
        mine = [p for p in people if any(i.chat_id == chat for i in p.identities)]
        [recipient] = await notifier.reach(mine)
        return recipient.channel, recipient.chat_id


async def test_a_person_is_reached_on_the_chat_they_wrote_from_last(harness: Harness) -> None:
    lan = await harness.registered("lan")
    await link_zalo(harness, "lan", "z-lan")
    assert await reached(harness, "lan") == ("fake", "lan"), "the Zalo account never wrote"
    zalo = harness.chat("z-lan", channel="zalo")
    harness.clock.advance(minutes=5)
    await zalo.say("/trogiup")
    assert await reached(harness, "lan") == ("zalo", "z-lan")
    harness.clock.advance(minutes=5)
    await lan.say("/cuatoi")
    assert await reached(harness, "lan") == ("fake", "lan")


async def test_without_any_conversation_the_account_linked_last(harness: Harness) -> None:
    await harness.registered("lan")
    await link_zalo(harness, "lan", "z-lan")
    async with harness.uow() as uow:
        for row in await uow.session.scalars(select(ChatIdentity)):
            if row.chat_id == "lan":
                row.chat_id = "lan-old-phone"  # the chat she registered from is gone
    async with harness.uow() as uow:
        people = await uow.get(PeopleRepository).holders(Role.SECRETARY)
        notifier = Notifier(uow, harness.settings, harness.catalog, harness.clock.now())
        [recipient] = await notifier.reach(people)
    assert (recipient.channel, recipient.chat_id) == ("zalo", "z-lan")


async def test_one_row_per_key_with_the_payload_contract_and_a_relative_file(
    harness: Harness,
) -> None:
    await harness.registered("lan")
    async with harness.uow() as uow:
        notifier = Notifier(uow, harness.settings, harness.catalog, harness.clock.now())
        [recipient] = await notifier.reach(await uow.get(PeopleRepository).holders(Role.SECRETARY))
        chart = notifier.keep_file(Path("outbox") / "test" / "c.png", b"png", "image/png")
        notice = Notice("digest", ("PH", "2026-W46"), recipient, "Bản tin", photo=chart)
        assert await notifier.queue([notice, notice]) == 1
        assert await notifier.queue([notice]) == 0
        assert await notifier.queued([notice.key]) == {notice.key}
    async with harness.uow() as uow:
        row = await uow.session.scalar(select(OutboxMessage))
    assert row is not None
    assert row.key == f"digest:PH:2026-W46:{recipient.person.id}"
    assert row.payload == {
        "text": "Bản tin",
        "choices": [],
        "photo": {"path": "outbox/test/c.png", "filename": "c.png", "mime": "image/png"},
        "document": None,
    }
    assert (harness.settings.bot.data_dir / row.payload["photo"]["path"]).read_bytes() == b"png"
