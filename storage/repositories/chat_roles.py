"""Which chats on a channel hold which roles (for per-chat command menus)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ChatIdentity, Role, RoleAssignment


class ChatRoleRepository:
    """Active roles by chat id, read through people's chat identities."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def roles_by_chat(self, channel: str) -> dict[str, frozenset[Role]]:
        """Every chat on `channel` whose person holds an active role, with those roles."""
        rows = await self.session.execute(
            select(ChatIdentity.chat_id, RoleAssignment.role)
            .join(RoleAssignment, RoleAssignment.person_id == ChatIdentity.person_id)
            .where(ChatIdentity.channel == channel, RoleAssignment.active.is_(True))
        )
        found: dict[str, set[Role]] = defaultdict(set)
        for chat_id, role in rows:
            found[chat_id].add(Role(role))
        return {chat_id: frozenset(roles) for chat_id, roles in found.items()}
