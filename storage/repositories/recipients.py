"""Who receives proactive messages: role holders of many places at once, and their chats."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import contains_eager

from storage.models import (
    Branch,
    ChatIdentity,
    Conversation,
    GrassrootsUnit,
    Person,
    Role,
    RoleAssignment,
)

#: Chat ids per query: far below any driver's limit on bound parameters.
CHATS_PER_QUERY = 5_000


class RecipientRepository:
    """One query for the secretaries of every branch of a district, not one per branch."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def holders_by_branch(self, role: Role, district_id: int) -> dict[int, list[Person]]:
        """Branch id → people holding `role` over it (active), identities loaded, by person id;
        for every branch of the district, selected by join (no list of ids, however large)."""
        # One query: identities come joined in (a person has one or two), not in IN-batches.
        rows = await self.session.execute(
            select(RoleAssignment.branch_id, Person)
            .join(Person, Person.id == RoleAssignment.person_id)
            .outerjoin(ChatIdentity, ChatIdentity.person_id == Person.id)
            .join(Branch, Branch.id == RoleAssignment.branch_id)
            .join(GrassrootsUnit, GrassrootsUnit.id == Branch.unit_id)
            .options(contains_eager(Person.identities))
            .where(
                RoleAssignment.role == role.value,
                RoleAssignment.active.is_(True),
                GrassrootsUnit.district_id == district_id,
            )
            .order_by(Person.id, ChatIdentity.id)
        )
        found: dict[int, list[Person]] = defaultdict(list)
        for branch_id, person in rows.unique():
            if branch_id is not None and person not in found[branch_id]:
                found[branch_id].append(person)
        return dict(found)

    async def recent_chats(self, chats: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """Those of these (channel, chat id) pairs that ever talked, most recently active first.

        Asked in slices of chat ids, so however many people are reached at once no statement
        binds more parameters than a driver allows."""
        wanted = set(chats)
        ids = sorted({chat for _, chat in wanted})
        found: list[tuple[datetime, int, str, str]] = []
        for start in range(0, len(ids), CHATS_PER_QUERY):
            rows = await self.session.execute(
                select(
                    Conversation.updated_at,
                    Conversation.id,
                    Conversation.channel,
                    Conversation.chat_id,
                ).where(Conversation.chat_id.in_(ids[start : start + CHATS_PER_QUERY]))
            )
            found += [
                (at, conv_id, channel, chat)
                for at, conv_id, channel, chat in rows
                if (channel, chat) in wanted
            ]
        found.sort(reverse=True)
        return [(channel, chat) for _, _, channel, chat in found]
