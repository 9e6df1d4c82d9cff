"""Logs that leak nothing: secrets redacted at every level, no message bodies, no values in errors.

Installed once at start-up (`install`), for every handler the process has or adds later: a log
record factory rewrites each record as it is made. Bot tokens travel in every API URL
(`/bot<token>/method`), so any URL a library logs is cut there; the configured tokens and
secrets are replaced wherever they appear. A traceback names where it failed and the kind of
error, never the error's message: messages quote values (`invalid literal for int(): 'Nguyễn…'`,
openpyxl's `… cannot be used in worksheets`), and values here are people's answers.
"""

from __future__ import annotations

import errno
import logging
import re
import traceback
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.config import Settings

REDACTED = "<redacted>"
#: The token in Bot API URLs: Telegram's `/bot<token>/…`, `/file/bot<token>/…`, and Zalo's.
_TOKEN_IN_URL = re.compile(r"(/(?:file/)?bot)(?!<redacted>)[^/\s'\"]+(?=/)")
#: A bare Telegram-style token anywhere (`123456:ABC…`), in case a library prints one alone.
_BARE_TOKEN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{20,}")
#: Loggers that write request and response bodies (sent messages, youth records) below this.
QUIET_LOGGERS = {
    "telegram": logging.INFO,
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "hpack": logging.WARNING,
    "aiohttp.access": logging.WARNING,
    "aiohttp.client": logging.WARNING,
    # aiosqlite logs every statement with its parameters.
    "aiosqlite": logging.WARNING,
    "asyncpg": logging.WARNING,
}
#: Libraries whose log arguments are whole updates or API answers: their templates only.
_TEMPLATE_ONLY = frozenset({"telegram"})
_MIN_SECRET = 6  # shorter "secrets" would blank ordinary words


class _Redactor:
    """The process's secrets and the record factory that hides them."""

    def __init__(self) -> None:
        self.secrets: set[str] = set()
        self.installed = False
        self.previous: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()

    def redact(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        text = _TOKEN_IN_URL.sub(rf"\g<1>{REDACTED}", text)
        return _BARE_TOKEN.sub(REDACTED, text)

    def make(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.previous(*args, **kwargs)
        try:
            if record.name.split(".")[0] in _TEMPLATE_ONLY and record.args:
                # PTB quotes whole updates and API answers ("… received data was %r").
                message = f"{record.msg} [details withheld]"
            else:
                message = record.getMessage()
        except Exception:  # a bad format string: keep only the template
            message = str(record.msg)
        record.msg, record.args = self.redact(message), None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self.redact(safe_traceback(record.exc_info[1]))
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return record


_REDACTOR = _Redactor()


def redact(text: str) -> str:
    """`text` with every known secret and every token in a URL replaced."""
    return _REDACTOR.redact(text)


def secrets_of(settings: Settings) -> list[str]:
    """Every token and secret in the settings (and a token's secret half on its own)."""
    values = [
        secret.get_secret_value()
        for secret in (
            settings.telegram.token,
            settings.telegram.webhook_secret,
            settings.zalo.token,
            settings.zalo.webhook_secret,
            settings.web.link_secret,
        )
    ]
    halves = [v.partition(":")[2] for v in values[::2] if ":" in v]
    return [v for v in [*values, *halves] if v]


def install(secrets: Iterable[str] = ()) -> None:
    """Redact these secrets (and any URL token) in every log record from now on; idempotent."""
    _REDACTOR.secrets.update(s for s in secrets if len(s) >= _MIN_SECRET)
    if not _REDACTOR.installed:
        _REDACTOR.previous = logging.getLogRecordFactory()
        logging.setLogRecordFactory(_REDACTOR.make)
        _REDACTOR.installed = True
    for name, minimum in QUIET_LOGGERS.items():
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < minimum or logger.level == logging.NOTSET:
            logger.setLevel(max(minimum, logger.getEffectiveLevel()))


def describe(exc: BaseException) -> str:
    """The kind of error, with a code when it has one: never its message."""
    kind = f"{type(exc).__module__}.{type(exc).__qualname__}"
    code = _code(exc)
    return f"{kind} ({code})" if code else kind


def _code(exc: BaseException) -> str | None:
    """SQLite's error name, PostgreSQL's SQLSTATE or an OS errno name: codes, not values."""
    orig = getattr(exc, "orig", None)
    for candidate in (exc, orig, getattr(orig, "__cause__", None), exc.__cause__):
        if candidate is None:
            continue
        for attribute in ("sqlite_errorname", "sqlstate", "pgcode"):
            value = getattr(candidate, attribute, None)
            if isinstance(value, str) and value:
                return value
        number = getattr(candidate, "errno", None)
        if isinstance(number, int) and number in errno.errorcode:
            return errno.errorcode[number]
    return None


def safe_traceback(exc: BaseException) -> str:
    """Python's traceback layout, frames and code lines included, error messages withheld."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        chain.append(current)
        seen.add(id(current))
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    parts: list[str] = []
    for link in reversed(chain):
        if parts:
            parts.append("\nThe above exception led to the following one:\n")
        parts.append("Traceback (most recent call last):")
        for frame in traceback.extract_tb(link.__traceback__):
            parts.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
            if frame.line:
                parts.append(f"    {frame.line}")
        parts.append(f"{describe(link)}: (message withheld: it may quote personal data)")
    return "\n".join(parts)
