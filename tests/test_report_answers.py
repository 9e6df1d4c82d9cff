"""Typed answers as secretaries really write them on a phone (pure parsing)."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.report import answers as parse
from handlers.report.answers import (
    Unreadable,
    clean_text,
    parse_date,
    parse_int,
    parse_lines,
    parse_money,
    parse_option,
    parse_options,
    parse_text,
    parse_yesno,
)

TODAY = date(2026, 11, 10)
OPTIONS = [
    ("volunteer", "Tình nguyện"),
    ("new_countryside", "Nông thôn mới"),
    ("civilised_urban", "Văn minh đô thị"),
]


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("12", 12),
        ("12 người", 12),
        ("12 nguoi", 12),
        ("1.200", 1200),
        ("1,200", 1200),
        ("1 200", 1200),
        ("12 dv", 12),
        ("12 đoàn viên", 12),
        (" 7. ", 7),
        ("khoảng 40", 40),
        ("hai", 2),
        ("không", 0),
        ("ko", 0),
        ("chưa có", 0),
        ("0", 0),
        ("-3", -3),
        ("1.000.000", 1_000_000),
    ],
)
def test_whole_numbers(typed: str, value: int) -> None:
    assert parse_int(typed) == value


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("", "report.expect.int"),
        ("mười mấy", "report.expect.int_words"),
        ("12 3", "report.expect.int"),
        ("12 hoặc 13", "report.expect.int"),
        ("1,5", "report.expect.whole"),
        ("2.5", "report.expect.whole"),
        ("1.20", "report.expect.whole"),
        ("12/11", "report.expect.int"),
    ],
)
def test_not_whole_numbers(typed: str, key: str) -> None:
    with pytest.raises(Unreadable) as caught:
        parse_int(typed)
    assert caught.value.key == key


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("5 triệu", 5_000_000),
        ("5 trieu", 5_000_000),
        ("5tr", 5_000_000),
        ("5 TR", 5_000_000),
        ("1,5 triệu", 1_500_000),
        ("1.5tr", 1_500_000),
        ("500k", 500_000),
        ("500 nghìn", 500_000),
        ("500 ngàn", 500_000),
        ("500.000", 500_000),
        ("500.000đ", 500_000),
        ("500000 đồng", 500_000),
        ("500000 vnd", 500_000),
        ("5 triệu đồng", 5_000_000),
        ("2 tỷ", 2_000_000_000),
        ("0", 0),
        ("không", 0),
    ],
)
def test_money(typed: str, value: int) -> None:
    assert parse_money(typed) == value


@pytest.mark.parametrize("typed", ["5 đô", "1,5", "abc", "5 triệu 5 triệu", "năm trăm", ""])
def test_not_money(typed: str) -> None:
    with pytest.raises(Unreadable) as caught:
        parse_money(typed)
    assert caught.value.key == "report.expect.money"


@pytest.mark.parametrize(
    "typed", ["có", "Có", "co", "c", "rồi", "roi", "yes", "Y", "1", "ok", "có rồi", "đã họp"]
)
def test_yes(typed: str) -> None:
    assert parse_yesno(typed) is True


@pytest.mark.parametrize(
    "typed", ["không", "khong", "k", "ko", "chưa", "chua", "no", "N", "0", "chưa họp"]
)
def test_no(typed: str) -> None:
    assert parse_yesno(typed) is False


@pytest.mark.parametrize("typed", ["có lẽ", "maybe", "2", ""])
def test_neither_yes_nor_no(typed: str) -> None:
    with pytest.raises(Unreadable):
        parse_yesno(typed)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("15/11", date(2026, 11, 15)),
        ("15/11/2026", date(2026, 11, 15)),
        ("15-11", date(2026, 11, 15)),
        ("15.11", date(2026, 11, 15)),
        ("5/11/26", date(2026, 11, 5)),
        ("ngày 3/11", date(2026, 11, 3)),
        ("hôm nay", TODAY),
        ("hom nay", TODAY),
        ("today", TODAY),
        ("hôm qua", date(2026, 11, 9)),
        ("hom qua", date(2026, 11, 9)),
        ("yesterday", date(2026, 11, 9)),
    ],
)
def test_dates(typed: str, value: date) -> None:
    assert parse_date(typed, TODAY) == value


def test_a_date_without_year_is_the_nearest_one() -> None:
    assert parse_date("28/12", date(2027, 1, 3)) == date(2026, 12, 28)
    assert parse_date("2/1", date(2026, 12, 30)) == date(2027, 1, 2)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("31/11", "report.expect.real_date"),
        ("29/2/2027", "report.expect.real_date"),
        ("15", "report.expect.date"),
        ("tuần trước", "report.expect.date"),
        ("15/11/2026 lúc 8h", "report.expect.date"),
    ],
)
def test_not_dates(typed: str, key: str) -> None:
    with pytest.raises(Unreadable) as caught:
        parse_date(typed, TODAY)
    assert caught.value.key == key


def test_lines_split_on_newlines_and_semicolons_without_bullets() -> None:
    typed = "1. Dọn kênh\n- Trồng cây; • Sửa đường\n\n"
    assert parse_lines(typed, max_length=50) == ["Dọn kênh", "Trồng cây", "Sửa đường"]
    with pytest.raises(Unreadable):
        parse_lines(" ; \n", max_length=50)
    with pytest.raises(Unreadable) as caught:
        parse_lines("x" * 51, max_length=50)
    assert caught.value.values == {"max": 50}


def test_text_is_cleaned_and_bounded() -> None:
    assert parse_text("  Ổn định\x00 ", max_length=20) == "Ổn định"
    assert clean_text("a\x07b\nc") == "a b\nc"
    with pytest.raises(Unreadable):
        parse_text("\x00 ", max_length=20)
    with pytest.raises(Unreadable) as caught:
        parse_text("dài quá", max_length=3)
    assert caught.value.values == {"max": 3, "length": 7}


@pytest.mark.parametrize(
    ("typed", "chosen"),
    [
        ("1, 3", ["volunteer", "civilised_urban"]),
        ("1 3", ["volunteer", "civilised_urban"]),
        ("1 và 2", ["volunteer", "new_countryside"]),
        ("3,3", ["civilised_urban"]),
        ("tinh nguyen, do thi van minh", ["volunteer", "civilised_urban"]),
        ("Nông thôn mới", ["new_countryside"]),
        ("không", []),
        ("0", []),
        ("k co", []),
        ("ko có gì", []),
    ],
)
def test_several_options(typed: str, chosen: list[str]) -> None:
    assert parse_options(typed, OPTIONS) == chosen


@pytest.mark.parametrize("typed", ["4", "1, 9", "bóng đá"])
def test_not_options(typed: str) -> None:
    with pytest.raises(Unreadable):
        parse_options(typed, OPTIONS)


def test_one_option() -> None:
    assert parse_option("2", OPTIONS) == "new_countryside"
    with pytest.raises(Unreadable):
        parse_option("1, 2", OPTIONS)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("hai muoi", 20),
        ("muoi lam", 15),
        ("hai mươi lăm", 25),
        ("ba chuc", 30),
        ("mười", 10),
        ("một trăm hai mươi", 120),
        ("hai mươi mốt", 21),
        ("hai mươi tư", 24),
        ("mười nhăm", 15),
        ("một trăm linh năm", 105),
        ("hai trăm lẻ một", 201),
        ("ba trăm", 300),
        ("chín trăm chín mươi chín", 999),
        ("2 mươi lăm", 25),
        ("hai muoi nguoi", 20),
        ("mot", 1),
        ("2 chuc", 20),
    ],
)
def test_vietnamese_number_words_are_read(typed: str, value: int) -> None:
    assert parse.parse_int(typed) == value


@pytest.mark.parametrize("typed", ["một trăm hai", "hai mươi ba mươi", "muoi muoi"])
def test_number_words_we_cannot_read_ask_for_digits(typed: str) -> None:
    with pytest.raises(parse.Unreadable) as caught:
        parse.parse_int(typed)
    assert caught.value.key == "report.expect.int_words"


@pytest.mark.parametrize(
    ("typed", "value"),
    [("2 muoi", 20), ("2 mươi", 20), ("1 tram", 100), ("3 nghin", 3000), ("3 ngàn", 3000)],
)
def test_digits_with_a_multiplier_word_are_multiplied(typed: str, value: int) -> None:
    assert parse.parse_int(typed) == value


@pytest.mark.parametrize("typed", ["5 ba", "2 mươi 3 mươi", "1 tram 2 tram"])
def test_digits_with_number_words_we_cannot_read_are_refused(typed: str) -> None:
    with pytest.raises(parse.Unreadable):
        parse.parse_int(typed)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("2 million", 2_000_000),
        ("5 trăm nghìn", 500_000),
        ("500 k", 500_000),
        ("3 trieu", 3_000_000),
    ],
)
def test_money_reads_spelled_multipliers(typed: str, value: int) -> None:
    assert parse.parse_money(typed) == value


@pytest.mark.parametrize("typed", ["2 mươi lăm", "5 ba", "3 triệu năm"])
def test_money_with_unreadable_number_words_is_refused(typed: str) -> None:
    with pytest.raises(parse.Unreadable):
        parse.parse_money(typed)
