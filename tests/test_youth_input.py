"""Reading years of birth, categories and days as secretaries type them."""

from __future__ import annotations

from datetime import date

import pytest

from bot.engine.textnorm import fold, resolve_choice
from handlers.youth.input import CATEGORIES, parse_birth_year, parse_categories, parse_day

WORDS = {
    "ethnic_minority": ["dan toc thieu so", "dan toc", "ethnic"],
    "religious": ["ton giao", "theo dao"],
    "disability": ["khuyet tat"],
    "poor_household": ["ho ngheo", "can ngheo", "poor"],
    "orphan": ["mo coi"],
    "out_of_school": ["bo hoc"],
    "unemployed": ["that nghiep"],
    "social_evils": ["nghien"],
    "other": ["khac"],
}
TODAY = date(2026, 11, 10)


@pytest.mark.parametrize(
    ("text", "year"),
    [("2005", 2005), ("sinh 2005", 2005), ("năm 2005", 2005), ("Sinh năm 1995", 1995),
     ("2016", 2016), ("2017", None), ("1979", None), ("05", None), ("2004 hoặc 2005", None),
     ("", None)],
)  # fmt: skip
def test_birth_year(text: str, year: int | None) -> None:
    assert parse_birth_year(text, 2026) == year


@pytest.mark.parametrize(
    ("text", "codes", "unknown"),
    [
        ("1,3", ["ethnic_minority", "disability"], []),
        ("1 3", ["ethnic_minority", "disability"], []),
        ("4; 1", ["ethnic_minority", "poor_household"], []),
        ("hộ nghèo và khuyết tật", ["disability", "poor_household"], []),
        ("Mồ côi, 7", ["orphan", "unemployed"], []),
        ("theo đạo", ["religious"], []),
        ("Theo đạo Công giáo", ["religious"], []),
        ("đào tạo", [], ["đào tạo"]),
        ("10", [], ["10"]),
        ("1, bay nhảy", ["ethnic_minority"], ["bay nhảy"]),
    ],
)
def test_categories(text: str, codes: list[str], unknown: list[str]) -> None:
    assert parse_categories(text, WORDS) == (codes, unknown)


def test_every_number_names_its_category() -> None:
    text = " ".join(str(n) for n in range(1, len(CATEGORIES) + 1))
    assert parse_categories(text, WORDS) == (list(CATEGORIES), [])


@pytest.mark.parametrize(
    ("text", "day"),
    [("hôm nay", TODAY), ("Hôm qua", date(2026, 11, 9)), ("today", TODAY),
     ("15/11", date(2026, 11, 15)), ("15-11", date(2026, 11, 15)), ("5/1/2026", date(2026, 1, 5)),
     ("15/11/26", date(2026, 11, 15)), ("31/11", None), ("ngày mai", None), ("15", None)],
)  # fmt: skip
def test_day(text: str, day: date | None) -> None:
    assert parse_day(text, TODAY) == day


def test_words_are_compared_without_diacritics() -> None:
    assert fold("Khuyết Tật") in WORDS["disability"]


def test_digit_like_symbols_are_unknown_words_not_a_crash() -> None:
    # "¹" and "²" pass str.isdigit() but int() refuses them; they were an apology, not a hint.
    assert parse_categories("¹, 2²", WORDS) == ([], ["¹", "2²"])


def test_typed_words_match_the_one_label_that_contains_them() -> None:
    choices = [
        ["reason:out_of_difficulty", "Đã thoát khó khăn"],
        ["reason:moved_away", "Đã chuyển đi nơi khác"],
        ["reason:aged_out", "Đã quá tuổi thanh niên"],
        ["add", "➕ Thêm người"],
    ]
    assert resolve_choice("chuyen di", choices) == "reason:moved_away"
    assert resolve_choice("noi khac chuyen", choices) == "reason:moved_away"
    assert resolve_choice("qua tuoi", choices) == "reason:aged_out"
    assert resolve_choice("them", choices) == "add"
    assert resolve_choice("da", choices) is None, "ambiguous: in three labels"
    assert resolve_choice("chuyen nha", choices) is None
    assert resolve_choice("➕", choices) is None
