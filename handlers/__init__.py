"""What the bot does, one module per capability; `ROUTERS` is the single place they are joined."""

from bot.engine.router import Router
from handlers import common, evidence, registration, youth

ROUTERS: list[Router] = [
    registration.router,
    common.router,
    evidence.router,
    youth.router,
]
