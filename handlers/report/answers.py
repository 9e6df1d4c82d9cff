"""Reading answers as secretaries type them on a phone: numbers, yes/no, dates, money, lists.

Pure functions: each returns the value or raises `Unreadable` naming the locale key of one
sentence that says what is expected, with an example.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from bot.engine.textnorm import NUMBER_WORDS, fold, resolve_choice
from handlers.report.spoken import (
    CURRENCY_WORDS,
    MULTIPLIERS,
    OTHER_NUMBER_WORDS,
    TENS,
    is_none,
    spoken_number,
    spoken_prefix,
)


class Unreadable(ValueError):
    """The text is not an answer of the expected kind; `key` is the message to show."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


YES = {"co", "c", "roi", "co roi", "da", "da co", "yes", "y", "1", "ok", "oke", "okay", "dung"}
YES |= {"co hop", "da hop", "co a", "vang", "true", "x"}
NO = {"khong", "k", "ko", "kh", "chua", "no", "n", "0", "khong co", "chua co", "sai"}
NO |= {"khong hop", "chua hop", "false", "hong", "hok", "hem", "khum", "k co", "ko co"}
_GROUPED = r"\d{1,3}(?:[ .,]\d{3})+"
_NUMBER = re.compile(rf"^(?:khoang|tam|gan|about|around)?\s*({_GROUPED}|\d+)\s*([^\d]*)$")
_DATE = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{2}|\d{4}))?$")
_MONEY_UNITS = {
    "k": 1_000, "nghin": 1_000, "ngan": 1_000, "ng": 1_000, "n": 1_000,
    "tr": 1_000_000, "trieu": 1_000_000, "m": 1_000_000,
    "ty": 1_000_000_000, "ti": 1_000_000_000,
    "d": 1, "dong": 1, "vnd": 1, "": 1,
}  # fmt: skip
_MONEY = re.compile(r"^(\d+(?:[.,]\d+)*)([a-z.]*)$")
# Whole digits, a space, then words: "2 million", "5 tram nghin dong" (not "5tr", "1,5 trieu").
_MONEY_WORDS = re.compile(rf"^({_GROUPED}|\d+)\s+([a-z][a-z ]*)$")
_BULLET = re.compile(r"^\s*(?:[-*•+·]|\d{1,2}[.)/-])\s*")
# Politeness around a short answer ("dạ có ạ", "15/11 ạ", "không nha") carries no meaning.
_POLITE_BEFORE = re.compile(r"^(?:thua anh|thua chi|thua|da|vang)[\s,]+(?=\S)")
_POLITE_AFTER = re.compile(r"(?<=\S)[\s,]+(?:a|ah|nha|nhe|nhen|ne|nghen|luon)$")
# "15 tháng 11 (năm 2026)" and a weekday before a date ("thứ 7 15/11", "CN 15/11").
_SPOKEN_DATE = re.compile(r"^(\d{1,2})\s*thang\s*(\d{1,2})(?:\s*(?:nam|,)?\s*(\d{4}))?$")
_WEEKDAY = re.compile(r"^(?:thu\s*(?:[2-7]|hai|ba|tu|nam|sau|bay)|chu nhat|cn)\s*,?\s*(?=\d)")
# "1tr5", "1 triệu 500 nghìn", "2k5", "1 triệu rưỡi": a unit word inside the amount.
_MONEY_INNER = re.compile(r"^(\d+)([a-z]+?)(\d{1,3}|ruoi)([a-z]*)$")


def clean_text(text: str) -> str:
    """Text without control characters (PostgreSQL's JSON refuses NUL) and trimmed."""
    kept = (
        ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " "
        for ch in unicodedata.normalize("NFC", text)
    )
    return "".join(kept).strip()


def _bare(text: str) -> str:
    """The short answer folded (no diacritics, lower case), without politeness around it."""
    folded = fold(clean_text(text)).strip(" .!?")
    for _ in range(2):  # "dạ, không ạ": a word on each side
        folded = _POLITE_AFTER.sub("", _POLITE_BEFORE.sub("", folded)).strip(" .,!?")
    return folded


