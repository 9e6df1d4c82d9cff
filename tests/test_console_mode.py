"""Console mode as a newcomer meets it: a fresh folder, `make run` with no token, a leader's
invite, one scheduler tick with the digest due → the digest and its chart in the terminal;
log lines in a file, never in the conversation; Ctrl-C quits while the terminal waits."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

GUARD = 120  # seconds before a missing line fails the test (it never hangs the suite)


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIDOAN_")}
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).weekday()
    env.update(
        {
            "CHIDOAN_SCHEDULE__TICK_SECONDS": "1",
            "CHIDOAN_OUTBOX__POLL_SECONDS": "0.2",
            "CHIDOAN_DIGEST__DIGEST_WEEKDAY": str(today),  # due from midnight today
            "CHIDOAN_DIGEST__DIGEST_HOUR": "0",
        }
    )
    return env


class Terminal:
    """`chidoan-bot run` with its standard input kept open, as a person at a terminal."""

    def __init__(self, exe: str, cwd: Path, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [exe, "run"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=cwd,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def type(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def wait_for(self, needle: str) -> str:
        """The first line (from now) that holds `needle`."""
        while True:
            try:
                line = self.lines.get(timeout=GUARD)
            except queue.Empty:
                self.process.kill()
                got = "\n".join(self.seen)
                raise AssertionError(f"no line with {needle!r}; got:\n{got}") from None
            self.seen.append(line)
            if needle in line:
                return line


def test_a_console_leader_gets_the_scheduled_digest_with_its_chart(tmp_path: Path) -> None:
    exe = shutil.which("chidoan-bot", path=str(Path(sys.executable).parent)) or "chidoan-bot"
    env = _environment()

    def cli(*args: str) -> str:
        done = subprocess.run(
            [exe, *args], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=GUARD
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    cli("db", "upgrade")
    terminal = Terminal(exe, tmp_path, env)
    try:
        terminal.wait_for("Register as secretary of PH-TL-01")
        notes = terminal.wait_for("web server")
        assert "off" in notes and "CHIDOAN_WEB__ENABLED=true" in notes
        code = cli("invite", "create", "--district", "PH", "--role", "leader").split()[1]
        terminal.type(f"/start {code}")
        terminal.wait_for("Thành viên Ban Thường vụ")
        terminal.wait_for("Bản tin tuần")
        attached = terminal.wait_for("[digest-PH-")
        chart = tmp_path / attached.split("→ ")[1].rstrip("]")
        assert chart.read_bytes().startswith(b"\x89PNG")
        terminal.process.send_signal(signal.SIGINT)  # standard input stays open
        assert terminal.process.wait(timeout=GUARD) == 0
    finally:
        if terminal.process.poll() is None:
            terminal.process.kill()
    assert terminal.process.stderr is not None
    errors = terminal.process.stderr.read()
    conversation = "\n".join(terminal.seen)
    for log_mark in (" INFO ", " WARNING ", " ERROR "):
        assert log_mark not in conversation and log_mark not in errors
    log = (tmp_path / "data" / "chidoan-bot.log").read_text(encoding="utf-8")
    assert "scheduler enqueued" in log
    assert (tmp_path / "data" / "chidoan-bot.log").stat().st_mode & 0o777 == 0o600
