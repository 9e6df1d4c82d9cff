"""People, their chat identities and their roles."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.models import (
    Branch,
    ChatIdentity,
    GrassrootsUnit,
    Person,
    Role,
    RoleAssignment,
)

_ROLE_LOADS = (
    selectinload(Person.roles)
    .selectinload(RoleAssignment.branch)
    .selectinload(Branch.unit)
    .selectinload(GrassrootsUnit.district),
    selectinload(Person.roles)
    .selectinload(RoleAssignment.unit)
    .selectinload(GrassrootsUnit.district),
    selectinload(Person.roles).selectinload(RoleAssignment.district),
)


class PeopleRepository:
    """Who is writing, and what they may do."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_identity(self, channel: str, external_id: str) -> Person | None:
        """The person behind a chat account, with roles and their places loaded."""
        return await self.session.scalar(
            select(Person)
            .join(ChatIdentity)
            .options(*_ROLE_LOADS)
            .where(ChatIdentity.channel == channel, ChatIdentity.external_id == external_id)
        )

    async def get(self, person_id: int) -> Person | None:
        return await self.session.scalar(
            select(Person).options(*_ROLE_LOADS).where(Person.id == person_id)
        )

    async def create(
        self, channel: str, external_id: str, chat_id: str, display_name: str, locale: str | None
    ) -> Person:
        person = Person(display_name=display_name, locale=locale)
        person.identities = [
            ChatIdentity(channel=channel, external_id=external_id, chat_id=chat_id)
        ]
        person.roles = []
        self.session.add(person)
        await self.session.flush()
        return person

    async def identities(self, person_id: int) -> list[ChatIdentity]:
        rows = await self.session.scalars(
            select(ChatIdentity).where(ChatIdentity.person_id == person_id)
        )
        return list(rows)

    async def holders(
        self,
        role: Role,
        *,
        branch_id: int | None = None,
        unit_id: int | None = None,
        district_id: int | None = None,
    ) -> list[Person]:
        """People holding `role` over exactly that place (active assignments only)."""
        query = (
            select(Person)
            .join(RoleAssignment)
            .options(selectinload(Person.identities))
            .where(RoleAssignment.role == role.value, RoleAssignment.active.is_(True))
        )
        if branch_id is not None:
            query = query.where(RoleAssignment.branch_id == branch_id)
        if unit_id is not None:
            query = query.where(RoleAssignment.unit_id == unit_id)
        if district_id is not None:
            query = query.where(RoleAssignment.district_id == district_id)
        return list((await self.session.scalars(query.order_by(Person.id))).unique())

    async def holding(
        self, person_id: int, roles: Iterable[Role], *, district_id: int
    ) -> Person | None:
        """The person, with their chats loaded, while they hold one of `roles` over the
        district (active assignments only); None once they no longer do."""
        return await self.session.scalar(
            select(Person)
            .join(RoleAssignment)
            .options(selectinload(Person.identities))
            .where(
                Person.id == person_id,
                RoleAssignment.role.in_([r.value for r in roles]),
                RoleAssignment.active.is_(True),
                RoleAssignment.district_id == district_id,
            )
            .limit(1)
        )

    async def first_held_since(self, role: Role, *, branch_id: int) -> datetime | None:
        """When anyone first took `role` over the branch (ended assignments count too)."""
        found: datetime | None = await self.session.scalar(
            select(func.min(RoleAssignment.created_at)).where(
                RoleAssignment.role == role.value, RoleAssignment.branch_id == branch_id
            )
        )
        return found
