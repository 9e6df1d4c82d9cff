"""Who receives proactive messages: role holders of many places at once (for reminders)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import contains_eager

from storage.models import Branch, ChatIdentity, GrassrootsUnit, Person, Role, RoleAssignment


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
