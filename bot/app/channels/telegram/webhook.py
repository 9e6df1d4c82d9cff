"""The webhook route: Telegram POSTs updates to our shared web server."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from telegram import Bot, Update

from bot.app.web.server import RouteHandler

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

#: Where a parsed update goes (the PTB application's update queue).
Enqueue = Callable[[Update], Awaitable[None]]


def webhook_route(secret: str, bot: Bot, enqueue: Enqueue) -> RouteHandler:
    """A POST handler: secret checked first, then the JSON body parsed and queued."""
    expected = secret.encode("utf-8")

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8")
        # Constant time, and before the body is read: a wrong caller learns nothing.
        if not hmac.compare_digest(given, expected):
            log.warning("telegram webhook: wrong or missing secret from %s", request.remote)
            return web.Response(status=403, text="forbidden")
        body = await request.read()
        try:
            payload = json.loads(body)
            if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
                raise ValueError("not an update object")
            update = Update.de_json(payload, bot)
        except (ValueError, TypeError, LookupError, AttributeError) as exc:
            # Update.de_json trusts its input's shape; anything off is the sender's fault.
            log.warning("telegram webhook: malformed update (%s): %.200r", exc, body)
            return web.Response(status=400, text="malformed update")
        await enqueue(update)
        return web.Response(status=200, text="ok")

    return receive
