"""Text as secretaries type it: without diacritics, with units, with numbers as words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")

NUMBER_WORDS = {
    "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7,
    "tam": 8, "chin": 9, "muoi": 10,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip


def strip_diacritics(text: str) -> str:
    """'Đoàn xã Tân Long' → 'Doan xa Tan Long'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces, trimmed: the form used to compare words."""
    return _SPACES.sub(" ", strip_diacritics(text).casefold()).strip()


def plain(text: str) -> str:
    """`fold` without emoji and symbols: '🤝 Thanh niên khó khăn' → 'thanh nien kho khan'."""
    kept = "".join(ch for ch in text if unicodedata.category(ch) not in ("So", "Sk", "Cf", "Co"))
    return fold(kept).strip(" .)!:«»\"'")


def resolve_choice(text: str, choices: Sequence[Sequence[str]]) -> str | None:
    """The payload the user meant by `text` among [payload, label] pairs, or None.

    Accepts the number ("2", "số 2", "2."), the number as a word ("hai"), the label with or
    without diacritics (emoji ignored), an unambiguous start of the label (two letters or
    more), or whole words found in exactly one label.
    """
    if not choices:
        return None
    folded = plain(text)
    folded = re.sub(r"^(so|lua chon|chon|number|option)\s+", "", folded)
    labels = [plain(label) for _payload, label in choices]
    if folded.isdecimal():  # not isdigit: "²" is a digit that int() cannot read
        index = int(folded)
        return choices[index - 1][0] if 1 <= index <= len(choices) else None
    for (payload, _label), folded_label in zip(choices, labels, strict=True):
        if folded == folded_label:
            return payload
    if folded in NUMBER_WORDS:
        index = NUMBER_WORDS[folded]
        return choices[index - 1][0] if 1 <= index <= len(choices) else None
    if len(folded) >= 2:
        starts = [p for (p, _l), fl in zip(choices, labels, strict=True) if fl.startswith(folded)]
        if len(starts) == 1:
            return starts[0]
    typed = set(_WORD.findall(folded))
    if typed and len(folded) >= 3:
        # Words from inside a label, in any order: "chuyen di" for "Đã chuyển đi nơi khác".
        inside = [
            p
            for (p, _l), fl in zip(choices, labels, strict=True)
            if typed <= set(_WORD.findall(fl))
        ]
        if len(inside) == 1:
            return inside[0]
    return None
