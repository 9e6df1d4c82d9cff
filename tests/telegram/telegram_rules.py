"""What our fake Bot API does as Telegram does: it reads a call sent as a form or as JSON,
parses the HTML parse mode into text and entities (offsets in UTF-16), and can enforce the flood
limits (30 messages a second, one a second to a chat).
"""

from __future__ import annotations

import json
import math
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from aiohttp import web

HTML_ENTITIES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "s": "strikethrough",
    "code": "code",
    "pre": "pre",
}


def utf16_len(text: str) -> int:
    """Telegram counts entity offsets in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


class ApiError(Exception):
    """Answered as {"ok": false, ...} with this status."""

    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters


class _TelegramHtml(HTMLParser):
    """Telegram's HTML parse mode: a few tags become entities; anything else is refused."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.entities: list[dict[str, Any]] = []
        self._open: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in HTML_ENTITIES:
            raise ApiError(400, f"Bad Request: can't parse entities: Unsupported start tag {tag!r}")
        self._open.append((tag, utf16_len(self.text)))

    def handle_endtag(self, tag: str) -> None:
        if not self._open or self._open[-1][0] != tag:
            raise ApiError(400, f"Bad Request: can't parse entities: unexpected end tag {tag!r}")
        _, start = self._open.pop()
        length = utf16_len(self.text) - start
        if length:
            self.entities.append({"type": HTML_ENTITIES[tag], "offset": start, "length": length})

    def handle_data(self, data: str) -> None:
        self.text += data


def parse_html(html: str) -> tuple[str, list[dict[str, Any]]]:
    parser = _TelegramHtml()
    parser.feed(html)
    parser.close()
    if parser._open:
        raise ApiError(400, "Bad Request: can't parse entities: unclosed tag")
    return parser.text, parser.entities


#: Methods that post a message in a chat: what Telegram's flood limits count.
SENDS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup"})


class FloodControl:
    """Telegram's limits, strictly: at most `per_second` messages in any second and one a second
    to a chat; a message over either is refused with 429 and an integer `retry_after`."""

    def __init__(self, per_second: int = 30, chat_interval: float = 1.0) -> None:
        self.per_second = per_second
        self.chat_interval = chat_interval
        self.recent: deque[float] = deque()
        self.last: dict[int, float] = {}
        self.refused = 0

    def take(self, chat_id: int, now: float) -> int:
        """0 when the message is accepted (and counted), else the seconds to wait."""
        while self.recent and self.recent[0] <= now - 1.0:
            self.recent.popleft()
        wait = 0.0
        if len(self.recent) >= self.per_second:
            wait = self.recent[0] + 1.0 - now
        last = self.last.get(chat_id)
        if last is not None and now - last < self.chat_interval:
            wait = max(wait, last + self.chat_interval - now)
        if wait > 0:
            self.refused += 1
            return max(1, math.ceil(wait))
        self.recent.append(now)
        self.last[chat_id] = now
        return 0


@dataclass
class ApiCall:
    """One request the bot made: the method, its form fields and uploaded files."""

    method: str
    params: dict[str, str]
    files: dict[str, bytes] = field(default_factory=dict)

    def json(self, key: str) -> Any:
        return json.loads(self.params[key])


async def read_request(request: web.Request) -> tuple[dict[str, str], dict[str, bytes]]:
    """A call's form fields (JSON values as JSON text) and uploaded files."""
    params: dict[str, str] = {}
    files: dict[str, bytes] = {}
    if request.content_type == "application/json":
        body = await request.json()
        return {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()}, {}
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, str):
            params[key] = value
        else:
            files[key] = value.file.read()
    return params, files
