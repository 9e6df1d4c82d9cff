"""Running the `chidoan-bot` command line in-process, as an operator types it."""

from __future__ import annotations

import pytest

from bot.app.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of `chidoan-bot ARGS`."""
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err
