"""What the bot does, one module per capability; `ROUTERS` is the single place they are joined."""

from bot.engine.router import Router
from handlers import admin, common, registration
from handlers.dashboard.command import router as dashboard_router
from handlers.digest.close import due_monthly_close
from handlers.digest.due import due_digests
from handlers.evidence.flow import router as evidence_router
from handlers.reminders import command as remind_command
from handlers.reminders.scheduled import due_reminders
from handlers.report.commands import router as report_router
from handlers.scorecard.command import router as scorecard_router
from handlers.youth.commands import router as youth_router

ROUTERS: list[Router] = [
    registration.router,
    common.router,
    report_router,
    evidence_router,
    youth_router,
    remind_command.router,
    *admin.ROUTERS,
    scorecard_router,
    dashboard_router,
]

#: What the scheduler checks on every tick; each enqueues what is due into the outbox.
DUE_CHECKS = [
    due_reminders,
    due_digests,
    due_monthly_close,
]
