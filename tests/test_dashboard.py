"""The district dashboard: a signed link from /bangdieukhien opens a live, private, read-only page
with the seeded year's figures; any other link gets 403."""

from __future__ import annotations

from datetime import timedelta

import aiohttp
import pytest
from sqlalchemy import select

from bot.i18n import Catalog, percent
from storage.models import Role, RoleAssignment
from storage.repositories.org import OrgRepository
from tests.support.dashboard import Served, dashboard_server, link_for, read_page
from tests.support.harness import Harness
from tests.support.scorecard_seed import (
    EXPECTED_DECEMBER,
    EXPECTED_UNITS,
    NOW,
    TYPED_REASON,
    YOUTH_NAMES,
    seed_year,
)

CATALOG = Catalog()


@pytest.fixture
async def served(harness: Harness) -> Served:
    await seed_year(harness)
    harness.clock.set(NOW)
    async with dashboard_server(harness) as served:
        yield served  # type: ignore[misc]


async def _get(url: str) -> tuple[int, dict[str, str], str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        body = await response.read()
        text = body.decode("utf-8", "replace") if response.content_type != "image/png" else ""
        return response.status, dict(response.headers), text


async def test_a_leader_opens_the_page_with_this_months_status_by_unit(
    harness: Harness, served: Served
) -> None:
    leader = await harness.registered("lead", Role.LEADER, "PH")
    status, headers, html = await _get(await link_for(leader))
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = read_page(html)
    for unit, (expected, on_time, late, missing, returned, flagged) in EXPECTED_DECEMBER.items():
        figures = {k: int(v) for k, v in page.status[unit].items() if k != "on_time_rate"}
        assert figures == {
            "expected": expected,
            "on_time": on_time,
            "late": late,
            "missing": missing,
            "returned": returned,
            "flagged": flagged,
        }, unit
        assert page.status[unit]["on_time_rate"] == percent(on_time / expected)
    assert page.status["PH"]["on_time_rate"] == percent(4 / 7)


async def test_the_page_shows_the_scorecard_so_far_and_the_flagged_reports(
    harness: Harness, served: Served
) -> None:
    leader = await harness.registered("lead", Role.LEADER, "PH")
    _status, _headers, html = await _get(await link_for(leader))
    page = read_page(html)
    for unit, (score, met, criteria, _weak) in EXPECTED_UNITS.items():
        assert page.scorecard[unit]["met"] == ("yes" if met else "no")
        assert page.scorecard[unit]["score"] == f"{score}/100"
        assert page.missed[unit] == [k for k, ok in criteria.items() if not ok]
    assert page.flagged_branches == ["Chi đoàn lớp 10A1"]
    # A new kind of flag shows up by its code until it has words; known ones in words.
    assert "photo_exif_old" in page.text
    assert CATALOG.t("vi", "dashboard.flag.member_balance") in page.text


async def test_the_page_never_shows_a_young_persons_name_nor_a_typed_reason(
    harness: Harness, served: Served
) -> None:
    leader = await harness.registered("lead", Role.LEADER, "PH")
    url = await link_for(leader)
    for lang in ("vi", "en"):
        _status, _headers, html = await _get(f"{url}?lang={lang}")
        for name in (*YOUTH_NAMES, "Đặng Văn Lâm", TYPED_REASON, "Phạm Văn Tùng"):
            assert name not in html


async def test_the_page_is_never_cached_and_loads_nothing_from_elsewhere(
    harness: Harness, served: Served
) -> None:
    leader = await harness.registered("lead", Role.LEADER, "PH")
    url = await link_for(leader)
    _status, headers, html = await _get(url)
    assert "no-store" in headers["Cache-Control"] and "private" in headers["Cache-Control"]
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert "http://" not in html.replace(served.base_url, "") and "https://" not in html
    chart_status, chart_headers, _ = await _get(f"{url}/chart.png")
    assert chart_status == 200 and chart_headers["Content-Type"] == "image/png"
    assert "no-store" in chart_headers["Cache-Control"]
    css_status, _css_headers, css = await _get(f"{served.base_url}/dashboard-assets/dashboard.css")
    assert css_status == 200 and "@media" in css


async def test_vietnamese_first_and_english_on_request(harness: Harness, served: Served) -> None:
    leader = await harness.registered("lead", Role.LEADER, "PH")
    url = await link_for(leader)
    _s, _h, vi = await _get(url)
    _s, _h, en = await _get(f"{url}?lang=en")
    assert CATALOG.t("vi", "dashboard.page.flagged_heading") in vi
    assert CATALOG.t("en", "dashboard.page.flagged_heading") in en


def _forged(url: str) -> str:
    head, signature = url[:-1], url[-1]
    return head + ("A" if signature != "A" else "B")


async def test_forged_expired_revoked_and_other_district_links_get_403(
    harness: Harness, served: Served
) -> None:
    leader = await harness.registered("lead", Role.LEADER, "PH")
    url = await link_for(leader)
    other = url.replace("/bangdieukhien/PH/", "/bangdieukhien/NK/")
    for refused in (_forged(url), other, url + "x", f"{served.base_url}/bangdieukhien/PH/abc"):
        status, headers, body = await _get(refused)
        assert status == 403, refused
        assert "no-store" in headers["Cache-Control"]
        assert CATALOG.t("vi", "dashboard.refused") in body
    assert (await _get(_forged(url) + "/chart.png"))[0] == 403
    harness.clock.advance(timedelta(hours=12, seconds=1))
    assert (await _get(url))[0] == 403


async def test_a_revoked_link_gets_403_and_a_new_one_opens(
    harness: Harness, served: Served
) -> None:
    leader = await harness.registered("lead", Role.LEADER, "PH")
    first, second = await link_for(leader), await link_for(leader)
    await leader.say("/bangdieukhien huy")
    assert leader.text == CATALOG.t("vi", "dashboard.revoked.other", count=2)
    assert (await _get(first))[0] == 403 and (await _get(second))[0] == 403
    assert (await _get(await link_for(leader)))[0] == 200
    await leader.say("/bangdieukhien huy")
    await leader.say("/bangdieukhien huy")
    assert leader.text == CATALOG.t("vi", "dashboard.none_to_revoke")


async def test_a_link_of_another_district_leader_or_a_lost_role_gets_403(
    harness: Harness, served: Served
) -> None:
    other_leader = await harness.registered("nk", Role.LEADER, "NK")
    nk_url = await link_for(other_leader)
    assert (await _get(nk_url))[0] == 200
    assert (await _get(nk_url.replace("/NK/", "/PH/")))[0] == 403
    async with harness.uow() as uow:
        nk = await uow.get(OrgRepository).district_by_code("NK")
        assert nk is not None
        query = select(RoleAssignment).where(RoleAssignment.district_id == nk.id)
        for assignment in await uow.session.scalars(query):
            assignment.active = False
    assert (await _get(nk_url))[0] == 403


async def test_only_district_leaders_and_admins_get_a_link(
    harness: Harness, served: Served
) -> None:
    secretary = await harness.registered("sec", Role.SECRETARY, "PH-TL-01")
    await secretary.say("/bangdieukhien")
    assert "/bangdieukhien/" not in secretary.text
    admin = await harness.registered("adm", Role.ADMIN, "PH")
    assert (await _get(await link_for(admin)))[0] == 200


async def test_without_a_public_address_the_leader_is_told_so(harness: Harness) -> None:
    leader = await harness.registered("lead", Role.LEADER, "PH")
    await leader.say("/bangdieukhien")
    assert leader.text == CATALOG.t("vi", "dashboard.not_configured")
