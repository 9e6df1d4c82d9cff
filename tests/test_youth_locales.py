"""The youth and evidence messages exist in both languages with the same placeholders."""

from __future__ import annotations

import pytest

from bot.i18n import Catalog, placeholders
from handlers.youth.input import CATEGORIES, CLOSE_REASONS, SEXES

CATALOG = Catalog()


@pytest.mark.parametrize("prefix", ["youth.", "evidence."])
def test_same_keys_and_placeholders_in_both_languages(prefix: str) -> None:
    vi = {k: v for k, v in CATALOG.messages["vi"].items() if k.startswith(prefix)}
    en = {k: v for k, v in CATALOG.messages["en"].items() if k.startswith(prefix)}
    assert vi and sorted(vi) == sorted(en)
    for key, text in vi.items():
        assert placeholders(text) == placeholders(en[key]), key


def test_every_code_has_a_label_and_every_category_has_words() -> None:
    keys = [f"youth.category.{c}" for c in CATEGORIES]
    keys += [f"youth.category_words.{c}" for c in CATEGORIES]
    keys += [f"youth.sex.{s}" for s in SEXES] + [f"youth.reason.{r}" for r in CLOSE_REASONS]
    for lang in ("vi", "en"):
        missing = [k for k in keys if not CATALOG.messages[lang].get(k)]
        assert missing == [], lang
