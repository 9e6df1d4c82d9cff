"""Choices typed the way secretaries type them."""

from __future__ import annotations

import pytest

from bot.engine.textnorm import fold, resolve_choice, strip_diacritics

CHOICES = [["yes", "Có"], ["no", "Không"], ["later", "Để sau"]]
SEX = [["m", "Nam"], ["f", "Nữ"], ["o", "Khác"]]


def test_fold() -> None:
    assert strip_diacritics("Đoàn xã Tân Long") == "Doan xa Tan Long"
    assert fold("  Bí  THƯ  ") == "bi thu"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1", "yes"),
        ("2", "no"),
        (" 3. ", "later"),
        ("số 2", "no"),
        ("hai", "no"),
        ("Không", "no"),
        ("khong", "no"),
        ("KHONG", "no"),
        ("de sau", "later"),
        ("de", "later"),
        ("4", None),
        ("0", None),
        ("gì đó", None),
        ("", None),
    ],
)
def test_resolve_choice(typed: str, expected: str | None) -> None:
    assert resolve_choice(typed, CHOICES) == expected


def test_label_beats_number_word() -> None:
    """'nam' is five, but also 'Nam' (male): an exact label wins."""
    assert resolve_choice("nam", SEX) == "m"
    assert resolve_choice("nu", SEX) == "f"


def test_ambiguous_prefix_is_not_guessed() -> None:
    assert resolve_choice("k", [["a", "Không"], ["b", "Khác"]]) is None


MENU = [["cmd:baocao", "📝 Báo cáo tháng"], ["cmd:thanhnien", "🤝 Thanh niên khó khăn"]]
REASONS = [["out", "Đã thoát khó khăn"], ["moved", "Đã chuyển đi nơi khác"], ["aged", "Quá tuổi"]]


@pytest.mark.parametrize(
    ("typed", "choices", "expected"),
    [
        ("thanh nien kho khan", MENU, "cmd:thanhnien"),
        ("Báo cáo tháng", MENU, "cmd:baocao"),
        ("bao cao", MENU, "cmd:baocao"),
        ("🤝", MENU, None),
        ("chuyen di", REASONS, "moved"),
        ("kho khan", REASONS, "out"),
        ("da", REASONS, None),
    ],
)
def test_labels_with_emoji_and_words_inside(
    typed: str, choices: list[list[str]], expected: str | None
) -> None:
    assert resolve_choice(typed, choices) == expected
