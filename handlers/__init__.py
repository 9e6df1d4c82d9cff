"""What the bot does, one module per capability; `ROUTERS` is the single place they are joined."""

from bot.engine.router import Router
from bot.scheduler import DueCheck
from handlers import admin, common, evidence, registration, remind_command, reminders, youth
from handlers.dashboard.command import router as dashboard_router
from handlers.digest.close import due_monthly_close
from handlers.digest.due import due_digests
from handlers.report.commands import router as report_router
from handlers.scorecard.command import router as scorecard_router

ROUTERS: list[Router] = [
    registration.router,
    common.router,
    report_router,
    evidence.router,
    youth.router,
    remind_command.router,
    *admin.ROUTERS,
    scorecard_router,
    dashboard_router,
]

#: What the scheduler checks on every tick; each enqueues what is due into the outbox.
DUE_CHECKS: list[DueCheck] = [
    reminders.due_reminders,
    due_digests,
    due_monthly_close,
]
