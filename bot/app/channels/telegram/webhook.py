"""The webhook route: Telegram POSTs updates to our shared web server.

The answer is sent only once the update is handled: 200 when the engine committed it (or it
was a duplicate), 503 when it could not be stored, so Telegram delivers it again later.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from telegram import Bot, Update

from bot.app.web.server import BodyTooSlow, RouteHandler, read_body, too_slow
from bot.engine.types import NotStored

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

#: Handles a parsed update completely (the channel's `process`); may raise `NotStored`.
Process = Callable[[Update], Awaitable[None]]


def webhook_route(secret: str, bot: Bot, process: Process) -> RouteHandler:
    """A POST handler: secret checked first, then the JSON body parsed and handled."""
    expected = secret.encode("utf-8")

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8")
        # Constant time, and before the body is read: a wrong caller learns nothing.
        if not hmac.compare_digest(given, expected):
            log.warning("telegram webhook: wrong or missing secret from %s", request.remote)
            return web.Response(status=403, text="forbidden")
        try:
            body = await read_body(request)
        except BodyTooSlow:
            return too_slow()
        try:
            payload = json.loads(body)
            if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
                raise ValueError("not an update object")
            update = Update.de_json(payload, bot)
        except (ValueError, TypeError, LookupError, AttributeError, RecursionError) as exc:
            # Update.de_json trusts its input's shape; anything off is the sender's fault. The
            # body itself is not logged: it may hold what someone wrote.
            log.warning(
                "telegram webhook: malformed update (%s, %s bytes)", type(exc).__name__, len(body)
            )
            return web.Response(status=400, text="malformed update")
        try:
            await process(update)
        except NotStored:
            return web.Response(status=503, text="not stored; deliver again later")
        except Exception:
            # A bug of ours after parsing: delivering it again would fail the same way.
            log.exception("telegram update %s failed", update.update_id)
        return web.Response(status=200, text="ok")

    return receive
