"""Typed answers for flows that hold their own choices (the engine maps the last offered)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.engine.context import Context
from bot.engine.textnorm import resolve_choice
from bot.engine.types import InKind


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
    payload = resolve_choice(ctx.input.text, offered)
    if payload is not None:
        ctx.input = replace(ctx.input, kind=InKind.CHOICE, choice=payload)
