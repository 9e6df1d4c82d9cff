"""The admin, digest and export messages exist in both languages with the same placeholders."""

from __future__ import annotations

import pytest

from bot.i18n import load_locale, placeholders


@pytest.mark.parametrize("prefix", ["admin.", "digest.", "export."])
def test_every_key_in_both_languages_with_same_placeholders(prefix: str) -> None:
    vi = {k: v for k, v in load_locale("vi").items() if k.startswith(prefix)}
    en = {k: v for k, v in load_locale("en").items() if k.startswith(prefix)}
    assert vi and set(vi) == set(en)
    for key, text in vi.items():
        assert placeholders(text) == placeholders(en[key]), key
        assert text.strip() and en[key].strip(), key


def test_every_command_has_help_and_menu_text() -> None:
    from handlers.admin import ROUTERS

    vi = load_locale("vi")
    for router in ROUTERS:
        for spec in router.commands:
            assert spec.help_key in vi and spec.menu_key in vi, spec.names
            assert all(name.isascii() and name.islower() for name in spec.names)
