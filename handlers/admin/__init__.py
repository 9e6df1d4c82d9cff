"""Commands for district leaders and admins: status, digest, export, invite, broadcast, review."""

from bot.engine.router import Router
from handlers.admin import broadcast, digest_now, export_cmd, invite_cmd, reopen, review, status

ROUTERS: list[Router] = [
    status.router,
    digest_now.router,
    export_cmd.router,
    review.router,
    reopen.router,
    invite_cmd.router,
    broadcast.router,
]
