"""Everything a reader's language decides: messages, numbers, dates, months and plurals.

Messages come from `locales/<lang>/*.toml` (a key is `<file>.<key>`, tables join with '.'),
optionally overlaid by a district form's own labels. Numbers and plural rules are Babel's
(vi_VN: 1.200, en: 1,200); dates and moments use the one pattern people here write by hand,
in every language: 15/11/2026, 17:05 15/11/2026.
"""

from __future__ import annotations

import logging
import string
import tomllib
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.numbers import format_decimal

log = logging.getLogger(__name__)

LOCALES = ("vi", "en")
REFERENCE = "vi"
#: A message lookup bound to one language: `t(key, **values)` (a Formatter's `t`).
Translate = Callable[..., str]
#: The district's time zone unless settings say otherwise.
DEFAULT_TZ = "Asia/Ho_Chi_Minh"
#: Babel's locale for each language we speak.
BABEL_LOCALES = {"vi": "vi_VN", "en": "en"}
NOTHING = "–"  # a rate of nothing expected, a figure nobody gave
#: Names listed per group in chat (the full lists are in the /xuat workbook) ...
NAMES_PER_GROUP = 8
#: ... and in one chat reply in all, so a 600-branch district still fits a phone screen.
NAMES_BUDGET = 40


def flatten(prefix: str, table: Mapping[str, Any], out: dict[str, str]) -> None:
    """Nested TOML tables as dotted keys: {"a": {"b": "x"}} under "f" → {"f.a.b": "x"}."""
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            flatten(full, value, out)
        else:
            out[full] = str(value)


def load_locale(lang: str) -> dict[str, str]:
    """Every message of one language, keyed `<file stem>.<key>`."""
    messages: dict[str, str] = {}
    folder = resources.files("locales").joinpath(lang)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            flatten(
                entry.name.removesuffix(".toml"), tomllib.loads(entry.read_text("utf-8")), messages
            )
    return messages


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def placeholders(template: str) -> set[str]:
    """The `{name}` fields a message expects."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


class Catalog:
    """Looks messages up by locale, falling back to Vietnamese, then to the key itself."""

    def __init__(self, messages: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self.messages = (
            {lang: dict(found) for lang, found in messages.items()}
            if messages
            else {lang: load_locale(lang) for lang in LOCALES}
        )

    def with_messages(self, extra: Mapping[str, Mapping[str, str]]) -> Catalog:
        """This catalog with `extra` messages laid over it (a district form's own labels)."""
        merged = {lang: dict(found) for lang, found in self.messages.items()}
        for lang, found in extra.items():
            merged.setdefault(lang, {}).update(found)
        return Catalog(merged)

    def has(self, key: str) -> bool:
        return key in self.messages[REFERENCE]

    def t(self, locale: str, key: str, /, **values: Any) -> str:
        template = self.messages.get(locale, {}).get(key) or self.messages[REFERENCE].get(key)
        if template is None:
            log.warning("missing message %s", key)
            return key
        return template.format_map(_Lenient(values))


def pick_locale(*candidates: str | None, default: str = REFERENCE) -> str:
    """The first candidate we speak ('en-US' counts as 'en'), else the default."""
    for candidate in candidates:
        if candidate:
            short = candidate.split("-")[0].split("_")[0].lower()
            if short in LOCALES:
                return short
    return default


# -- numbers, dates and plurals ------------------------------------------------------------------
@lru_cache(maxsize=8)
def _babel(locale: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(locale, BABEL_LOCALES[REFERENCE]))


def number(value: int, locale: str = REFERENCE) -> str:
    """12345 → '12.345' (vi) or '12,345' (en)."""
    return str(format_decimal(value, locale=_babel(locale)))


def decimal(value: float, locale: str = REFERENCE) -> str:
    """0.583 → '0,58' (vi) or '0.58' (en): two decimals at most, none for whole numbers."""
    return str(format_decimal(round(value, 2), format="0.##", locale=_babel(locale)))


def percent(fraction: float | None) -> str:
    """0.666 → '67%'; nothing expected → '–' (written alike in both languages)."""
    return NOTHING if fraction is None else f"{round(fraction * 100)}%"


def delta(now: int, before: int | None, locale: str = REFERENCE) -> str:
    """The change against an earlier figure: '+12', '−3', '±0'; empty when it is unknown."""
    if before is None:
        return ""
    change = now - before
    if change == 0:
        return "±0"
    return ("+" if change > 0 else "−") + number(abs(change), locale)


def plural_key(key: str, count: int, locale: str = REFERENCE) -> str:
    """`key.one` or `key.other`, by the language's plural rule (every catalog has both)."""
    return f"{key}.{'one' if _babel(locale).plural_form(abs(count)) == 'one' else 'other'}"


def day(value: date | str) -> str:
    """A day as people write it: 15/11/2026 (an ISO string that is not a date is kept)."""
    if isinstance(value, str):
        try:
            return f"{date.fromisoformat(value):%d/%m/%Y}"
        except ValueError:
            return value
    return f"{value:%d/%m/%Y}"


def day_month(value: date) -> str:
    """A day of this year: 15/11."""
    return f"{value:%d/%m}"


def moment(value: datetime, tz: str) -> str:
    """An instant in local time: 17:05 20/11/2026."""
    return f"{value.astimezone(ZoneInfo(tz)):%H:%M %d/%m/%Y}"


def period_text(period: str) -> str:
    """A reporting period as people write months: '2026-11' → '11/2026', '2026-03' → '3/2026'."""
    year, number_ = period.split("-")
    return f"{int(number_)}/{year}"


def names_per_group(groups: int) -> int:
    """How many names each of `groups` lists may show: 8, fewer when there are many groups."""
    return max(2, min(NAMES_PER_GROUP, NAMES_BUDGET // max(groups, 1)))


class Formatter:
    """One reader's language: messages and every number, date and plural in it."""

    def __init__(self, catalog: Catalog, locale: str, tz: str = DEFAULT_TZ) -> None:
        self.catalog, self.locale, self.tz = catalog, locale, tz

    def t(self, key: str, /, **values: Any) -> str:
        """A message in the reader's language."""
        return self.catalog.t(self.locale, key, **values)

    def plural_key(self, key: str, count: int) -> str:
        """`key.one` or `key.other` for `count` in the reader's language."""
        return plural_key(key, count, self.locale)

    def plural(self, key: str, count: int, /, **values: Any) -> str:
        """The `.one` / `.other` form of `key` for `count` (passed on as {count})."""
        return self.t(plural_key(key, count, self.locale), count=count, **values)

    def label(self, key: str, fallback: str) -> str:
        """A message when the catalog has it, else `fallback` (a code nobody labelled)."""
        return self.t(key) if self.catalog.has(key) else fallback

    def number(self, value: int) -> str:
        return number(value, self.locale)

    def delta(self, now: int, before: int | None) -> str:
        return delta(now, before, self.locale)

    def moment(self, value: datetime) -> str:
        return moment(value, self.tz)

    def decimal(self, value: float) -> str:
        return decimal(value, self.locale)

    @staticmethod
    def percent(fraction: float | None) -> str:
        return percent(fraction)

    @staticmethod
    def day(value: date | str) -> str:
        return day(value)

    @staticmethod
    def month(period: str) -> str:
        return period_text(period)

    def names(self, items: Sequence[str], limit: int | None) -> str:
        """'A, B, C' — or the first `limit` and 'and N more', so a chat message stays short."""
        if limit is None or len(items) <= limit:
            return ", ".join(items)
        rest = len(items) - limit
        return ", ".join(items[:limit]) + self.plural("common.and_more_branches", rest)
