"""Test-only crash points for the kill -9 tests in tests/resilience; inert in production.

`CHIDOAN_TEST_KILL_AT="<point>:<text>"` makes the process SIGKILL itself when an update whose
text is exactly `<text>` reaches `<point>`: "received" (the engine has it, nothing is stored
yet) or "before_commit" (the handler ran, the transaction is not committed).
"""

from __future__ import annotations

import os
import signal

ENV = "CHIDOAN_TEST_KILL_AT"


def reached(point: str, text: str) -> None:
    """Die here, as `kill -9` would, when the test asked for this point and this text."""
    wanted = os.environ.get(ENV)
    if wanted and wanted == f"{point}:{text}":
        os.kill(os.getpid(), signal.SIGKILL)
