"""Matching what a person types to the choices a flow offered, by the words of their labels."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from bot.engine.context import Context
from bot.engine.textnorm import fold, resolve_choice
from bot.engine.types import InKind

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """Folded words, without emoji or punctuation: '➕ Thêm người' → ['them', 'nguoi']."""
    return _WORD.findall(fold(text))


def match_words(text: str, choices: Sequence[Sequence[str]]) -> str | None:
    """The one payload whose label contains every typed word ('chuyen di' → 'Đã chuyển đi…')."""
    typed = words(text)
    if not typed:
        return None
    found = [p for p, label in choices if set(typed) <= set(words(label))]
    return found[0] if len(found) == 1 else None


def resolve_typed(ctx: Context, choices: Sequence[Sequence[str]] | None = None) -> None:
    """Turn typed text into the choice it names (number, label, or words of a label).

    `choices` defaults to those last offered in this chat; a flow passes its own when the last
    message offered none (a short acknowledgement after a photo, say).
    """
    if ctx.input.kind is not InKind.TEXT or ctx.input.choice is not None:
        return
    offered = ctx.conversation.choices if choices is None else choices
    if not offered:
        return
    payload = resolve_choice(ctx.input.text, offered) or match_words(ctx.input.text, offered)
    if payload is not None:
        ctx.input = replace(ctx.input, kind=InKind.CHOICE, choice=payload)