def _digits(group: str) -> int:
    """'1.200' / '1,200' / '1 200' → 1200."""
    return int(re.sub(r"[ .,]", "", group))


def parse_int(text: str) -> int:
    """'12', '12 người', '1.200', '1,200', '1 200', '12 dv', 'hai', 'ba căn', 'không',
    'ko có ai' → a whole number."""
    folded = _bare(text)
    if is_none(folded):
        return 0
    if folded in NUMBER_WORDS:
        return NUMBER_WORDS[folded]
    spoken = spoken_number(folded)
    if spoken is not None:
        return spoken
    negative = folded.startswith("-")
    match = _NUMBER.match(folded.lstrip("-").strip())
    if match is None or not re.fullmatch(r"[a-z ]*", match.group(2).strip(" .")):
        if re.fullmatch(r"-?\d+[.,]\d{1,2}", folded):
            raise Unreadable("report.expect.whole")
        if any(token in OTHER_NUMBER_WORDS or token in MULTIPLIERS for token in folded.split()):
            raise Unreadable("report.expect.int_words")
        raise Unreadable("report.expect.int")
    value = _digits(match.group(1)) * _multiplier(match.group(2).strip(" ."))
    return -value if negative else value


def _multiplier(words: str) -> int:
    """The product of the multiplier words that follow the digits ("tram nghin" → 100000).

    Units like "người" end the figure; any other number word means a figure we cannot read, so
    it is refused rather than taking only the leading digits.
    """
    factor = 1
    tokens = words.split()
    index = 0
    while index < len(tokens) and tokens[index] in MULTIPLIERS:
        factor *= MULTIPLIERS[tokens[index]]
        index += 1
    if any(token in OTHER_NUMBER_WORDS or token in MULTIPLIERS for token in tokens[index:]):
        raise Unreadable("report.expect.int")
    return factor


def parse_money(text: str) -> int:
    """'5 triệu', '5tr', '1,5 triệu', '500k', '500.000', '500000 đồng', 'hai triệu',
    'không đồng' → VND."""
    folded = _bare(text)
    if is_none(folded):
        return 0
    spelled = _spelled_money(folded)
    if spelled is not None:
        return spelled
    inner = _unit_inside(folded.replace(" ", ""))
    if inner is not None:
        return inner
    words = _MONEY_WORDS.match(folded)
    factor = _money_words(words.group(2)) if words is not None else None
    if words is not None and factor is not None:
        # "2 million", "5 trăm nghìn", "3 trieu dong": digits, then multiplier words.
        return _digits(words.group(1)) * factor
    match = _MONEY.match(folded.replace(" ", ""))
    unit_word = _money_unit(match.group(2)) if match else None
    if match is None or unit_word is None:
        raise Unreadable("report.expect.money")
    number, unit = match.group(1), _MONEY_UNITS[unit_word]
    if re.fullmatch(_GROUPED.replace(" ", ""), number) or number.isdecimal():
        whole = _digits(number)
        return whole * unit
    if re.fullmatch(r"\d+[.,]\d{1,3}", number) and unit >= 1_000:
        # "1,5 triệu" / "1.5tr": a decimal before a unit word.
        # Decimal, not float: a long figure would overflow a float into an error.
        return round(Decimal(number.replace(",", ".")) * unit)
    raise Unreadable("report.expect.money")


def _spelled_money(folded: str) -> int | None:
    """An amount said in words: 'hai triệu' → 2.000.000, 'năm trăm nghìn' → 500.000, 'hai
    triệu rưỡi' → 2.500.000, 'ba trăm nghìn đồng'. None when the text does not start with
    number words; refused when the words cannot be read or name no amount in thousands at least
    ('năm trăm' alone is not taken as 500 đồng)."""
    spoken = spoken_prefix(folded.split())
    if spoken is None:
        return None
    value, after = spoken
    after = [t for t in after if t not in CURRENCY_WORDS]
    factor = 1
    while after and after[0] in MULTIPLIERS and after[0] not in TENS:
        factor, after = factor * MULTIPLIERS[after[0]], after[1:]
    half = factor // 2 if after == ["ruoi"] and factor >= 1_000 else 0
    if (after and not half) or factor < 1_000:
        raise Unreadable("report.expect.money")
    return value * factor + half


