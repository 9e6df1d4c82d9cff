"""A fake Telegram Bot API server (aiohttp) that records every call and answers like the real one.

Serves getMe, getUpdates (long poll over a queue the test pushes into), sendMessage,
editMessageText, editMessageCaption, editMessageReplyMarkup, answerCallbackQuery, getFile and the
file download route, sendPhoto, sendDocument, sendMediaGroup, setMyCommands, setWebhook,
deleteWebhook and getWebhookInfo. HTML is parsed into text + entities the way Telegram does, and
the limits that matter to us (4096-character texts, 1024-character captions, 64-byte callback
data, 2–10 photos an album, uploads named by `attach://`) are enforced.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.telegram.telegram_rules import (
    SENDS,
    ApiCall,
    ApiError,
    FloodControl,
    parse_html,
    read_request,
    utf16_len,
)

TOKEN = "123456:TEST-fake-token"
BOT_ID = 123456


@dataclass
class StoredFile:
    file_id: str
    data: bytes
    path: str
    reachable: bool = True


class FakeBotApi:
    """Start with `await api.start()`; point PTB at `base_url` / `file_base_url`."""

    def __init__(self, *, username: str = "chidoan_test_bot", token: str = TOKEN) -> None:
        self.username = username
        self.token = token
        self.calls: list[ApiCall] = []
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.files: dict[str, StoredFile] = {}
        self.webhook_url = ""
        self.blocked_chats: set[int] = set()
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._failures: dict[str, list[ApiError]] = {}
        #: Set to enforce the flood limits (benchmarks); None accepts everything.
        self.flood: FloodControl | None = None
        #: (monotonic time, chat id, text or caption) of every message the bot posted.
        self.delivered: list[tuple[float, int, str]] = []
        self._changed = asyncio.Condition()
        self._confirmed = 0  # the highest offset getUpdates has been called with
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.port = 0

    # -- server ------------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        async with self._changed:
            self._closing = True  # ends a long poll still held open, so shutdown is quick
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def file_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # -- what tests do -----------------------------------------------------------------------
    def next_update_id(self) -> int:
        return next(self._update_ids)

    def next_message_id(self) -> int:
        return next(self._message_ids)

    async def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for getUpdates (polling mode)."""
        async with self._changed:
            self._updates.append(update)
            self._changed.notify_all()

    async def wait_confirmed(self, update_id: int, within: float = 10) -> None:
        """Until getUpdates was called with an offset past `update_id` (PTB then has it queued)."""
        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(lambda: self._confirmed > update_id)

    def add_file(self, data: bytes, *, reachable: bool = True, suffix: str = "jpg") -> StoredFile:
        """A file the bot can fetch with getFile (an unreachable one fails the download)."""
        n = next(self._file_ids)
        stored = StoredFile(f"FILE{n:04d}", data, f"photos/file_{n}.{suffix}", reachable)
        self.files[stored.file_id] = stored
        return stored

    def fail(
        self,
        method: str,
        status: int,
        description: str,
        parameters: dict[str, Any] | None = None,
        *,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` fail like Telegram would."""
        errors = self._failures.setdefault(method, [])
        errors.extend(ApiError(status, description, parameters) for _ in range(times))

    def calls_to(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method]

    def chat_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """Messages the bot sent to a chat, oldest first, as they are now (after edits)."""
        return [m for (c, _), m in sorted(self.messages.items()) if c == chat_id]

    @property
    def bot_user(self) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Chi đoàn", "username": self.username}

    # -- request handling --------------------------------------------------------------------
    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params, files = await read_request(request)
        call = ApiCall(method, params, files)
        self.calls.append(call)
        try:
            failures = self._failures.get(method)
            if failures:
                raise failures.pop(0)
            self._flood_check(method, params)
            handler = self._methods().get(method)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            result = await handler(call)
        except ApiError as exc:
            body: dict[str, Any] = {
                "ok": False,
                "error_code": exc.status,
                "description": exc.description,
            }
            if exc.parameters:
                body["parameters"] = exc.parameters
            return web.json_response(body, status=exc.status)
        finally:
            async with self._changed:
                self._changed.notify_all()
        return web.json_response({"ok": True, "result": result})

    def _flood_check(self, method: str, params: dict[str, str]) -> None:
        if self.flood is None or method not in SENDS or "chat_id" not in params:
            return
        wait = self.flood.take(int(params["chat_id"]), time.monotonic())
        if wait:
            raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})

    async def wait_for_message(self, chat_id: int, seen: int, within: float = 30) -> float:
        """Until the bot has posted more than `seen` messages in the chat; the newest's time."""

        def posted() -> list[float]:
            return [at for at, chat, _ in self.delivered if chat == chat_id]

        async with asyncio.timeout(within), self._changed:
            await self._changed.wait_for(lambda: len(posted()) > seen)
        return posted()[seen]

    async def _download(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        self.calls.append(ApiCall("download", {"path": path}))
        for stored in self.files.values():
            if (
                stored.path == path
                and stored.reachable
                and request.match_info["token"] == (self.token)
            ):
                return web.Response(body=stored.data, content_type="image/jpeg")
        return web.Response(status=404, text="Not Found")

    def _methods(self) -> dict[str, Callable[[ApiCall], Awaitable[Any]]]:
        return {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "sendMediaGroup": self._send_media_group,
            "editMessageText": self._edit_text,
            "editMessageCaption": self._edit_caption,
            "editMessageReplyMarkup": self._edit_markup,
            "answerCallbackQuery": self._true,
            "getFile": self._get_file,
            "setMyCommands": self._set_commands,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._webhook_info,
        }

    async def _true(self, _call: ApiCall) -> bool:
        return True

    async def _get_me(self, _call: ApiCall) -> dict[str, Any]:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _get_updates(self, call: ApiCall) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(call.params.get("offset", 0))
        timeout = float(call.params.get("timeout", 0))
        async with self._changed:
            self._confirmed = max(self._confirmed, offset)
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self._changed.notify_all()
            if not self._updates and timeout > 0:
                try:
                    async with asyncio.timeout(timeout):
                        await self._changed.wait_for(lambda: bool(self._updates) or self._closing)
                except TimeoutError:
                    pass
            return list(self._updates)

    # -- messages ----------------------------------------------------------------------------
    def _markup(self, call: ApiCall) -> dict[str, Any] | None:
        if "reply_markup" not in call.params:
            return None
        markup: dict[str, Any] = call.json("reply_markup")
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data", "")
                if not 1 <= len(data.encode("utf-8")) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _text(self, call: ApiCall, key: str, limit: int) -> tuple[str, list[dict[str, Any]]]:
        raw = call.params.get(key, "")
        if call.params.get("parse_mode") == "HTML":
            text, entities = parse_html(raw)
        else:
            text, entities = raw, []
        if utf16_len(text) > limit:
            too_long = "message is too long" if key == "text" else "message caption is too long"
            raise ApiError(400, f"Bad Request: {too_long}")
        return text, entities

    def _new_message(self, call: ApiCall, **content: Any) -> dict[str, Any]:
        chat_id = int(call.params["chat_id"])
        message = {
            "message_id": self.next_message_id(),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": self.bot_user,
            **content,
        }
        if chat_id in self.blocked_chats:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if (markup := self._markup(call)) is not None:
            message["reply_markup"] = markup
        self.messages[(chat_id, message["message_id"])] = message
        words = content.get("text") or content.get("caption") or ""
        self.delivered.append((time.monotonic(), chat_id, words))
        return message

    async def _send_message(self, call: ApiCall) -> dict[str, Any]:
        text, entities = self._text(call, "text", 4096)
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        return self._new_message(call, text=text, **({"entities": entities} if entities else {}))

    def _caption(self, call: ApiCall) -> dict[str, Any]:
        caption, entities = self._text(call, "caption", 1024)
        out: dict[str, Any] = {"caption": caption} if caption else {}
        if entities:
            out["caption_entities"] = entities
        return out

    async def _send_photo(self, call: ApiCall) -> dict[str, Any]:
        data = call.files.get("photo")
        if not data:
            raise ApiError(400, "Bad Request: there is no photo in the request")
        stored = self.add_file(data)
        size = {"file_id": stored.file_id, "file_unique_id": stored.file_id, "width": 800,
                "height": 600, "file_size": len(data)}  # fmt: skip
        return self._new_message(call, photo=[size], **self._caption(call))

    async def _send_media_group(self, call: ApiCall) -> list[dict[str, Any]]:
        """An album: 2–10 InputMediaPhoto, each uploaded file named by `attach://<name>`; every
        message of it shares one media_group_id, and a caption shows under the album."""
        media = call.json("media") if "media" in call.params else []
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise ApiError(400, "Bad Request: media must include 2-10 items")
        group = f"album{next(self._file_ids)}"
        sent = []
        for item in media:
            if item.get("type") != "photo":
                raise ApiError(400, "Bad Request: only photos are expected in this album")
            data = call.files.get(str(item.get("media", "")).removeprefix("attach://"))
            if not str(item.get("media", "")).startswith("attach://") or not data:
                raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
            caption = ApiCall(call.method, {"caption": item.get("caption", ""),
                                            "parse_mode": item.get("parse_mode", "")})  # fmt: skip
            stored = self.add_file(data)
            size = {"file_id": stored.file_id, "file_unique_id": stored.file_id, "width": 800,
                    "height": 600, "file_size": len(data)}  # fmt: skip
            sent.append(
                self._new_message(
                    call, photo=[size], media_group_id=group, **self._caption(caption)
                )
            )
        return sent

    async def _send_document(self, call: ApiCall) -> dict[str, Any]:
        data = call.files.get("document")
        if not data:
            raise ApiError(400, "Bad Request: there is no document in the request")
        stored = self.add_file(data, suffix="bin")
        document = {"file_id": stored.file_id, "file_unique_id": stored.file_id,
                    "file_size": len(data)}  # fmt: skip
        return self._new_message(call, document=document, **self._caption(call))

    def _stored(self, call: ApiCall) -> dict[str, Any]:
        key = (int(call.params["chat_id"]), int(call.params["message_id"]))
        if key not in self.messages:
            raise ApiError(400, "Bad Request: message to edit not found")
        return self.messages[key]

    def _set_markup(self, message: dict[str, Any], call: ApiCall) -> None:
        markup = self._markup(call)
        if markup is None or not markup.get("inline_keyboard"):
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup

    async def _edit_text(self, call: ApiCall) -> dict[str, Any]:
        message = self._stored(call)
        text, entities = self._text(call, "text", 4096)
        if text == message.get("text") and "reply_markup" not in message:
            raise ApiError(400, "Bad Request: message is not modified")
        message["text"] = text
        message.pop("entities", None)
        if entities:
            message["entities"] = entities
        self._set_markup(message, call)
        return message

    async def _edit_caption(self, call: ApiCall) -> dict[str, Any]:
        message = self._stored(call)
        message.pop("caption_entities", None)
        message.update(self._caption(call))
        self._set_markup(message, call)
        return message

    async def _edit_markup(self, call: ApiCall) -> dict[str, Any]:
        message = self._stored(call)
        self._set_markup(message, call)
        return message

    # -- files, menus, webhooks ------------------------------------------------------------
    async def _get_file(self, call: ApiCall) -> dict[str, Any]:
        stored = self.files.get(call.params.get("file_id", ""))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if len(stored.data) > 20 * 1024 * 1024:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_id,
            "file_size": len(stored.data),
            "file_path": stored.path,
        }

    async def _set_commands(self, call: ApiCall) -> bool:
        scope = call.json("scope") if "scope" in call.params else {"type": "default"}
        where = str(scope.get("chat_id", scope["type"]))
        if scope.get("chat_id") in self.blocked_chats:
            raise ApiError(400, "Bad Request: chat not found")
        self.commands[(where, call.params.get("language_code", ""))] = call.json("commands")
        return True

    async def _set_webhook(self, call: ApiCall) -> bool:
        self.webhook_url = call.params["url"]
        return True

    async def _delete_webhook(self, _call: ApiCall) -> bool:
        self.webhook_url = ""
        return True

    async def _webhook_info(self, _call: ApiCall) -> dict[str, Any]:
        return {"url": self.webhook_url, "has_custom_certificate": False, "pending_update_count": 0}
