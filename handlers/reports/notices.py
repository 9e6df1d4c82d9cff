"""What the district's decisions tell the branch (trả lại, mở lại), through the notifier."""

from __future__ import annotations

from typing import Any

from handlers.notify.notifier import Notice, Notifier
from storage.models import MonthlyReport, Role
from storage.repositories.people import PeopleRepository

#: A button that runs /baocao, inside or outside a flow: one tap from a notice to the report.
REPORT_NOW = "cmd:baocao"


async def tell_branch(
    notifier: Notifier,
    report: MonthlyReport,
    *,
    kind: str,
    about: tuple[str, ...],
    message: str,
    **values: Any,
) -> int:
    """Queue `message` (with one tap to correct) to each secretary of the report's branch, on
    the chat that reaches them; returns how many secretaries it reaches (a notice already
    queued under the same key still reaches its reader, so it counts)."""
    holders = await notifier.uow.get(PeopleRepository).holders(
        Role.SECRETARY, branch_id=report.branch_id
    )
    notices = []
    for recipient in await notifier.reach(holders):
        f = notifier.speak(recipient)
        text = f.t(message, branch=report.branch.name, period=f.month(report.period), **values)
        fix = ((REPORT_NOW, f.t("admin.returned_fix")),)
        notices.append(Notice(kind, about, recipient, text, fix))
    await notifier.queue(notices)
    return len(notices)
