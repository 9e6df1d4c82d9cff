"""Log lines into a private file while the terminal holds a conversation (console mode)."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.config import Settings
from bot.private_files import PRIVATE_FILE, private_dir

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def console_log_path(settings: Settings) -> Path:
    """`bot.log_file`, else chidoan-bot.log in the data folder."""
    return settings.bot.log_file or settings.bot.data_dir / "chidoan-bot.log"


def _terminal_handlers(root: logging.Logger) -> list[logging.Handler]:
    """The root's plain handlers writing to stderr (not a test's capture handlers)."""
    return [
        h
        for h in root.handlers
        if type(h) is logging.StreamHandler and h.stream in (sys.stderr, sys.__stderr__)
    ]


def file_handler(path: Path) -> logging.Handler:
    """A handler appending to `path`, created readable by this user only (logs name ids)."""
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
    os.fchmod(fd, PRIVATE_FILE)
    os.close(fd)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    return handler


@contextmanager
def logs_to_file(path: Path) -> Iterator[Path]:
    """While inside, log lines go to `path` instead of stderr; stderr is given back after."""
    root = logging.getLogger()
    moved = _terminal_handlers(root)
    handler = file_handler(path)
    for old in moved:
        root.removeHandler(old)
    root.addHandler(handler)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        handler.close()
        for old in moved:
            root.addHandler(old)
