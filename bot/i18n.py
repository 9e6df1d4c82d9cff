"""Message catalogs from `locales/<lang>/*.toml`; a key is `<file>.<key>` (tables join with '.')."""

from __future__ import annotations

import logging
import string
import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any

log = logging.getLogger(__name__)

LOCALES = ("vi", "en")
REFERENCE = "vi"


def _flatten(prefix: str, table: Mapping[str, Any], out: dict[str, str]) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}"
        if isinstance(value, Mapping):
            _flatten(full, value, out)
        else:
            out[full] = str(value)


def load_locale(lang: str) -> dict[str, str]:
    """Every message of one language, keyed `<file stem>.<key>`."""
    messages: dict[str, str] = {}
    folder = resources.files("locales").joinpath(lang)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            _flatten(
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
            dict(messages) if messages else {lang: load_locale(lang) for lang in LOCALES}
        )

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
