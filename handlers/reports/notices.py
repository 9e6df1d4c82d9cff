"""What the district's decisions tell the branch (trả lại, mở lại, duyệt), and what the branch's
answer tells the district (a returned report sent back corrected), through the notifier."""

from __future__ import annotations

from typing import Any

from handlers.notify.notifier import Notice, Notifier
from storage.models import Branch, MonthlyReport, Role
from storage.repositories.people import PeopleRepository

#: A button that runs /baocao, inside or outside a flow: one tap from a notice to the report.
REPORT_NOW = "cmd:baocao"
#: A button that runs /duyet: one tap from "sent back corrected" to the review list.
REVIEW_NOW = "cmd:duyet"


async def tell_branch(
    notifier: Notifier,
    report: MonthlyReport,
    *,
    kind: str,
    about: tuple[str, ...],
    message: str,
    fix: bool = True,
    **values: Any,
) -> int:
    """Queue `message` (with one tap to correct, when `fix`) to each secretary of the report's
    branch, on the chat that reaches them; returns how many secretaries it reaches (a notice
    already queued under the same key still reaches its reader, so it counts)."""
    holders = await notifier.uow.get(PeopleRepository).holders(
        Role.SECRETARY, branch_id=report.branch_id
    )
    notices = []
    for recipient in await notifier.reach(holders):
        f = notifier.speak(recipient)
        text = f.t(message, branch=report.branch.name, period=f.month(report.period), **values)
        choices = ((REPORT_NOW, f.t("admin.returned_fix")),) if fix else ()
        notices.append(Notice(kind, about, recipient, text, choices))
    await notifier.queue(notices)
    return len(notices)


async def tell_approved(notifier: Notifier, report: MonthlyReport, *, revision: int) -> int:
    """Duyệt: tell the branch's secretaries their report is approved (once per approval)."""
    return await tell_branch(
        notifier,
        report,
        kind="report_approved",
        about=(str(report.id), str(revision)),
        message="report.approved_message",
        fix=False,
    )


async def tell_reviewer(
    notifier: Notifier, report: MonthlyReport, branch: Branch, *, revision: int, correction: int
) -> int:
    """A returned report came back corrected: tell the leader who returned it, while they
    still lead its district (once per correction). Returns how many it reaches (0 or 1)."""
    people = notifier.uow.get(PeopleRepository)
    reviewer = None
    if report.reviewed_by_id is not None:
        reviewer = await people.holding(
            report.reviewed_by_id, (Role.LEADER, Role.ADMIN), district_id=branch.unit.district_id
        )
    notices = []
    for recipient in await notifier.reach([reviewer] if reviewer else []):
        f = notifier.speak(recipient)
        text = f.t(
            "admin.corrected_message",
            branch=branch.name,
            period=f.month(report.period),
            revision=correction,
        )
        review = ((REVIEW_NOW, f.t("admin.menu_review")),)
        about = (str(report.id), str(revision))
        notices.append(Notice("report_corrected", about, recipient, text, review))
    await notifier.queue(notices)
    return len(notices)
