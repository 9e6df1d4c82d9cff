"""Numbers the way each language writes them: 1.200 and 67% in Vietnamese, 1,200 in English."""

from __future__ import annotations

from bot.periods import period_label


def fmt_int(value: int, locale: str) -> str:
    """12345 → '12.345' (vi) or '12,345' (en)."""
    text = f"{value:,}"
    return text.replace(",", ".") if locale == "vi" else text


def fmt_pct(fraction: float | None) -> str:
    """0.666 → '67%'; nothing expected → '–'."""
    return "–" if fraction is None else f"{round(fraction * 100)}%"


def fmt_delta(now: int, before: int | None, locale: str) -> str:
    """The change against last month: '+12', '−3', '±0'; empty when last month is unknown."""
    if before is None:
        return ""
    change = now - before
    if change == 0:
        return "±0"
    sign = "+" if change > 0 else "−"
    return sign + fmt_int(abs(change), locale)


def plural_key(key: str, count: int) -> str:
    """`key.one` for exactly one, else `key.other` (Vietnamese gives both the same words)."""
    return f"{key}.{'one' if count == 1 else 'other'}"


fmt_period = period_label
