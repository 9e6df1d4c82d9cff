"""Invite codes (mã mời): short, easy to read aloud, single-use, expiring."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.models import Branch, District, GrassrootsUnit, Invite, Role
from storage.repositories.invites import InviteRepository
from storage.repositories.org import OrgRepository
from storage.uow import UnitOfWork

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: nothing that is misread aloud or on a small screen.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8
_NOT_CODE = re.compile(r"[\s\-_.]")


def normalise_code(text: str) -> str:
    """'abcd-3467', 'ABCD 3467' and 'abcd3467' are one code."""
    return _NOT_CODE.sub("", text).upper()


def looks_like_code(text: str) -> bool:
    """Whether a message from a stranger is probably an attempt at a code."""
    code = normalise_code(text)
    return len(code) == CODE_LENGTH and code.isalnum()


def display_code(code: str) -> str:
    """'ACDE3467' → 'ACDE-3467'."""
    return f"{code[:4]}-{code[4:]}"


class InviteError(ValueError):
    """The place named for an invite does not exist or does not fit the role."""


@dataclass(frozen=True)
class Place:
    """What a role is held over: exactly one of branch, unit or district."""

    branch: Branch | None = None
    unit: GrassrootsUnit | None = None
    district: District | None = None

    @property
    def name(self) -> str:
        item = self.branch or self.unit or self.district
        assert item is not None
        return item.name


ROLE_SCOPE = {
    Role.SECRETARY: "branch",
    Role.UNIT_SECRETARY: "unit",
    Role.LEADER: "district",
    Role.ADMIN: "district",
}


async def find_place(uow: UnitOfWork, role: Role, code: str) -> Place:
    """The branch, unit or district a role of this kind is held over, by its code."""
    org = uow.get(OrgRepository)
    scope = ROLE_SCOPE[role]
    if scope == "branch":
        branch = await org.branch_by_code(code)
        if branch is None:
            raise InviteError(f"no branch with code {code}")
        return Place(branch=branch)
    if scope == "unit":
        unit = await org.unit_by_code(code)
        if unit is None:
            raise InviteError(f"no grassroots unit with code {code}")
        return Place(unit=unit)
    district = await org.district_by_code(code)
    if district is None:
        raise InviteError(f"no district with code {code}")
    return Place(district=district)


async def create_invite(
    uow: UnitOfWork,
    *,
    role: Role,
    place: Place,
    now: datetime,
    ttl_days: int,
    created_by_id: int | None = None,
) -> Invite:
    """A fresh code for `role` over `place`, valid for `ttl_days`."""
    repo = uow.get(InviteRepository)
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if not await repo.code_exists(code):
            break
    invite = Invite(
        code=code,
        role=role.value,
        branch_id=place.branch.id if place.branch else None,
        unit_id=place.unit.id if place.unit else None,
        district_id=place.district.id if place.district else None,
        expires_at=now + timedelta(days=ttl_days),
        created_by_id=created_by_id,
        created_at=now,
    )
    repo.add(invite)
    await uow.flush()
    return invite


def deep_link(username: str, code: str) -> str | None:
    """https://t.me/<bot>?start=<code> when the bot's username is known."""
    return f"https://t.me/{username.lstrip('@')}?start={code}" if username else None
