"""Who has not reported (chưa nộp báo cáo): per grassroots unit, the branches and whom to tell."""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.notify.notifier import Notifier, Recipient
from handlers.reports.lifecycle import SENT
from storage.models import Branch, District, GrassrootsUnit, Role
from storage.repositories.recipients import RecipientRepository
from storage.repositories.reports import ReportRepository


@dataclass
class UnitPlan:
    """The branches of one grassroots unit that have not reported, with their secretaries."""

    unit: GrassrootsUnit
    branches: list[tuple[Branch, list[Recipient]]] = field(default_factory=list)


async def pending(notifier: Notifier, district: District, period: str) -> list[UnitPlan]:
    """Per unit, the branches whose report for `period` is not sent, with whom to tell."""
    uow = notifier.uow
    reports = await uow.get(ReportRepository).for_district(district.id, period)
    status = {r.branch_id: r.status for r in reports}
    missing = [
        (unit, [b for b in unit.branches if status.get(b.id) not in SENT])
        for unit in district.units
    ]
    holders = await uow.get(RecipientRepository).holders_by_branch(
        Role.SECRETARY, (b.id for _, branches in missing for b in branches)
    )
    plans = []
    for unit, branches in missing:
        if branches:
            plan = UnitPlan(unit)
            for branch in branches:
                reached = await notifier.reach(holders.get(branch.id, []))
                plan.branches.append((branch, reached))
            plans.append(plan)
    return plans
