"""`chidoan-bot ARGS` in a child process, timed, with the child's own peak memory.

VmHWM, not ru_maxrss: after fork and exec, ru_maxrss still counts the parent's size.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import re, sys
from pathlib import Path
from bot.app.cli import main
code = main(sys.argv[1:])
print(re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text())[1], file=sys.stderr)
sys.exit(code)
"""
#: Photo links in a workbook, as a bot with a public address writes them.
PUBLIC_LINKS = {
    "CHIDOAN_WEB__PUBLIC_BASE_URL": "https://bot.example.org",
    "CHIDOAN_WEB__LINK_SECRET": "bench-link-secret",
}


@dataclass(frozen=True)
class CliRun:
    code: int
    seconds: float
    peak_kib: int
    stdout: str
    problem: str  # the last line of stderr that is not the peak figure

    @property
    def said(self) -> str:
        """What the command printed, or else what it complained of."""
        return self.stdout or self.problem


def run_cli(args: list[str], env: dict[str, str]) -> CliRun:
    """Run `chidoan-bot ARGS` from the repository's root with `env`."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *args],
        env=env, cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    took = time.perf_counter() - started
    lines = done.stderr.strip().splitlines() or ["0"]
    peak = int(lines[-1]) if lines[-1].isdigit() else 0
    problem = next((line for line in reversed(lines) if not line.isdigit()), "")
    return CliRun(done.returncode, took, peak, done.stdout.strip(), problem)
