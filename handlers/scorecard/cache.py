"""Scorecards kept between dashboard requests, recomputed as soon as anything they count changes.

A year of reports is thousands of rows read on every request; a leader's page is reloaded every
five minutes. Each request first reads the change stamp (four index look-ups); an entry is used
only while the stamp is unchanged and it is younger than `max_age`. With `on_stale` set (the
dashboard), an entry that is out of date is still shown once while a new one is computed in the
background, so no reader waits for a year of reports after each new report anywhere. The
database stays the only source: a restart or another worker simply computes again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import Settings
from handlers.scorecard.compute import build_scorecard, due_periods, rules_of
from handlers.scorecard.model import Scorecard
from storage.models import District
from storage.repositories.scorecard import ScorecardRepository
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class _Entry:
    stamp: tuple[int, ...]
    at: datetime
    card: Scorecard


class ScorecardCache:
    """Per district and range of months; the least recently used entries go first."""

    def __init__(
        self,
        max_age: timedelta = timedelta(minutes=5),
        size: int = 64,
        on_stale: Callable[[int], None] | None = None,
    ) -> None:
        self.max_age = max_age
        self.size = size
        #: Called with a district's id when its out-of-date entry is shown: compute it again.
        self.on_stale = on_stale
        self._entries: OrderedDict[tuple[object, ...], _Entry] = OrderedDict()

    async def scorecard(
        self,
        uow: UnitOfWork,
        district: District,
        first: str,
        last: str,
        now: datetime,
        settings: Settings,
        *,
        fresh: bool = False,
    ) -> Scorecard:
        """The district's scorecard, from the cache when nothing changed since it was computed;
        an out-of-date one (not `fresh`, with `on_stale` set) while a new one is computed."""
        rules = rules_of(settings)
        periods = tuple(due_periods(first, last, now, settings))
        key = (district.id, first, last, periods, settings.reporting.scorecard_file, rules.version)
        stamp = await uow.get(ScorecardRepository).change_stamp()
        entry = self._entries.get(key)
        if entry is not None and entry.stamp == stamp and now - entry.at < self.max_age:
            self._entries.move_to_end(key)
            return entry.card
        if entry is not None and not fresh and self.on_stale is not None:
            self.on_stale(district.id)
            return entry.card
        card = await build_scorecard(uow, district, first, last, now, settings, rules)
        self._entries[key] = _Entry(stamp, now, card)
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return card

    def districts(self) -> set[object]:
        """The districts (ids) whose scorecard is kept."""
        return {key[0] for key in self._entries}
