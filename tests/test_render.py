"""Numbered choices and text splitting, shared by the channels without buttons or with limits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.app.channels.render import numbered_text, split_text
from bot.engine.types import Choice, Reply


def test_numbered_text() -> None:
    reply = Reply("Chọn:", choices=(Choice("a", "Có"), Choice("b", "Không")))
    assert numbered_text(reply) == "Chọn:\n\n1. Có\n2. Không"
    assert numbered_text(Reply("Chào")) == "Chào"


def test_split_prefers_line_ends() -> None:
    text = "\n".join(f"dòng {i}" for i in range(300))
    pieces = split_text(text, 100)
    assert all(len(p) <= 100 for p in pieces)
    assert "\n".join(pieces) == text


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=3000), st.integers(min_value=5, max_value=500))
def test_split_never_exceeds_the_limit_or_drops_words(text: str, limit: int) -> None:
    pieces = split_text(text, limit)
    assert all(len(p) <= limit for p in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())
