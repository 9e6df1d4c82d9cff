"""What a digest holds: reporting rates per grassroots unit, key figures, youth and photo counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Figure:
    """A figure of the digest: the question it sums (or counts yes for) and its line's key."""

    key: str
    label_key: str


def rate(part: int, whole: int) -> float | None:
    """part/whole as a fraction, None when nothing was expected."""
    return part / whole if whole else None


class Rates:
    """The two DHIS2 rates, for anything that counts expected, received and on-time reports.

    Subclasses supply the three counts, as dataclass fields or as sums.
    """

    @property
    def expected(self) -> int:
        return 0

    @property
    def received(self) -> int:
        return 0

    @property
    def on_time(self) -> int:
        return 0

    @property
    def reporting_rate(self) -> float | None:
        """Received / expected (DHIS2 reporting rate)."""
        return rate(self.received, self.expected)

    @property
    def on_time_rate(self) -> float | None:
        """Received on time / expected (DHIS2 on-time rate)."""
        return rate(self.on_time, self.expected)


@dataclass
class UnitStatus(Rates):
    """Đoàn cơ sở: how many of its branches have reported, and which have not."""

    code: str
    name: str
    expected: int = 0
    received: int = 0
    on_time: int = 0
    missing: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)


@dataclass
class ReportingTable(Rates):
    """The district's reporting table for one period (expected / received / on time)."""

    district_code: str
    district_name: str
    period: str
    deadline: datetime
    units: list[UnitStatus]

    @property
    def expected(self) -> int:
        """Branches expected to report."""
        return sum(u.expected for u in self.units)

    @property
    def received(self) -> int:
        """Reports received (submitted or approved)."""
        return sum(u.received for u in self.units)

    @property
    def on_time(self) -> int:
        """Reports received by the deadline."""
        return sum(u.on_time for u in self.units)


@dataclass
class YouthCounts:
    """Difficult-youth cases: counts only, never names."""

    open: int = 0
    new: int = 0
    closed: int = 0
    # category → [open, new, closed]
    by_category: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class Digest:
    """Everything the weekly digest says about one district and period."""

    table: ReportingTable
    figures: list[Figure]  # the form's digest questions, in form order
    totals: dict[str, int]
    previous: dict[str, int] | None  # None when last month has no received report
    youth: YouthCounts
    photos: int
    branches_with_photos: int
    flagged: list[tuple[str, str]]  # (branch, its grassroots unit): branch names repeat
    returned: list[str]
    trend: list[tuple[str, float | None]]
