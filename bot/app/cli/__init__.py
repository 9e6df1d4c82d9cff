"""`chidoan-bot` — run the bot, talk to it in a terminal, and operate it."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bot.app.cli import (
    db,
    form,
    invite,
    ops,
    org,
    outbox,
    photos,
    run,
    scorecard,
    telegram,
    zalo,
)
from bot.app.cli.logfile import FORMAT, file_handler
from bot.config import ConfigError, Settings, load_settings
from bot.logsafety import install as install_log_safety
from bot.logsafety import secrets_of

#: Each module adds its sub-commands; a command's function takes (args, settings) → exit code.
GROUPS = [
    run,
    db,
    org,
    invite,
    form,
    outbox,
    telegram,
    zalo,
    ops,
    photos,
    scorecard,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chidoan-bot",
        description="Monthly reporting bot for Youth Union branches (chi đoàn).",
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="TOML settings file (default: $CHIDOAN_CONFIG or ./config.toml)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for group in GROUPS:
        group.register(sub)
    return parser


def configure_logging(settings: Settings, *, quiet: bool = False) -> None:
    """Log to stderr, or to `bot.log_file` when set (console mode moves them to a file: see
    `run`); `quiet` keeps only warnings."""
    level = logging.WARNING if quiet else getattr(logging, settings.bot.log_level)
    if settings.bot.log_file is not None:
        logging.basicConfig(level=level, handlers=[file_handler(settings.bot.log_file)])
    else:
        logging.basicConfig(level=level, format=FORMAT, stream=sys.stderr)
    # Secrets redacted, message bodies and statement parameters never logged (bot.logsafety).
    install_log_safety(secrets_of(settings))
    for noisy in ("apscheduler", "matplotlib", "PIL", "alembic"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(f"chidoan-bot: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings, quiet=getattr(args, "quiet_logs", False))
    code: int = args.func(args, settings)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
