"""Wording of the admin, digest, export and reminder messages: real plurals, natural phrases."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from bot.i18n import Catalog, plural_key

LOCALES = Path(__file__).resolve().parent.parent / "locales"
FILES = ("admin", "digest", "export", "reminders")


@pytest.mark.parametrize("name", FILES)
def test_no_bracketed_plurals_in_english(name: str) -> None:
    text = (LOCALES / "en" / f"{name}.toml").read_text(encoding="utf-8")
    assert not re.search(r"\w\((s|es|ies)\)", text), f"{name}: use plural keys"
    tomllib.loads(text)


def test_plural_keys_pick_singular_and_plural() -> None:
    catalog = Catalog()
    one = catalog.t("en", plural_key("reminders.n_branches", 1, "en"), count=1)
    six = catalog.t("en", plural_key("reminders.n_branches", 6, "en"), count=6)
    assert (one, six) == ("1 branch has", "6 branches have")
    assert catalog.t("en", plural_key("reminders.n_secretaries", 1, "en"), count=1) == "1 secretary"
    assert (
        catalog.t("en", plural_key("reminders.n_secretaries", 0, "en"), count=0) == "0 secretaries"
    )
    assert catalog.t("vi", plural_key("reminders.n_secretaries", 1, "vi"), count=1) == "1 bí thư"
    assert "1 day from now" in catalog.t(
        "en",
        plural_key("reminders.before", 1, "en"),
        name="Lan",
        branch="B",
        period="11/2026",
        deadline="d",
        days=1,
    )


def test_review_lines_read_naturally_with_one_report() -> None:
    catalog = Catalog()
    pick = catalog.t("en", "admin.review_pick", count=1, shown=1)
    assert "1 reports" not in pick and "the 1 submitted" not in pick
    vi_pick = catalog.t("vi", "admin.review_pick", count=1, shown=1)
    assert "đây là 1 báo cáo nộp sớm nhất" not in vi_pick
    returned = catalog.t("vi", "admin.review_returned", branch="Chi đoàn A", count=1)
    assert "xếp hàng gửi tới 1 tài khoản" not in returned and "Chi đoàn A" in returned
