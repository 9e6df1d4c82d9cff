"""The dashboard's first request does not pay for the year's scorecard: it is computed in the
background when a link is sent, and when the server starts for every district with a live link."""

from __future__ import annotations

from storage.models import Role
from storage.repositories.org import OrgRepository
from tests.support.dashboard import dashboard_server, link_for
from tests.support.harness import Harness
from tests.support.scorecard_seed import NOW, seed_year


async def district_id(harness: Harness, code: str) -> int:
    async with harness.uow() as uow:
        district = await uow.get(OrgRepository).district_by_code(code)
        assert district is not None
        return district.id


async def test_sending_a_link_prepares_that_districts_scorecard(harness: Harness) -> None:
    await seed_year(harness)
    harness.clock.set(NOW)
    async with dashboard_server(harness) as served:
        assert served.pages.scorecards.districts() == set()
        leader = await harness.registered("lead", Role.LEADER, "PH")
        await link_for(leader)
        await served.pages.warmed()
        assert served.pages.scorecards.districts() == {await district_id(harness, "PH")}


async def test_a_restarted_server_prepares_the_districts_with_live_links(harness: Harness) -> None:
    await seed_year(harness)
    harness.clock.set(NOW)
    async with dashboard_server(harness) as served:
        leader = await harness.registered("lead", Role.LEADER, "PH")
        await link_for(leader)
    async with dashboard_server(harness) as restarted:
        await restarted.pages.warmed()
        assert restarted.pages.scorecards.districts() == {await district_id(harness, "PH")}
    assert served.pages is not restarted.pages
