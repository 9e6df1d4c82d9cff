"""A small Zalo Bot Platform API client on aiohttp: one session, timeouts, typed results."""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.app.channels.zalo.updates import ZaloUpdate, parse_update

log = logging.getLogger(__name__)

#: When a 429 names no wait, wait this long (seconds).
DEFAULT_RETRY_AFTER = 10.0
#: getUpdates' answer when nothing arrived during the long poll.
POLL_TIMEOUT_CODE = 408


class ZaloApiError(Exception):
    """The platform refused a call: `code` is its error_code (or the HTTP status)."""

    def __init__(self, method: str, code: int, description: str = "") -> None:
        super().__init__(f"Zalo {method} failed: {code} {description}".rstrip())
        self.method = method
        self.code = code
        self.description = description


class ZaloUnauthorized(ZaloApiError):
    """401: the bot token is wrong or was revoked."""


class ZaloRateLimited(ZaloApiError):
    """429: quota exceeded; `retry_after` seconds is how long to wait (RetryLater-compatible)."""

    def __init__(self, method: str, code: int, description: str, retry_after: float) -> None:
        super().__init__(method, code, description)
        self.retry_after = retry_after


class ZaloServerError(ZaloApiError):
    """5xx, or an answer that is not the JSON envelope: the platform is having trouble."""


class ZaloNetworkError(ZaloApiError):
    """No answer at all: connection refused, reset, or timed out."""

    def __init__(self, method: str, description: str) -> None:
        super().__init__(method, 0, description)


@dataclass(frozen=True, slots=True)
class BotInfo:
    """getMe: who the bot is."""

    id: str
    account_name: str
    account_type: str = ""
    can_join_groups: bool = False


@dataclass(frozen=True, slots=True)
class SentMessage:
    """sendMessage / sendPhoto: the id and date (milliseconds) of what was sent."""

    message_id: str
    date: int = 0


