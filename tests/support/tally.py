"""What the security and resilience suites did, summed into one line at the end of the run.

Tests record the hostile inputs they sent, the faults they injected and survived, and any data
they found missing afterwards (their assertions fail when it is not zero; the tally is counted
before asserting, so a red run still says how much was lost). `pytest` prints the line after its
summary; the README quotes it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Tally:
    inputs: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    lost: int = 0

    def tried(self, inputs: int = 1) -> None:
        """Hostile inputs sent to the bot (messages, requests, cells)."""
        self.inputs += inputs

    def survived(self, fault: str, times: int = 1) -> None:
        """A fault injected into a running bot (kill -9, a database refusing writes, …)."""
        self.faults[fault] += times

    def missing(self, expected: int, found: int) -> int:
        """Records that should exist after a fault, against those found; returns the loss."""
        lost = max(expected - found, 0)
        self.lost += lost
        return lost

    def line(self) -> str | None:
        if not self.inputs and not self.faults:
            return None
        kinds = ", ".join(f"{kind} ×{n}" for kind, n in sorted(self.faults.items()))
        faults = sum(self.faults.values())
        return (
            f"security and resilience: {self.inputs:,} hostile inputs tried, "
            f"{faults} faults survived ({kinds or 'none'}), {self.lost} records lost"
        )


TALLY = Tally()