def _unit_inside(squeezed: str) -> int | None:
    """'1tr5' → 1.500.000 (digits after the unit are its fraction); '1trieu50nghin' →
    1.050.000 (a smaller unit named); '1trieuruoi' → 1.500.000; None for any other shape."""
    match = _MONEY_INNER.match(squeezed)
    if match is None:
        return None
    whole, unit_word, rest, tail = match.groups()
    unit = _MONEY_UNITS.get(_money_unit(unit_word) or "", 0)
    if unit < 1_000:
        return None
    if rest == "ruoi":
        return int(whole) * unit + unit // 2 if tail in ("", "dong", "d", "vnd") else None
    smaller = _money_unit(tail) if tail else None
    if tail and (smaller is None or _MONEY_UNITS[smaller] >= unit):
        return None
    if smaller is not None and _MONEY_UNITS[smaller] > 1:
        return int(whole) * unit + int(rest) * _MONEY_UNITS[smaller]
    return int(whole) * unit + int(rest) * unit // 10 ** len(rest)


def _money_words(words: str) -> int | None:
    """The product of spelled-out multipliers (a trailing currency word allowed); None when the
    words are a short unit for the compact reading ("500 k"); refuses other number words."""
    tokens = [t for t in words.split() if t not in ("dong", "vnd", "d")]
    if not tokens or any(t not in MULTIPLIERS for t in tokens):
        if any(t in OTHER_NUMBER_WORDS or t in MULTIPLIERS for t in tokens):
            raise Unreadable("report.expect.money")
        return None
    factor = 1
    for token in tokens:
        factor *= MULTIPLIERS[token]
    return factor


def _money_unit(word: str) -> str | None:
    """The unit word, with a trailing currency word ("5trieudong", "500kd") dropped."""
    word = word.strip(".")
    if word in _MONEY_UNITS:
        return word
    for currency in ("dong", "vnd", "d"):
        if word.endswith(currency) and word.removesuffix(currency) in _MONEY_UNITS:
            return word.removesuffix(currency)
    return None


def parse_yesno(text: str) -> bool:
    """'có', 'co', 'c', 'rồi', 'yes', '1', 'ok' → True; 'không', 'k', 'chưa', 'no', '0' → False."""
    # "đã họp" folds like "dạ họp": the words as typed are tried before politeness is dropped.
    for folded in (fold(clean_text(text)).strip(" .!?"), _bare(text)):
        if folded in YES:
            return True
        if folded in NO:
            return False
    raise Unreadable("report.expect.yesno")


def parse_date(text: str, today: date) -> date:
    """'15/11', '15/11/2026', '15-11', '15.11', 'hôm nay', 'hôm qua' → a date.

    Without a year, the year that puts the day nearest to `today` (28/12 typed on 3 January is
    last year's).
    """
    folded = _WEEKDAY.sub("", _bare(text))
    folded = re.sub(r"^(ngay|hom|date|on)\s+(?=\d)", "", folded)
    folded = _SPOKEN_DATE.sub(lambda m: "/".join(g for g in m.groups() if g), folded)
    if folded in {"hom nay", "today", "nay", "bua nay"}:
        return today
    if folded in {"hom qua", "yesterday", "qua", "bua qua"}:
        return today - timedelta(days=1)
    if folded in {"hom kia", "bua kia"}:
        return today - timedelta(days=2)
    match = _DATE.match(folded)
    if match is None:
        raise Unreadable("report.expect.date")
    day, month, year_text = int(match.group(1)), int(match.group(2)), match.group(3)
    try:
        if year_text is not None:
            year = int(year_text) + (2000 if len(year_text) == 2 else 0)
            return date(year, month, day)
        date(2000, month, day)  # a real day of the year (29/02 exists in 2000)
    except ValueError:
        raise Unreadable("report.expect.real_date") from None
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:  # 29/02 outside a leap year
            continue
    if not candidates:
        raise Unreadable("report.expect.real_date")
    return min(candidates, key=lambda d: abs((d - today).days))


