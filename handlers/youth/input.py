"""Reading what a secretary types about a young person: year of birth, categories, a day."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from bot.engine.textnorm import fold

#: Categories of difficulty (diện hoàn cảnh khó khăn), in the order they are numbered.
CATEGORIES = (
    "ethnic_minority",
    "religious",
    "disability",
    "poor_household",
    "orphan",
    "out_of_school",
    "unemployed",
    "social_evils",
    "other",
)
SEXES = ("male", "female", "other")
CLOSE_REASONS = ("out_of_difficulty", "moved_away", "aged_out", "other")
# Thanh niên are 16 to 30 (Luật Thanh niên 2020); a few years more for cases still followed.
OLDEST_AGE = 35
YOUNGEST_AGE = 10

_YEAR = re.compile(r"\b(\d{4})\b")
_DAY = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{2}|\d{4}))?$")
_SPLIT = re.compile(r"[,;/+&\n]|\s+(?:và|va|and)\s+", re.IGNORECASE)
_TODAY = ("hom nay", "nay", "today")
_YESTERDAY = ("hom qua", "qua", "yesterday")


def birth_year_bounds(this_year: int) -> tuple[int, int]:
    """The years of birth we accept: 35 years before this one up to ten years before it."""
    return this_year - OLDEST_AGE, this_year - YOUNGEST_AGE


def parse_birth_year(text: str, this_year: int) -> int | None:
    """'2005', 'sinh 2005', 'năm 2005' → 2005; None when no sane year is there."""
    years = _YEAR.findall(fold(text))
    if len(years) != 1:
        return None
    year = int(years[0])
    low, high = birth_year_bounds(this_year)
    return year if low <= year <= high else None


def parse_categories(text: str, words: Mapping[str, Sequence[str]]) -> tuple[list[str], list[str]]:
    """Categories named by number ('1,3', '1 3') or by words; returns (codes, unknown pieces).

    `words` maps each category code to the folded words that name it (labels and synonyms).
    """
    chosen: list[str] = []
    unknown: list[str] = []
    for typed in (p.strip(" .") for p in _SPLIT.split(text)):
        piece = fold(typed)
        if not piece:
            continue
        tokens = piece.split()
        if all(t.isdecimal() for t in tokens):
            for token in tokens:
                number = int(token)
                if 1 <= number <= len(CATEGORIES):
                    chosen.append(CATEGORIES[number - 1])
                else:
                    unknown.append(token)
            continue
        found = [code for code in CATEGORIES if any(_names(w, piece) for w in words[code])]
        if found:
            chosen.extend(found)
        else:
            unknown.append(typed)
    return [c for c in CATEGORIES if c in chosen], unknown


def _names(word: str, piece: str) -> bool:
    """True when `word` appears in `piece` as whole words ('ngheo' in 'ho ngheo', not 'ngheon')."""
    return bool(word) and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", piece) is not None


def parse_day(text: str, today: date) -> date | None:
    """'15/11', '15-11', '15/11/2026', 'hôm nay', 'hôm qua' → a date; None when unreadable.

    A day without a year is in this year (so "20/12" typed in January is in the future, and the
    caller asks for the year rather than guessing).
    """
    folded = fold(text).strip(" .")
    if folded in _TODAY:
        return today
    if folded in _YESTERDAY:
        return today - timedelta(days=1)
    match = _DAY.match(folded)
    if match is None:
        return None
    day, month, year_text = match.groups()
    year = today.year if year_text is None else int(year_text)
    if year_text is not None and len(year_text) == 2:
        year += 2000
    try:
        found = date(year, int(month), int(day))
    except ValueError:
        return None
    return found
