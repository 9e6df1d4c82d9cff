"""A fake Zalo Bot Platform on 127.0.0.1: the documented methods, envelopes, events, photos."""

from __future__ import annotations

import asyncio
import contextlib
import io
import itertools
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web
from PIL import Image

TOKEN = "1234567890:fake-zalo-secret-token"
SECRET_HEADER = "X-Bot-Api-Secret-Token"


def png_bytes(color: str = "red", size: tuple[int, int] = (8, 8)) -> bytes:
    """A real little PNG, as a phone would send."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def envelope_error(code: int, description: str) -> dict[str, Any]:
    return {"ok": False, "error_code": code, "description": description}


_message_ids = itertools.count(1)


def _message(user_id: str, name: str, **fields: Any) -> dict[str, Any]:
    return {
        "from": {"id": user_id, "display_name": name, "is_bot": False},
        "chat": {"id": user_id, "chat_type": "PRIVATE"},
        "message_id": f"mid{next(_message_ids):06d}",
        "date": int(time.time() * 1000),
        **fields,
    }


def text_event(user_id: str, name: str, text: str) -> dict[str, Any]:
    return {"event_name": "message.text.received", "message": _message(user_id, name, text=text)}


def image_event(
    user_id: str, name: str, url: str, caption: str = "", key: str = "photo"
) -> dict[str, Any]:
    """The image event: the URL in `photo` (documented) or `photo_url` (one SDK)."""
    fields: dict[str, Any] = {key: url}
    if caption:
        fields["caption"] = caption
    return {"event_name": "message.image.received", "message": _message(user_id, name, **fields)}


def other_event(user_id: str, name: str, event_name: str) -> dict[str, Any]:
    """Stickers, voice, and what the platform hides (message.unsupported.received)."""
    return {"event_name": event_name, "message": _message(user_id, name)}


@dataclass
class Call:
    """One API call as the fake received it."""

    method: str
    body: dict[str, Any]
    accepted: bool = False  # answered {"ok": true}


@dataclass
class HeldSend:
    """A sendMessage the platform holds until the test delivers it or drops it (the sender may
    be killed meanwhile: what matters is whether the platform had delivered the message)."""

    after: int  # sendMessage calls let through before this one
    reached: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)
    call: Call | None = None

    def deliver(self) -> None:
        assert self.call is not None
        self.call.accepted = True
        self.released.set()

    def drop(self) -> None:
        self.released.set()


class FakeZalo:
    """Serves `POST /bot<TOKEN>/<method>` and photo URLs; records every call.

    `fail(method, status, envelope)` scripts the next answers of a method; `push(event)` hands an
    update to the bot: into the getUpdates queue, or POSTed to the webhook once one is set.
    """

    def __init__(
        self, token: str = TOKEN, *, poll_wait: float = 0.3, fetch_photos: bool = False
    ) -> None:
        self.token = token
        self.poll_wait = poll_wait
        #: Fetch each sendPhoto's URL as the platform does, refusing the call when it fails.
        self.fetch_photos = fetch_photos
        #: URL → the bytes fetched from it, for every photo sent while `fetch_photos` is on.
        self.fetched: dict[str, bytes] = {}
        self.calls: list[Call] = []
        self.rejected = 0  # calls refused for a wrong token
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.scripted: dict[str, list[tuple[int, dict[str, Any] | str, dict[str, str]]]] = (
            defaultdict(list)
        )
        self.webhook_url = ""
        self.webhook_secret = ""
        self.media: dict[str, bytes] = {}
        self.media_delay: dict[str, float] = {}
        self.chunked: set[str] = set()
        self._closing = asyncio.Event()
        self._hold: HeldSend | None = None
        self._sent_ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._api)
        app.router.add_get("/media/{name}", self._media)
        self.app = app
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def media_url(self, name: str) -> str:
        return f"{self.base_url}/media/{name}"

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._http = aiohttp.ClientSession()

    async def stop(self) -> None:
        self._closing.set()
        if self._http is not None:
            await self._http.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- scripting and inspection -------------------------------------------------------------

    def fail(
        self, method: str, status: int, description: str = "", times: int = 1, **extra: Any
    ) -> None:
        """The next `times` calls of `method` answer this error envelope."""
        body = envelope_error(status, description or f"error {status}") | extra
        headers = {"Retry-After": str(extra["retry_after"])} if "retry_after" in extra else {}
        self.scripted[method].extend([(status, body, headers)] * times)

    def answer_html(self, method: str, status: int) -> None:
        """The next call of `method` gets an HTML error page, as a proxy in front might send."""
        self.scripted[method].append((status, "<html><body>Bad gateway</body></html>", {}))

    def hold_send(self, after: int = 0) -> HeldSend:
        """Hold the sendMessage that comes after `after` more have gone through."""
        self._hold = HeldSend(after)
        return self._hold

    def delivered(self) -> list[str]:
        """Texts of every sendMessage the platform accepted, in order."""
        return [c.body["text"] for c in self.calls if c.method == "sendMessage" and c.accepted]

    def called(self, method: str) -> list[dict[str, Any]]:
        return [c.body for c in self.calls if c.method == method]

    def sent_to(self, chat_id: str) -> list[str]:
        """What the bot said in a chat: message texts and photo captions, in order."""
        out = []
        for call in self.calls:
            if call.body.get("chat_id") != chat_id or not call.accepted:
                continue
            if call.method == "sendMessage":
                out.append(call.body["text"])
            elif call.method == "sendPhoto":
                out.append(call.body.get("caption", ""))
        return out

    async def push(self, event: dict[str, Any]) -> int:
        """Deliver an update: queued for getUpdates, or POSTed to the webhook (returns status)."""
        if not self.webhook_url:
            await self.queue.put(event)
            return 200
        assert self._http is not None
        async with self._http.post(
            self.webhook_url,
            json={"ok": True, "result": event},
            headers={SECRET_HEADER: self.webhook_secret},
        ) as response:
            return response.status

    # -- the API -------------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            self.rejected += 1
            return web.json_response(envelope_error(401, "Unauthorized"), status=401)
        method = request.match_info["method"]
        try:
            body = await request.json()
        except ValueError:
            return web.json_response(envelope_error(400, "Bad Request"), status=400)
        call = Call(method, body if isinstance(body, dict) else {})
        self.calls.append(call)
        if method == "sendMessage" and (held := self._held(call)) is not None:
            await held.released.wait()
            return web.json_response({"ok": True, "result": self._sent()})
        if self.scripted[method]:
            status, answer, headers = self.scripted[method].pop(0)
            if isinstance(answer, str):
                return web.Response(status=status, text=answer, content_type="text/html")
            return web.json_response(answer, status=status, headers=headers)
        handler = getattr(self, "_m_" + method, None)
        if handler is None:
            return web.json_response(envelope_error(404, "Not Found"), status=404)
        result = await handler(call.body)
        if isinstance(result, web.Response):
            return result
        call.accepted = True
        return web.json_response({"ok": True, "result": result})

    def _held(self, call: Call) -> HeldSend | None:
        held = self._hold
        if held is None:
            return None
        if held.after > 0:
            held.after -= 1
            return None
        self._hold, held.call = None, call
        held.reached.set()
        return held

    def _now_ms(self) -> int:
        return int(time.time() * 1000)

    async def _m_getMe(self, _body: dict[str, Any]) -> Any:
        return {
            "id": self.token.split(":")[0],
            "account_name": "bot.chidoan",
            "account_type": "BASIC",
            "can_join_groups": False,
        }

    async def _m_getUpdates(self, body: dict[str, Any]) -> Any:
        wait = min(float(body.get("timeout", 30)), self.poll_wait)
        try:
            return await asyncio.wait_for(self.queue.get(), wait)
        except TimeoutError:
            return web.json_response(envelope_error(408, "Request timeout"), status=408)

    async def _m_setWebhook(self, body: dict[str, Any]) -> Any:
        url, secret = body.get("url", ""), body.get("secret_token", "")
        if not url or not 8 <= len(secret) <= 256:
            return web.json_response(envelope_error(400, "Bad Request"), status=400)
        self.webhook_url, self.webhook_secret = url, secret
        return {"url": url, "updated_at": self._now_ms()}

    async def _m_deleteWebhook(self, _body: dict[str, Any]) -> Any:
        self.webhook_url = self.webhook_secret = ""
        return {"url": "", "updated_at": self._now_ms()}

    async def _m_getWebhookInfo(self, _body: dict[str, Any]) -> Any:
        return {"url": self.webhook_url, "updated_at": self._now_ms()}

    def _sent(self) -> dict[str, Any]:
        return {"message_id": f"sent{next(self._sent_ids)}", "date": self._now_ms()}

    async def _m_sendMessage(self, body: dict[str, Any]) -> Any:
        text = body.get("text")
        if not body.get("chat_id") or not isinstance(text, str) or not 1 <= len(text) <= 2000:
            return web.json_response(envelope_error(400, "Bad Request"), status=400)
        return self._sent()

    async def _m_sendPhoto(self, body: dict[str, Any]) -> Any:
        """`photo` is a URL the platform fetches; a caption of at most 2000 characters."""
        photo, caption = body.get("photo"), body.get("caption", "")
        if not body.get("chat_id") or not isinstance(photo, str) or len(caption) > 2000:
            return web.json_response(envelope_error(400, "Bad Request"), status=400)
        if self.fetch_photos and not await self._fetch(photo):
            return web.json_response(envelope_error(400, "Bad Request: photo url"), status=400)
        return self._sent()

    async def _fetch(self, url: str) -> bool:
        """Download a photo sent by URL, as the platform's servers do before delivering it."""
        assert self._http is not None
        try:
            async with self._http.get(url) as response:
                if response.status != 200 or not response.content_type.startswith("image/"):
                    return False
                self.fetched[url] = await response.read()
        except aiohttp.ClientError:
            return False
        return True

    async def _m_sendChatAction(self, body: dict[str, Any]) -> Any:
        return body.get("action") == "typing"

    # -- photo URLs, as Zalo's CDN would serve them ---------------------------------------------

    async def _media(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in self.media:
            return web.Response(status=404)
        delay = self.media_delay.get(name, 0.0)
        if delay:
            # Wakes early when the fake stops, so shutdown never waits on a slow photo.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), delay)
        data = self.media[name]
        if name not in self.chunked:
            return web.Response(body=data, content_type="image/png")
        response = web.StreamResponse(headers={"Content-Type": "image/png"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(data), 32 * 1024):
            await response.write(data[start : start + 32 * 1024])
        await response.write_eof()
        return response
