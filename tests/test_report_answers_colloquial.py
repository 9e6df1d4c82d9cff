"""Answers as secretaries text an official: polite words, "1tr5", "15 tháng 11", a weekday."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.report.answers import (
    Unreadable,
    parse_date,
    parse_int,
    parse_money,
    parse_options,
    parse_yesno,
)

TODAY = date(2026, 11, 18)
OPTIONS = [("volunteer", "Tình nguyện"), ("civilised_urban", "Văn minh đô thị")]


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("không ạ", False),
        ("ko a", False),
        ("chưa ạ", False),
        ("dạ không", False),
        ("Dạ, không ạ", False),
        ("hông", False),
        ("khum", False),
        ("dạ có ạ", True),
        ("có nha", True),
        ("Dạ vâng", True),
        ("đã họp", True),
        ("đã không họp", False),
    ],
)
def test_yes_or_no_with_polite_words(typed: str, value: bool) -> None:
    assert parse_yesno(typed) is value


@pytest.mark.parametrize("typed", ["ạ", "nha", "có không"])
def test_politeness_alone_is_no_answer(typed: str) -> None:
    with pytest.raises(Unreadable):
        parse_yesno(typed)


@pytest.mark.parametrize(
    ("typed", "value"),
    [("25 ạ", 25), ("dạ 25 người ạ", 25), ("Dạ, 25 nha", 25), ("không ạ", 0)],
)
def test_counts_with_polite_words(typed: str, value: int) -> None:
    assert parse_int(typed) == value


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1tr5", 1_500_000),
        ("1 tr 5", 1_500_000),
        ("1tr500", 1_500_000),
        ("1tr25", 1_250_000),
        ("1 triệu 5", 1_500_000),
        ("1 triệu 500 nghìn", 1_500_000),
        ("1 triệu 50 nghìn", 1_050_000),
        ("1 trieu 50k", 1_050_000),
        ("1 triệu rưỡi", 1_500_000),
        ("1tr rưỡi", 1_500_000),
        ("2k5", 2_500),
        ("2 tỷ 3", 2_300_000_000),
        ("1tr5 đồng", 1_500_000),
        ("5 triệu ạ", 5_000_000),
        ("dạ 1.500.000 đ ạ", 1_500_000),
    ],
)
def test_money_with_the_unit_inside(typed: str, value: int) -> None:
    assert parse_money(typed) == value


@pytest.mark.parametrize("typed", ["1 nghìn 2 triệu", "1tr5tr", "1 đô 5", "1tr5 đô", "tr5"])
def test_money_in_an_impossible_order_is_refused(typed: str) -> None:
    with pytest.raises(Unreadable) as caught:
        parse_money(typed)
    assert caught.value.key == "report.expect.money"


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("15 tháng 11", date(2026, 11, 15)),
        ("ngay 15 thang 11", date(2026, 11, 15)),
        ("ngày 15 tháng 11 năm 2026", date(2026, 11, 15)),
        ("15/11 ạ", date(2026, 11, 15)),
        ("CN 15/11", date(2026, 11, 15)),
        ("thứ 7 14/11", date(2026, 11, 14)),
        ("thứ bảy, 14/11", date(2026, 11, 14)),
        ("dạ hôm qua ạ", date(2026, 11, 17)),
    ],
)
def test_dates_as_spoken(typed: str, value: date) -> None:
    assert parse_date(typed, TODAY) == value


def test_a_spoken_date_that_is_not_on_the_calendar() -> None:
    with pytest.raises(Unreadable) as caught:
        parse_date("31 tháng 11", TODAY)
    assert caught.value.key == "report.expect.real_date"


def test_choices_with_polite_words() -> None:
    assert parse_options("1, 2 ạ", OPTIONS) == ["volunteer", "civilised_urban"]
    assert parse_options("dạ không ạ", OPTIONS) == []


def test_an_option_starting_like_a_polite_word_is_still_found() -> None:
    own = [("diverse", "Đa dạng sinh kế"), ("other", "Khác")]
    assert parse_options("da dang sinh ke", own) == ["diverse"]
    assert parse_options("dạ khác ạ", own) == ["other"]


@pytest.mark.parametrize(
    "typed",
    [
        "k co",
        "ko có",
        "hok co",
        "kg",
        "ko có ai",
        "khong dong",
        "không có gì",
        "chưa có ai",
        "hông",
    ],
)
def test_none_as_typed_on_a_phone_is_zero(typed: str) -> None:
    assert parse_int(typed) == 0
    assert parse_money(typed) == 0


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("ba căn", 3),
        ("hai người", 2),
        ("năm mô hình", 5),
        ("mười lăm bạn", 15),
        ("hai nghìn", 2000),
    ],
)
def test_a_count_in_words_with_its_unit(typed: str, value: int) -> None:
    assert parse_int(typed) == value


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("hai trieu", 2_000_000),
        ("năm triệu", 5_000_000),
        ("hai triệu rưỡi", 2_500_000),
        ("ba trăm nghìn đồng", 300_000),
        ("mười lăm triệu", 15_000_000),
    ],
)
def test_an_amount_in_words(typed: str, value: int) -> None:
    assert parse_money(typed) == value


@pytest.mark.parametrize("typed", ["một ít", "vài người", "một trăm hai người"])
def test_vague_or_ambiguous_counts_in_words_ask_for_digits(typed: str) -> None:
    with pytest.raises(Unreadable) as caught:
        parse_int(typed)
    assert caught.value.key == "report.expect.int_words"


@pytest.mark.parametrize("typed", ["năm trăm", "một triệu hai", "hai mươi lăm"])
def test_an_amount_in_words_without_thousands_or_unreadable_is_refused(typed: str) -> None:
    with pytest.raises(Unreadable) as caught:
        parse_money(typed)
    assert caught.value.key == "report.expect.money"
