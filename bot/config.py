"""Settings: built-in defaults < TOML file < environment variables (CHIDOAN_, `__` nests)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


class BotSettings(BaseModel):
    default_locale: Literal["vi", "en"] = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"
    data_dir: Path = Path("data")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Where log lines go: stderr when unset, except in console mode (no chat token), where the
    # terminal holds the conversation and they go to <data_dir>/chidoan-bot.log.
    log_file: Path | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class DatabaseSettings(BaseModel):
    url: str = "sqlite+aiosqlite:///data/chidoan.db"
    echo: bool = False

    @field_validator("url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if value.startswith("sqlite:///"):
            return "sqlite+aiosqlite:///" + value.removeprefix("sqlite:///")
        if value.startswith(("postgresql://", "postgres://")):
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("use sqlite+aiosqlite:///PATH or postgresql+asyncpg://USER@HOST/DB")
        return value


class TelegramSettings(BaseModel):
    token: SecretStr = SecretStr("")
    mode: Literal["polling", "webhook"] = "polling"
    api_base_url: str = "https://api.telegram.org/bot"
    file_base_url: str = "https://api.telegram.org/file/bot"
    webhook_path: str = "/telegram/webhook"
    webhook_secret: SecretStr = SecretStr("")
    username: str = ""

    @property
    def enabled(self) -> bool:
        return bool(self.token.get_secret_value())


class ZaloSettings(BaseModel):
    token: SecretStr = SecretStr("")
    mode: Literal["polling", "webhook"] = "polling"
    api_base_url: str = "https://bot-api.zaloplatforms.com"
    webhook_path: str = "/zalo/webhook"
    webhook_secret: SecretStr = SecretStr("")

    @property
    def enabled(self) -> bool:
        return bool(self.token.get_secret_value())


class WebSettings(BaseModel):
    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    public_base_url: str = ""
    link_secret: SecretStr = SecretStr("")
    link_ttl_minutes: int = Field(default=60, ge=1)
    # A workbook is kept and opened for weeks, a chat link is used at once: its photo links
    # live this long (0: no photo links in workbooks).
    workbook_link_days: int = Field(default=31, ge=0, le=366)
    dashboard_ttl_hours: float = Field(default=12, gt=0, le=24 * 7)
    idle_timeout_seconds: float = Field(default=15, gt=0)
    body_timeout_seconds: float = Field(default=10, gt=0)
    health_min_free_mb: float = Field(default=100, ge=0)


class InviteSettings(BaseModel):
    ttl_days: int = Field(default=14, ge=1, le=365)
    max_failures: int = Field(default=5, ge=1)
    failure_window_minutes: int = Field(default=10, ge=1)
    lockout_minutes: int = Field(default=30, ge=1)


class MediaSettings(BaseModel):
    max_photo_mb: float = Field(default=10, gt=0, le=50)
    download_timeout_seconds: float = Field(default=20, gt=0)
    # A photo whose camera date is more than this many days before its month starts is
    # flagged for the district (still accepted).
    old_photo_days: int = Field(default=45, ge=0, le=3650)


class ReportingSettings(BaseModel):
    deadline_day: int = Field(default=25, ge=1, le=28)
    deadline_time: str = "17:00"
    # 0: a month's report is due in that same month; 1: in the month after.
    deadline_month_offset: int = Field(default=0, ge=0, le=1)
    # After a report is first sent, the branch may still correct it this long, even past the
    # deadline (a late report is not locked the minute it arrives). 0: the deadline alone.
    correction_window_hours: float = Field(default=48, ge=0, le=24 * 31)
    form_file: Path | None = None
    # The "3 chủ động" scorecard's thresholds and weights (default: handlers/forms/scorecard.toml).
    scorecard_file: Path | None = None

    @field_validator("deadline_time")
    @classmethod
    def _hh_mm(cls, value: str) -> str:
        hours, _, minutes = value.partition(":")
        if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60):
            raise ValueError("write the time as HH:MM, e.g. 17:00")
        return f"{int(hours):02d}:{int(minutes):02d}"


class ChannelLimits(BaseModel):
    """How fast one bot may send on a channel; the outbox leaves `reply_reserve` to replies."""

    per_second: float = Field(default=30, gt=0)
    per_chat_per_second: float = Field(default=1, gt=0)
    reply_reserve: float = Field(default=1, ge=0)

    @model_validator(mode="after")
    def _room_for_the_outbox(self) -> ChannelLimits:
        if self.reply_reserve >= self.per_second:
            raise ValueError("reply_reserve must be below per_second (the outbox needs some)")
        return self


def _parse_offset(value: str) -> str:
    text = value.strip().lower()
    if text == "morning" or (text[:-1].isdigit() and text[-1:] in ("d", "h") and int(text[:-1])):
        return text
    raise ValueError(f'offset {value!r}: write e.g. "5d", "12h" or "morning"')


class OutboxSettings(BaseModel):
    """The outbox sender: pacing per channel, retries and parking."""

    telegram: ChannelLimits = ChannelLimits(per_second=30, per_chat_per_second=1, reply_reserve=1)
    zalo: ChannelLimits = ChannelLimits(per_second=5, per_chat_per_second=1, reply_reserve=1)
    # Channels not named above (the console) use this.
    default: ChannelLimits = ChannelLimits(per_second=10, per_chat_per_second=1, reply_reserve=1)
    max_attempts: int = Field(default=5, ge=1)
    backoff_base_seconds: float = Field(default=30, gt=0)
    backoff_cap_seconds: float = Field(default=3600, gt=0)
    batch_size: int = Field(default=50, ge=1, le=1000)
    poll_seconds: float = Field(default=2, gt=0)
    lease_seconds: float = Field(default=300, ge=10)
    # Claims are made in this name (default: the host name); a sender that starts again under
    # the same name takes back its predecessor's claims at once. One name per running sender.
    sender_name: str = Field(default="", max_length=100, pattern=r"^[^#]*$")

    def limits(self, channel: str) -> ChannelLimits:
        found = getattr(self, channel, None)
        return found if isinstance(found, ChannelLimits) else self.default


class ScheduleSettings(BaseModel):
    """When reminders and digests are due; the scheduler only writes them to the outbox."""

    reminders_before: list[str] = ["5d", "2d", "morning"]
    reminders_overdue: list[str] = ["1d", "3d"]
    morning_time: str = "08:00"
    # A missed reminder is still sent this long after its time (then only the latest one).
    catch_up_hours: float = Field(default=24, gt=0)
    escalate_to_unit: bool = True
    # The monthly close (chốt số liệu): this long after the deadline, leaders get the final table.
    monthly_close: str = "5d"
    tick_seconds: float = Field(default=60, ge=1)

    @field_validator("reminders_before", "reminders_overdue")
    @classmethod
    def _offsets(cls, values: list[str]) -> list[str]:
        return [_parse_offset(v) for v in values]

    @field_validator("monthly_close")
    @classmethod
    def _close(cls, value: str) -> str:
        if _parse_offset(value) == "morning":
            raise ValueError('write the close as a time after the deadline, e.g. "5d" or "36h"')
        return value.strip().lower()

    @field_validator("morning_time")
    @classmethod
    def _morning(cls, value: str) -> str:
        return ReportingSettings._hh_mm(value)


class DigestSettings(BaseModel):
    """The weekly digest to district leaders (bản tin tuần), in bot.timezone."""

    digest_weekday: int = Field(default=0, ge=0, le=6)  # 0 = Monday
    digest_hour: int = Field(default=7, ge=0, le=23)


class Settings(BaseSettings):
    """Every setting of the bot; `config.example.toml` documents each key."""

    model_config = SettingsConfigDict(
        env_prefix="CHIDOAN_", env_nested_delimiter="__", extra="forbid", case_sensitive=False
    )
    toml_path: ClassVar[Path | None] = None

    bot: BotSettings = BotSettings()
    database: DatabaseSettings = DatabaseSettings()
    telegram: TelegramSettings = TelegramSettings()
    zalo: ZaloSettings = ZaloSettings()
    web: WebSettings = WebSettings()
    invites: InviteSettings = InviteSettings()
    media: MediaSettings = MediaSettings()
    reporting: ReportingSettings = ReportingSettings()
    outbox: OutboxSettings = OutboxSettings()
    schedule: ScheduleSettings = ScheduleSettings()
    digest: DigestSettings = DigestSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if cls.toml_path is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=cls.toml_path))
        return tuple(sources)


class ConfigError(Exception):
    """A setting is wrong; the message is one line naming the key."""


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        key = ".".join(str(p) for p in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        parts.append(f"{key}: {message}")
    return "; ".join(parts)


def load_settings(path: str | Path | None = None, **overrides: Any) -> Settings:
    """Read `path` (or $CHIDOAN_CONFIG, or ./config.toml when present) over the defaults."""
    chosen = path or os.environ.get("CHIDOAN_CONFIG")
    if chosen is None and Path("config.toml").is_file():
        chosen = "config.toml"
    if chosen is not None and not Path(chosen).is_file():
        raise ConfigError(f"config file not found: {chosen}")
    Settings.toml_path = Path(chosen) if chosen else None
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        where = f" (in {chosen} or CHIDOAN_* variables)" if chosen else " (in CHIDOAN_* variables)"
        raise ConfigError(f"bad setting{where}: {_describe(exc)}") from None
    except ValueError as exc:  # a TOML syntax error
        raise ConfigError(f"cannot read {chosen}: {exc}") from None
    finally:
        Settings.toml_path = None
