"""The whole country's reporting table (bảng tình hình báo cáo toàn quốc): one line per district.

Counted in one SQL query grouped by district, so a hundred thousand branches cost one scan of
the period's reports, and no branch name is loaded (the district views list those).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.config import Settings
from bot.i18n import Formatter
from bot.periods import deadline
from handlers.digest.model import Rates
from storage.repositories.digest import DigestRepository
from storage.uow import UnitOfWork


@dataclass
class DistrictStatus(Rates):
    """Huyện đoàn: how many of its branches have reported (counts only)."""

    code: str
    name: str
    expected: int = 0
    received: int = 0
    on_time: int = 0
    returned: int = 0


@dataclass
class NationalTable(Rates):
    """Every district's reporting counts for one period."""

    period: str
    deadline: datetime
    districts: list[DistrictStatus]

    @property
    def expected(self) -> int:
        return sum(d.expected for d in self.districts)

    @property
    def received(self) -> int:
        return sum(d.received for d in self.districts)

    @property
    def on_time(self) -> int:
        return sum(d.on_time for d in self.districts)

    @property
    def returned(self) -> int:
        return sum(d.returned for d in self.districts)


async def national_table(uow: UnitOfWork, period: str, settings: Settings) -> NationalTable:
    """Expected, received and on-time reports of every district for the period."""
    counts = await uow.get(DigestRepository).status_by_district(period)
    return NationalTable(
        period,
        deadline(period, settings.reporting, settings.bot.timezone),
        [DistrictStatus(c.code, c.name, c.expected, c.received, c.on_time, c.returned)
         for c in counts],
    )  # fmt: skip


def national_text(table: NationalTable, f: Formatter) -> str:
    """Headline rates for the country, then one line per district."""
    t, n, pct = f.t, f.number, f.percent
    lines = [
        t("digest.national_title"),
        t("digest.period_line", period=f.month(table.period), deadline=f.moment(table.deadline)),
        t("digest.rate_line", received=n(table.received), expected=n(table.expected),
          rate=pct(table.reporting_rate)),
        t("digest.on_time_line", on_time=n(table.on_time), expected=n(table.expected),
          rate=pct(table.on_time_rate)),
        "",
        t("digest.by_district"),
    ]  # fmt: skip
    for district in table.districts:
        lines.append(
            t("digest.unit_line", unit=district.name, received=n(district.received),
              expected=n(district.expected), rate=pct(district.reporting_rate),
              on_time=n(district.on_time), on_time_rate=pct(district.on_time_rate))
        )  # fmt: skip
    outstanding = table.expected - table.received
    lines.append("")
    if not table.expected:
        lines.append(t("digest.no_branches"))
    elif not outstanding:
        lines.append(t("digest.none_missing"))
    else:
        lines.append(
            t("digest.outstanding_total", count=n(outstanding),
              missing=n(outstanding - table.returned), returned=n(table.returned))
        )  # fmt: skip
    return "\n".join(lines)
