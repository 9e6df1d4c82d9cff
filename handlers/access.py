"""Who may see which branch: secretaries (Bí thư chi đoàn) theirs, leaders their district's."""

from __future__ import annotations

from bot.engine.context import Context
from storage.models import Branch, Role


def secretary_branches(ctx: Context) -> list[Branch]:
    """The branches this person is an active secretary of, each once, by code."""
    found: dict[int, Branch] = {}
    for role in ctx.roles(Role.SECRETARY):
        if role.branch is not None:
            found[role.branch.id] = role.branch
    return sorted(found.values(), key=lambda b: b.code)


def is_secretary_of(ctx: Context, branch_id: int) -> bool:
    """True when the person is an active secretary of that branch."""
    return any(r.branch_id == branch_id for r in ctx.roles(Role.SECRETARY))


def led_district_ids(ctx: Context) -> list[int]:
    """The districts this person leads or administers (Ban Thường vụ Huyện đoàn, admin)."""
    ids = {r.district_id for r in ctx.roles(Role.LEADER, Role.ADMIN) if r.district_id}
    return sorted(i for i in ids if i is not None)


def leads_district_of(ctx: Context, branch: Branch) -> bool:
    """True when the branch lies in a district this person leads or administers."""
    return branch.unit.district_id in led_district_ids(ctx)
