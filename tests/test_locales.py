"""Every message exists in Vietnamese and English, with the same placeholders."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from bot.i18n import Catalog, load_locale, pick_locale, placeholders


def test_same_keys_in_both_languages() -> None:
    vi, en = load_locale("vi"), load_locale("en")
    assert sorted(set(vi) - set(en)) == [], "missing in en"
    assert sorted(set(en) - set(vi)) == [], "missing in vi"


def test_same_placeholders_in_both_languages() -> None:
    vi, en = load_locale("vi"), load_locale("en")
    wrong = {k: (placeholders(vi[k]), placeholders(en[k])) for k in vi if k in en}
    wrong = {k: v for k, v in wrong.items() if v[0] != v[1]}
    assert wrong == {}


def test_vietnamese_is_written_with_diacritics() -> None:
    """The reference language is real Vietnamese, not ASCII: most messages carry diacritics."""
    vi = load_locale("vi")
    long_messages = [m for m in vi.values() if len(m) > 25]
    with_marks = [m for m in long_messages if re.search(r"[à-ỹđĐ]", m)]
    assert len(with_marks) >= 0.9 * len(long_messages)


def test_lookup_falls_back_to_vietnamese_then_key() -> None:
    catalog = Catalog({"vi": {"a.b": "Chào {name}"}, "en": {}})
    assert catalog.t("en", "a.b", name="Lan") == "Chào Lan"
    assert catalog.t("vi", "a.missing") == "a.missing"
    assert catalog.t("vi", "a.b") == "Chào {name}"


def test_pick_locale() -> None:
    assert pick_locale(None, "en-US") == "en"
    assert pick_locale("vi", "en") == "vi"
    assert pick_locale("fr", None) == "vi"


def test_every_message_key_named_in_the_code_exists() -> None:
    """say("report.intro") / t(...) / choice(payload, key): each literal key is in the catalog."""
    import ast
    from pathlib import Path

    vi = load_locale("vi")
    root = Path(__file__).resolve().parents[1]
    missing, checked = [], 0
    for path in [*root.glob("bot/**/*.py"), *root.glob("handlers/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            position = {"say": 0, "t": 0, "choice": 1}.get(name)
            if position is None or len(node.args) <= position:
                continue
            arg = node.args[position]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and "." in arg.value:
                checked += 1
                if arg.value not in vi:
                    missing.append(f"{path.relative_to(root)}:{node.lineno}: {arg.value}")
    assert checked > 100
    assert missing == []


LOCALES = Path(__file__).resolve().parent.parent / "locales"


def _values(table: dict[str, object]) -> list[str]:
    found: list[str] = []
    for value in table.values():
        found += _values(value) if isinstance(value, dict) else [str(value)]
    return found


def test_report_wording_uses_one_term_each() -> None:
    vi = _values(tomllib.loads((LOCALES / "vi" / "report.toml").read_text("utf-8")))
    en = _values(tomllib.loads((LOCALES / "en" / "report.toml").read_text("utf-8")))
    assert not any("Đô thị văn minh" in v or "đô thị văn minh" in v for v in vi)
    assert any("Văn minh đô thị" in v for v in vi)
    assert not any("Sinh hoạt chi đoàn tháng" in v for v in vi)
    assert not any(v.strip() == "buổi sinh hoạt" for v in vi)
    assert not any("triệu" in v for v in en), "English examples use million"
