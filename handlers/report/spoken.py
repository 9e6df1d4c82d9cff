"""Figures said in words, as secretaries type them: "không", "ko có ai", "ba căn", "hai mươi lăm",
"hai triệu" — the vocabulary and the reading of Vietnamese number words (số đọc bằng chữ).

Pure functions on text already folded (no diacritics, lower case): see `answers.fold`.
"""

from __future__ import annotations

import re

from bot.engine.textnorm import NUMBER_WORDS

# Words meaning "none" where a count is asked ("Kết nạp mấy đoàn viên?" — "không").
NONE_WORDS = {"khong", "k", "ko", "khong co", "chua", "chua co", "none", "no", "zero", "nil"}
NONE_WORDS |= {"nothing", "nobody", "no one"}
# "None" as typed on a phone: a no-word ("k", "ko", "hok", "kg", "hông"…), maybe "có", maybe
# words saying none of what ("ko có ai", "không đồng nào", "chưa có gì").
_NO_WORDS = "khong|khg|kg|kh|ko|k|hok|hong|hem|khum|chua"
_NONE = re.compile(rf"^(?:{_NO_WORDS})(?: co)?(?: (?:ai|gi|nao|dong|ca|het|luon|nguoi|cai))*$")

# Words that multiply the digits before them: "2 mươi" = 20, "1 trăm" = 100, "3 nghìn" = 3000.
MULTIPLIERS = {
    "muoi": 10, "chuc": 10, "tram": 100, "nghin": 1_000, "ngan": 1_000,
    "trieu": 1_000_000, "ty": 1_000_000_000, "ti": 1_000_000_000,
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
}  # fmt: skip
# Other number words: after digits they mean a figure we cannot read safely ("2 mươi lăm").
OTHER_NUMBER_WORDS = set(NUMBER_WORDS) | {
    "lam", "nhat", "mot", "linh", "le", "ruoi", "tu", "nua", "trieu", "ty", "ti",
    "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "half", "and",
    "may", "vai", "nham", "chuc", "muoi", "it", "nhieu",
}  # fmt: skip
CURRENCY_WORDS = {"dong", "vnd", "d"}


def is_none(folded: str) -> bool:
    """Whether already folded text says "none" ("không", "k có", "ko có ai", "không đồng")."""
    return folded in NONE_WORDS or _NONE.match(folded) is not None


_DIGIT_WORDS = {
    "khong": 0, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6,
    "bay": 7, "tam": 8, "chin": 9,
}  # fmt: skip
# After a ten ("hai mươi lăm", "mười nhăm") five is said lăm/nhăm, and "mốt" is one.
_AFTER_TEN = {**_DIGIT_WORDS, "lam": 5, "nham": 5}
TENS = {"muoi", "chuc"}


def _digit(token: str) -> int | None:
    """'hai' or '2' → 2; anything else → None."""
    if len(token) == 1 and token.isdecimal():
        return int(token)
    return _DIGIT_WORDS.get(token)


def spoken_number(folded: str) -> int | None:
    """Vietnamese number words 0–999, already folded: 'hai muoi lam' → 25, 'muoi' → 10,
    'ba chuc' → 30, 'mot tram linh nam' → 105, 'mot tram hai muoi' → 120, 'ba can' → 3
    (số đọc bằng chữ).

    Words after the figure that are not number words (a unit: "người", "căn") are allowed; a
    multiplier right after it multiplies it ('hai nghin' → 2000). None when the text does not
    start with such a figure or the figure is ambiguous ("một trăm hai")."""
    spoken = spoken_prefix(folded.split())
    if spoken is None:
        return None
    value, after = spoken
    factor = 1
    while after and after[0] in MULTIPLIERS and after[0] not in TENS:
        factor, after = factor * MULTIPLIERS[after[0]], after[1:]
    if any(t in OTHER_NUMBER_WORDS or t in MULTIPLIERS or t.isdecimal() for t in after):
        return None
    return value * factor


def spoken_prefix(tokens: list[str]) -> tuple[int, list[str]] | None:
    """The figure said in words at the start of `tokens`, and the tokens after it."""
    if tokens and tokens[0] in _DIGIT_WORDS and tokens[1:2] not in (["tram"], ["muoi"], ["chuc"]):
        # One digit said alone or before a unit: "ba", "ba căn" (never "2": that is digits).
        return _DIGIT_WORDS[tokens[0]], tokens[1:]
    value, index, tens = 0, 0, False
    if len(tokens) >= 2 and _digit(tokens[0]) is not None and tokens[1] == "tram":
        value, index = (_digit(tokens[0]) or 0) * 100, 2
    hundreds = index == 2
    rest = tokens[index:]
    if hundreds and rest[:1] in (["linh"], ["le"]):
        unit = _digit(rest[1]) if len(rest) > 1 else None
        if unit is None:
            return None
        value, index = value + unit, index + 2
    elif rest[:1] == ["muoi"]:
        value, index, tens = value + 10, index + 1, True
    elif len(rest) >= 2 and (_digit(rest[0]) or 0) >= 1 and rest[1] in TENS:
        value, index, tens = value + (_digit(rest[0]) or 0) * 10, index + 2, True
    elif not hundreds:
        return None
    if tens and index < len(tokens) and tokens[index] in _AFTER_TEN:
        value, index = value + _AFTER_TEN[tokens[index]], index + 1
    return value, tokens[index:]
