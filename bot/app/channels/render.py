"""Rendering helpers shared by channels: numbered choices and splitting long text."""

from __future__ import annotations

from bot.engine.types import Reply


def numbered_text(reply: Reply) -> str:
    """The reply's text followed by its choices as '1. label' lines (channels without buttons)."""
    if not reply.choices:
        return reply.text
    lines = [f"{i}. {choice.label}" for i, choice in enumerate(reply.choices, start=1)]
    return reply.text + "\n\n" + "\n".join(lines)


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at line ends where possible, then at spaces."""
    if limit <= 0:
        raise ValueError("limit must be positive")
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit + 1)
            cut = cut if cut > 0 else limit
            head, line = line[:cut], line[cut:].lstrip(" ")
            if current:
                pieces.append(current)
                current = ""
            pieces.append(head)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current or not pieces:
        pieces.append(current)
    return [p for p in pieces if p.strip()] or [text[:limit]]
