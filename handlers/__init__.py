"""What the bot does, one module per capability; `ROUTERS` is the single place they are joined."""

from bot.engine.router import Router
from handlers import common, registration
from handlers.report.commands import router as report_router

ROUTERS: list[Router] = [
    registration.router,
    common.router,
    report_router,
]
