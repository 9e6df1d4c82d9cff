"""Settings: defaults < TOML < environment; a bad value is one clear line; secrets stay hidden."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[1]


def test_defaults_need_no_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.database.url == "sqlite+aiosqlite:///data/chidoan.db"
    assert settings.bot.timezone == "Asia/Ho_Chi_Minh"
    assert not settings.telegram.enabled and not settings.zalo.enabled


def test_example_file_equals_builtin_defaults(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    defaults = load_settings().model_dump(mode="json")
    documented = load_settings(ROOT / "config.example.toml").model_dump(mode="json")
    assert documented == defaults


def test_toml_overrides_defaults_and_env_overrides_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[web]\nport = 9000\n[telegram]\ntoken = "1:file"\n', encoding="utf-8")
    monkeypatch.setenv("CHIDOAN_TELEGRAM__TOKEN", "2:env")
    settings = load_settings(path)
    assert settings.web.port == 9000
    assert settings.telegram.token.get_secret_value() == "2:env"


def test_config_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[reporting]\ndeadline_day = 20\n", encoding="utf-8")
    monkeypatch.setenv("CHIDOAN_CONFIG", str(path))
    assert load_settings().reporting.deadline_day == 20


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ("[web]\nport = 99999\n", "web.port"),
        ('[telegram]\nmode = "push"\n', "telegram.mode"),
        ('[bot]\ntimezone = "Mars/Olympus"\n', "bot.timezone"),
        ('[reporting]\ndeadline_time = "5pm"\n', "reporting.deadline_time"),
        ('[database]\nurl = "mysql://x"\n', "database.url"),
        ("[nonsense]\nx = 1\n", "nonsense"),
    ],
)
def test_bad_value_is_one_line_naming_the_key(tmp_path: Path, toml: str, key: str) -> None:
    path = tmp_path / "c.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert key in message and "\n" not in message


def test_missing_file_and_broken_toml_are_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "absent.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[web\nport=1", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.toml"):
        load_settings(broken)


def test_secrets_never_printed(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[telegram]\ntoken = "123:supersecret"\n[zalo]\ntoken = "9:zsecret"\n')
    settings = load_settings(path)
    dumped = repr(settings) + str(settings) + settings.model_dump_json()
    assert "supersecret" not in dumped and "zsecret" not in dumped


def test_plain_urls_get_async_drivers() -> None:
    settings = load_settings(None, database={"url": "postgresql://u@h/db"})
    assert settings.database.url == "postgresql+asyncpg://u@h/db"