@dataclass(frozen=True, slots=True)
class WebhookInfo:
    """getWebhookInfo: where updates go (empty url: long polling)."""

    url: str
    updated_at: int = 0


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How 429 and 5xx are retried: `attempts` in all, waits doubling from `base` up to `cap`."""

    attempts: int = 4
    base: float = 0.5
    cap: float = 8.0

    def wait(self, attempt: int) -> float:
        """Exponential backoff with a little jitter so several workers do not retry in step."""
        delay = min(self.cap, self.base * (2**attempt))
        return delay * (0.8 + 0.4 * random.random())


def _retry_after(body: dict[str, Any], headers: Any) -> float | None:
    """The wait a 429 asks for, wherever the platform put it."""
    parameters = body.get("parameters")
    candidates = [
        parameters.get("retry_after") if isinstance(parameters, dict) else None,
        body.get("retry_after"),
        headers.get("Retry-After") if headers is not None else None,
    ]
    for value in candidates:
        try:
            if value is not None and float(value) >= 0:
                return float(value)
        except (TypeError, ValueError):
            continue
    return None


class ZaloClient:
    """`POST {base}/bot{TOKEN}/{method}` with a JSON body; one session for the client's life."""

    def __init__(
        self,
        token: str,
        base_url: str = "https://bot-api.zaloplatforms.com",
        *,
        request_timeout: float = 20.0,
        retry: RetryPolicy | None = None,
    ) -> None:
        if not token:
            raise ValueError("a Zalo bot token is required")
        self._token = token
        self.base_url = base_url.rstrip("/")
        self.request_timeout = request_timeout
        self.retry = retry or RetryPolicy()
        self._session: aiohttp.ClientSession | None = None

    def __repr__(self) -> str:  # never show the token
        return f"ZaloClient({self.base_url!r})"

    @property
    def session(self) -> aiohttp.ClientSession:
        """The one HTTP session (also used to download photos), opened on first use."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def __aenter__(self) -> ZaloClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _redact(self, text: str) -> str:
        return text.replace(self._token, "<token>")

    async def call(
        self, method: str, body: dict[str, Any] | None = None, *, seconds: float | None = None
    ) -> Any:
        """One API call with 429/5xx retried; returns `result` or raises a `ZaloApiError`."""
        attempt = 0
        while True:
            try:
                return await self._call_once(method, body or {}, seconds or self.request_timeout)
            except (ZaloRateLimited, ZaloServerError) as exc:
                attempt += 1
                if attempt >= self.retry.attempts:
                    raise
                wait = self.retry.wait(attempt - 1)
                if isinstance(exc, ZaloRateLimited):
                    wait = max(wait, min(exc.retry_after, self.retry.cap))
                log.warning("Zalo %s: %s; retrying in %.1fs", method, exc.code, wait)
                await asyncio.sleep(wait)

    async def _call_once(self, method: str, body: dict[str, Any], seconds: float) -> Any:
        url = f"{self.base_url}/bot{self._token}/{method}"
        try:
            async with self.session.post(
                url, json=body, timeout=aiohttp.ClientTimeout(total=seconds)
            ) as response:
                status = response.status
                headers = response.headers
                try:
                    payload = await response.json(content_type=None)
                except (ValueError, aiohttp.ContentTypeError):
                    payload = None
        except TimeoutError:
            raise ZaloNetworkError(method, f"no answer within {seconds:g}s") from None
        except aiohttp.ClientError as exc:
            # aiohttp's messages may quote the URL, which holds the token.
            raise ZaloNetworkError(method, self._redact(type(exc).__name__)) from None
        return self._unwrap(method, status, headers, payload)

    def _unwrap(self, method: str, status: int, headers: Any, payload: Any) -> Any:
        """The envelope `{ok, result | error_code, description}` → result or typed error."""
        if not isinstance(payload, dict) or "ok" not in payload:
            if status == 401:
                raise ZaloUnauthorized(method, status, "unauthorized")
            if status == 429:
                raise ZaloRateLimited(method, status, "", _retry_after({}, headers) or 0.0)
            if status >= 500 or status < 400:
                raise ZaloServerError(method, status, "answer is not the JSON envelope")
            raise ZaloApiError(method, status, "answer is not the JSON envelope")
        if payload.get("ok") is True:
            return payload.get("result")
        raw_code = payload.get("error_code", status)
        code = raw_code if isinstance(raw_code, int) else status
        description = self._redact(str(payload.get("description", "")))
        if code == 401:
            raise ZaloUnauthorized(method, code, description)
        if code == 429:
            wait = _retry_after(payload, headers)
            wait = DEFAULT_RETRY_AFTER if wait is None else wait
            raise ZaloRateLimited(method, code, description, wait)
        if code >= 500:
            raise ZaloServerError(method, code, description)
        raise ZaloApiError(method, code, description)

    async def get_me(self) -> BotInfo:
        result = await self.call("getMe")
        data = result if isinstance(result, dict) else {}
        return BotInfo(
            id=str(data.get("id", "")),
            account_name=str(data.get("account_name") or data.get("name") or ""),
            account_type=str(data.get("account_type", "")),
            can_join_groups=bool(data.get("can_join_groups", False)),
        )

    async def get_updates(self, poll_seconds: int = 30) -> list[ZaloUpdate]:
        """Long poll; an empty list when nothing arrived (the platform answers 408)."""
        try:
            result = await self.call(
                "getUpdates",
                {"timeout": poll_seconds},
                seconds=poll_seconds + self.request_timeout,
            )
        except ZaloApiError as exc:
            if exc.code == POLL_TIMEOUT_CODE:
                return []
            raise
        raw = result if isinstance(result, list) else [result] if result else []
        updates = []
        for item in raw:
            try:
                updates.append(parse_update(item))
            except ValueError as exc:
                log.warning("Zalo: skipped a malformed update: %s", exc)
        return updates

    async def set_webhook(self, url: str, secret_token: str) -> bool:
        if not 8 <= len(secret_token) <= 256:
            raise ValueError("the webhook secret must be 8 to 256 characters")
        return bool(await self.call("setWebhook", {"url": url, "secret_token": secret_token}))

    async def delete_webhook(self) -> bool:
        return bool(await self.call("deleteWebhook"))

    async def get_webhook_info(self) -> WebhookInfo:
        result = await self.call("getWebhookInfo")
        data = result if isinstance(result, dict) else {}
        url = str(data.get("url") or "")
        return WebhookInfo(url=url, updated_at=int(data.get("updated_at") or 0))

    async def send_message(self, chat_id: str, text: str) -> SentMessage:
        return _sent(await self.call("sendMessage", {"chat_id": chat_id, "text": text}))

    async def send_photo(self, chat_id: str, photo: str, caption: str = "") -> SentMessage:
        body: dict[str, Any] = {"chat_id": chat_id, "photo": photo}
        if caption:
            body["caption"] = caption
        return _sent(await self.call("sendPhoto", body))

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> bool:
        return bool(await self.call("sendChatAction", {"chat_id": chat_id, "action": action}))


def _sent(result: Any) -> SentMessage:
    data = result if isinstance(result, dict) else {}
    return SentMessage(message_id=str(data.get("message_id", "")), date=int(data.get("date") or 0))
