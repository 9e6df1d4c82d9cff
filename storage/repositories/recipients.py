"""Who receives proactive messages: role holders of many places at once, and their chats."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import Conversation, Person, Role, RoleAssignment


class RecipientRepository:
    """One query for the secretaries of every branch of a district, not one per branch."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def holders_by_branch(
        self, role: Role, branch_ids: Iterable[int]
    ) -> dict[int, list[Person]]:
        """branch id → people holding `role` over it (active), identities loaded, by person id."""
        ids = list(branch_ids)
        if not ids:
            return {}
        rows = await self.session.execute(
            select(RoleAssignment.branch_id, Person)
            .join(Person, Person.id == RoleAssignment.person_id)
            .options(selectinload(Person.identities))
            .where(
                RoleAssignment.role == role.value,
                RoleAssignment.active.is_(True),
                RoleAssignment.branch_id.in_(ids),
            )
            .order_by(Person.id)
        )
        found: dict[int, list[Person]] = defaultdict(list)
        for branch_id, person in rows:
            if branch_id is not None and person not in found[branch_id]:
                found[branch_id].append(person)
        return dict(found)

    async def recent_chats(self, chats: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """Those of these (channel, chat id) pairs that ever talked, most recently active first."""
        wanted = set(chats)
        if not wanted:
            return []
        rows = await self.session.execute(
            select(Conversation.channel, Conversation.chat_id)
            .where(Conversation.chat_id.in_(sorted({chat for _, chat in wanted})))
            .order_by(Conversation.updated_at.desc(), Conversation.id.desc())
        )
        return [(channel, chat) for channel, chat in rows if (channel, chat) in wanted]
