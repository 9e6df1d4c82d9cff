"""The dashboard's scorecard cache: reused while nothing changed, recomputed as soon as a report,
a photo or a youth case changes, and never older than its maximum age."""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.scorecard.cache import ScorecardCache
from handlers.scorecard.compute import year_range
from handlers.scorecard.model import Scorecard
from storage.models import MonthlyReport, ReportRevision
from storage.repositories.org import OrgRepository
from storage.repositories.reports import ReportRepository
from tests.support.harness import Harness, local
from tests.support.scorecard_seed import NOW, YEAR, seed_year


async def _card(harness: Harness, cache: ScorecardCache, now: datetime = NOW) -> Scorecard:
    async with harness.uow() as uow:
        district = await uow.get(OrgRepository).district_by_code("PH")
        assert district is not None
        return await cache.scorecard(uow, district, *year_range(YEAR), now, harness.settings)


def _received(card: Scorecard, unit: str) -> int:
    return next(u for u in card.units if u.code == unit).figures.received


async def _submit_july(harness: Harness) -> None:
    async with harness.uow() as uow:
        branch = await uow.get(OrgRepository).branch_by_code("PH-CT-02")
        assert branch is not None
        july = await uow.get(ReportRepository).get(branch.id, f"{YEAR}-07")
        assert isinstance(july, MonthlyReport) and july.status == "draft"
        july.status = "submitted"
        uow.session.add(
            ReportRevision(
                report_id=july.id, number=1, action="submit", answers={}, at=local(YEAR, 8, 1)
            )
        )


async def test_a_new_submission_is_counted_at_once_and_nothing_new_reuses_the_card(
    harness: Harness,
) -> None:
    await seed_year(harness)
    cache = ScorecardCache()
    first = await _card(harness, cache)
    assert await _card(harness, cache) is first
    await _submit_july(harness)
    again = await _card(harness, cache)
    assert _received(again, "PH-CT") == _received(first, "PH-CT") + 1


async def test_the_dashboard_shows_an_out_of_date_card_once_while_a_new_one_is_computed(
    harness: Harness,
) -> None:
    await seed_year(harness)
    asked: list[int] = []
    cache = ScorecardCache(on_stale=asked.append)
    first = await _card(harness, cache)
    await _submit_july(harness)
    assert await _card(harness, cache) is first, "the kept card, not a reader's wait"
    assert len(asked) == 1, "and a new one asked for"
    async with harness.uow() as uow:
        district = await uow.get(OrgRepository).district_by_code("PH")
        assert district is not None and asked == [district.id]
        fresh = await cache.scorecard(
            uow, district, *year_range(YEAR), NOW, harness.settings, fresh=True
        )
    assert _received(fresh, "PH-CT") == _received(first, "PH-CT") + 1
    assert await _card(harness, cache) is fresh


async def test_an_entry_older_than_its_maximum_age_is_recomputed(harness: Harness) -> None:
    await seed_year(harness)
    cache = ScorecardCache(max_age=timedelta(minutes=5))
    first = await _card(harness, cache)
    assert await _card(harness, cache, NOW + timedelta(minutes=4)) is first
    assert await _card(harness, cache, NOW + timedelta(minutes=6)) is not first
