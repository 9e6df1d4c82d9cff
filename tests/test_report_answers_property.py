"""Properties of reading figures as typed on a phone: any number said in words, with or without
diacritics and a unit, and any way of saying "none", is read; nothing else is guessed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.engine.textnorm import strip_diacritics
from handlers.report.answers import parse_int, parse_money

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
# After a ten, five is "lăm" (or "nhăm"), one is "mốt", four may be "tư".
AFTER_TEN = {1: ["mốt"], 4: ["bốn", "tư"], 5: ["lăm", "nhăm"]}
UNITS = ["", " người", " căn", " đoàn viên", " mô hình", " bạn"]
NO_WORDS = ["không", "khg", "kg", "kh", "ko", "k", "hok", "hông", "hem", "khum", "chưa"]
OF_WHAT = ["", " ai", " gì", " nào", " đồng", " cả", " hết"]
MULTIPLIERS = {"nghìn": 1_000, "ngàn": 1_000, "triệu": 1_000_000, "tỷ": 1_000_000_000}


@st.composite
def spelled(draw: st.DrawFn, low: int = 0, high: int = 999) -> tuple[int, str]:
    """A number and one way a Vietnamese speaker writes it in words."""
    n = draw(st.integers(low, high))
    return n, _spell(n, draw)


def _spell(n: int, draw: st.DrawFn) -> str:
    if n < 10:
        return DIGITS[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        head = "mười" if tens == 1 else f"{DIGITS[tens]} {draw(st.sampled_from(['mươi', 'chục']))}"
        if unit == 0:
            return head
        if tens == 1 and unit == 1:
            return f"{head} một"
        return f"{head} {draw(st.sampled_from(AFTER_TEN.get(unit, [DIGITS[unit]])))}"
    hundreds, rest = divmod(n, 100)
    head = f"{DIGITS[hundreds]} trăm"
    if rest == 0:
        return head
    if rest < 10:
        return f"{head} {draw(st.sampled_from(['linh', 'lẻ']))} {DIGITS[rest]}"
    return f"{head} {_spell(rest, draw)}"


def typed_as(text: str, plain: bool, upper: bool) -> str:
    """As typed: maybe without diacritics, maybe capitalised."""
    text = strip_diacritics(text) if plain else text
    return text.capitalize() if upper else text


@given(spelled(), st.sampled_from(UNITS), st.booleans(), st.booleans())
def test_a_count_said_in_words_is_read(
    number: tuple[int, str], unit: str, plain: bool, upper: bool
) -> None:
    value, words = number
    assert parse_int(typed_as(words + unit, plain, upper)) == value


@given(
    st.sampled_from(NO_WORDS),
    st.booleans(),
    st.sampled_from(OF_WHAT),
    st.booleans(),
    st.sampled_from(["", "dạ "]),
    st.sampled_from(["", " ạ", " nha"]),
)
def test_none_said_any_way_is_zero(
    no: str, with_co: bool, of_what: str, plain: bool, before: str, after: str
) -> None:
    typed = typed_as(f"{before}{no}{' có' if with_co else ''}{of_what}{after}", plain, False)
    assert parse_int(typed) == 0
    assert parse_money(typed) == 0


@given(
    spelled(1),
    st.sampled_from(sorted(MULTIPLIERS)),
    st.sampled_from(["", " đồng"]),
    st.booleans(),
)
def test_an_amount_said_in_words_is_read(
    number: tuple[int, str], multiplier: str, currency: str, plain: bool
) -> None:
    value, words = number
    typed = typed_as(f"{words} {multiplier}{currency}", plain, False)
    assert parse_money(typed) == value * MULTIPLIERS[multiplier]
