"""The "3 chủ động" scorecard gives the hand-computed verdict for each unit of a seeded year."""

from __future__ import annotations

import pytest

from handlers.scorecard.compute import build_scorecard, year_range
from handlers.scorecard.model import Scorecard
from storage.repositories.org import OrgRepository
from tests.support.harness import Harness
from tests.support.scorecard_seed import (
    EXPECTED_FIGURES,
    EXPECTED_UNITS,
    NOW,
    YEAR,
    seed_year,
)


async def _scorecard(harness: Harness, first: str, last: str) -> Scorecard:
    async with harness.uow() as uow:
        district = await uow.get(OrgRepository).district_by_code("PH")
        assert district is not None
        return await build_scorecard(uow, district, first, last, NOW, harness.settings)


@pytest.fixture
async def seeded(harness: Harness) -> Harness:
    await seed_year(harness)
    harness.clock.set(NOW)
    return harness


async def test_each_unit_gets_its_hand_computed_verdict_and_criteria(seeded: Harness) -> None:
    card = await _scorecard(seeded, *year_range(YEAR))
    assert card.months == 12
    found = {u.code: (u.score, u.met, {c.key: c.met for c in u.criteria}) for u in card.units}
    assert found == {code: expected[:3] for code, expected in EXPECTED_UNITS.items()}


async def test_branches_pulling_a_unit_down_are_named_for_each_criterion_missed(
    seeded: Harness,
) -> None:
    card = await _scorecard(seeded, *year_range(YEAR))
    for unit in card.units:
        weak = {c.key: unit.weak_branches(c.key) for c in unit.criteria if not c.met}
        assert weak == EXPECTED_UNITS[unit.code][3], unit.code


async def test_the_figures_behind_each_verdict_are_the_counted_ones(seeded: Harness) -> None:
    card = await _scorecard(seeded, *year_range(YEAR))
    for unit in card.units:
        measures = {m.measure: m for c in unit.criteria for m in c.measures}
        for name, numerator, denominator in EXPECTED_FIGURES[unit.code]:
            found = measures[name]
            assert (found.numerator, found.denominator) == (numerator, denominator), (
                unit.code,
                name,
            )


async def test_a_range_counts_only_its_months_and_scales_yearly_measures(seeded: Harness) -> None:
    card = await _scorecard(seeded, f"{YEAR}-01", f"{YEAR}-06")
    tl = next(u for u in card.units if u.code == "PH-TL")
    projects = next(
        m for c in tl.criteria for m in c.measures if m.measure == "projects_per_branch"
    )
    # Two projects per branch in six months (March, June) is four a year.
    assert (projects.numerator, projects.denominator) == (6, 3)
    assert projects.value == pytest.approx(4.0)


async def test_months_not_yet_due_are_not_counted_as_missing(seeded: Harness) -> None:
    async with seeded.uow() as uow:
        district = await uow.get(OrgRepository).district_by_code("PH")
        assert district is not None
        before = NOW.replace(month=3, day=1)  # February's deadline passed, March's has not
        card = await build_scorecard(uow, district, *year_range(YEAR), before, seeded.settings)
    assert card.periods == (f"{YEAR}-01", f"{YEAR}-02")
    tl = next(u for u in card.units if u.code == "PH-TL")
    assert tl.figures.expected == 6 and tl.figures.received == 6
