"""Subtotals per grassroots unit and totals per district for the reports sheet (dòng cộng).

They are counted as the digest counts: branches expected, reports received (submitted or
approved) and received on time, and each summable answer of the received reports through the
same rule (`handlers.reports.figures`), so the clerk's totals equal the digest's figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from handlers.reports.figures import figure, summable
from handlers.reports.form import Form, FormField
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

    def add(self, summed: Sequence[FormField], row: ReportRow) -> None:
        """Count one branch: expected always; the figures of `summed` questions only when its
        report is received."""
        self.expected += 1
        if row.status not in SENT:
            return
        self.received += 1
        self.on_time += 0 if row.late else 1
        self.photos += row.photos
        answers = row.answers or {}
        for question in summed:
            value = figure(question, answers.get(question.key))
            self.figures[question.key] = self.figures.get(question.key, 0) + value

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


def summed_questions(form: Form, fields: Sequence[str]) -> list[FormField]:
    """The questions among `fields` that have a total (looked up once, not per row)."""
    return [form.field(key) for key in fields if form.has(key) and summable(form.field(key))]