def parse_lines(text: str, *, max_length: int) -> list[str]:
    """One item per line (or separated by ';'), bullets and numbering removed."""
    parts = re.split(r"[\n;]", clean_text(text))
    lines = [_BULLET.sub("", part).strip() for part in parts]
    lines = [line for line in lines if line]
    if not lines:
        raise Unreadable("report.expect.lines")
    if any(len(line) > max_length for line in lines):
        raise Unreadable("report.expect.line_too_long", max=max_length)
    return lines


def parse_text(text: str, *, max_length: int) -> str:
    """Free text, trimmed and within its length."""
    cleaned = clean_text(text)
    if not cleaned:
        raise Unreadable("report.expect.text")
    if len(cleaned) > max_length:
        raise Unreadable("report.expect.too_long", max=max_length, length=len(cleaned))
    return cleaned


def parse_long_text(text: str, *, max_length: int) -> str:
    """Free text; beyond its length it is cut at the last word that fits, never thrown away."""
    cleaned = parse_text(text, max_length=len(clean_text(text)) or 1)
    if len(cleaned) <= max_length:
        return cleaned
    cut = cleaned[:max_length]
    space = cut.rfind(" ")
    return (cut[:space] if space > max_length // 2 else cut).rstrip()


def parse_options(text: str, options: Sequence[tuple[str, str]]) -> list[str]:
    """'1,3', '1 và 3', 'tình nguyện, nông thôn mới', 'không' → option values (in order).

    `options` are (value, label) pairs; numbers are 1-based positions.
    """
    folded = fold(clean_text(text)).strip(" .!")
    try:
        return _options_in(folded, options)
    except Unreadable:
        # Politeness dropped only when the words as typed fail: a district's own option may
        # well start with "Đa" or "Dạ".
        if _bare(text) == folded:
            raise
        return _options_in(_bare(text), options)


def _options_in(folded: str, options: Sequence[tuple[str, str]]) -> list[str]:
    """The options named in already folded text ("0" or a phone-style "k co" is none of them)."""
    if folded == "0" or is_none(folded):
        return []
    labels = [fold(label) for _value, label in options]
    chosen: list[str] = []
    for piece in re.split(r"\s*(?:,|;|\+|/|\bva\b|\band\b|\s)\s*", folded):
        if not piece:
            continue
        if piece.isdecimal() and 1 <= int(piece) <= len(options):
            chosen.append(options[int(piece) - 1][0])
            continue
        if piece in NUMBER_WORDS and 1 <= NUMBER_WORDS[piece] <= len(options):
            chosen.append(options[NUMBER_WORDS[piece] - 1][0])
            continue
        break
    else:
        if chosen:
            return _unique(chosen)
    # Phrases between commas, each read the way a single choice is ("do thi van minh").
    pairs = [[value, label] for value, label in options]
    phrases = [p for p in re.split(r"\s*(?:,|;|\+|/|\bva\b|\band\b)\s*", folded) if p]
    resolved = [resolve_choice(phrase, pairs) for phrase in phrases]
    if phrases and all(resolved):
        return _unique([r for r in resolved if r])
    by_label = [v for (v, _l), label in zip(options, labels, strict=True) if label in folded]
    if by_label:
        return by_label
    raise Unreadable("report.expect.options")


def parse_option(text: str, options: Sequence[tuple[str, str]]) -> str:
    """One option by its number or its words."""
    chosen = parse_options(text, options)
    if len(chosen) != 1:
        raise Unreadable("report.expect.option")
    return chosen[0]


def _unique(values: list[str]) -> list[str]:
    """Without repeats, first occurrence kept."""
    return list(dict.fromkeys(values))
