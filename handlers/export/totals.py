"""Subtotals per grassroots unit and totals per district for the reports sheet (dòng cộng).

They are counted as the digest counts: branches expected, reports received (submitted or
approved) and received on time, and each summable answer of the received reports through the
same rule (`handlers.reports.figures`), so the clerk's totals equal the digest's figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.reports.figures import figure, summable
from handlers.reports.form import Form
from handlers.reports.lifecycle import SENT
from storage.repositories.export import ReportRow


@dataclass
class Tally:
    """What a group of branches adds up to: reporting counts and the figures of its reports."""

    expected: int = 0
    received: int = 0
    on_time: int = 0
    photos: int = 0
    figures: dict[str, int] = field(default_factory=dict)

    def add(self, form: Form, fields: list[str], row: ReportRow) -> None:
        """Count one branch: expected always; its report's figures only when received."""
        self.expected += 1
        if row.status not in SENT:
            return
        self.received += 1
        self.on_time += 0 if row.late else 1
        self.photos += row.photos
        answers = row.answers or {}
        for key in fields:
            if form.has(key) and summable(form.field(key)):
                value = figure(form.field(key), answers.get(key))
                self.figures[key] = self.figures.get(key, 0) + value

    def merge(self, other: Tally) -> None:
        """Add another group's counts (a unit's into its district's)."""
        self.expected += other.expected
        self.received += other.received
        self.on_time += other.on_time
        self.photos += other.photos
        for key, value in other.figures.items():
            self.figures[key] = self.figures.get(key, 0) + value


@dataclass
class Group:
    """The grassroots unit whose branches are being written, and what they add up to so far."""

    code: str
    name: str
    tally: Tally = field(default_factory=Tally)
