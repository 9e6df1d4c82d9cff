"""Findings of the second new-user review of the monthly report and photo evidence."""

from __future__ import annotations

import pytest

from handlers.report import answers as parse


# -- 4. Vietnamese number words -----------------------------------------------------------
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
