"""Who has not reported (chưa nộp báo cáo): per grassroots unit, the branches and whom to tell."""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.notify.notifier import Notifier, Recipient
from handlers.reports.lifecycle import received
from storage.models import Branch, District, GrassrootsUnit, MonthlyReport, Role
from storage.repositories.recipients import RecipientRepository
from storage.repositories.reports import ReportRepository


@dataclass
class UnitPlan:
    """The branches of one grassroots unit that have not reported, with their secretaries."""

    unit: GrassrootsUnit
    branches: list[tuple[Branch, list[Recipient]]] = field(default_factory=list)
    #: branch id → its report for the period when one exists (a draft, or returned)
    reports: dict[int, MonthlyReport] = field(default_factory=dict)


async def pending(notifier: Notifier, district: District, period: str) -> list[UnitPlan]:
    """Per unit, the branches whose report for `period` is not sent, with whom to tell.

    A handful of queries for the whole district, however many branches it has: the reports and
    the secretaries are selected by district, and everyone is reached in one go."""
    uow = notifier.uow
    found = await uow.get(ReportRepository).for_district(district.id, period)
    reports = {r.branch_id: r for r in found}
    missing = [
        (unit, [b for b in unit.branches if not received(reports.get(b.id))])
        for unit in district.units
    ]
    holders = await uow.get(RecipientRepository).holders_by_branch(Role.SECRETARY, district.id)
    waiting = [p for _, branches in missing for b in branches for p in holders.get(b.id, [])]
    reached = {r.person.id: r for r in await notifier.reach(waiting)}
    plans = []
    for unit, branches in missing:
        if branches:
            plan = UnitPlan(unit)
            for branch in branches:
                people = [reached[p.id] for p in holders.get(branch.id, []) if p.id in reached]
                plan.branches.append((branch, people))
                if branch.id in reports:
                    plan.reports[branch.id] = reports[branch.id]
            plans.append(plan)
    return plans
