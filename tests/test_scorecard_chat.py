"""/xeploai in chat: a district leader or admin gets the seeded year's verdict per unit, the
figures behind each criterion missed, the branches pulling it down, and a chart."""

from __future__ import annotations

import pytest

from bot.i18n import Catalog
from storage.models import Role
from tests.support.harness import Harness
from tests.support.scorecard_seed import EXPECTED_UNITS, NOW, TYPED_REASON, YOUTH_NAMES, seed_year

CATALOG = Catalog()
UNIT_NAMES = {
    "PH-TL": "Đoàn xã Tân Long",
    "PH-CT": "Đoàn thị trấn Cây Dương",
    "PH-THPT": "Đoàn trường THPT Phụng Hiệp",
}


def t(key: str, **values: object) -> str:
    return CATALOG.t("vi", key, **values)


@pytest.fixture
async def seeded(harness: Harness) -> Harness:
    await seed_year(harness)
    harness.clock.set(NOW)
    return harness


async def test_a_leader_gets_each_units_verdict_and_the_branches_pulling_it_down(
    seeded: Harness,
) -> None:
    leader = await seeded.registered("lead", Role.LEADER, "PH")
    await leader.say("/xeploai 2026")
    text, chart = leader.last
    for code, (score, met, criteria, weak) in EXPECTED_UNITS.items():
        key = "scorecard.unit_met" if met else "scorecard.unit_not_met"
        assert t(key, unit=UNIT_NAMES[code], score=score) in text.text
        for criterion, branches in weak.items():
            assert not criteria[criterion]
            assert t("scorecard.weak_line", branches=", ".join(branches)) in text.text
    required = ", ".join(t(f"scorecard.criterion.{k}") for k in ("reporting", "meetings"))
    assert t("scorecard.summary_line", met=2, units=3, min_score=80, required=required) in text.text
    assert chart.photo is not None and chart.photo.data.startswith(b"\x89PNG")
    assert chart.text == t("scorecard.chart_caption", district="Huyện đoàn Phụng Hiệp")


async def test_the_figures_behind_a_missed_criterion_are_in_the_text(seeded: Harness) -> None:
    leader = await seeded.registered("lead", Role.LEADER, "PH")
    await leader.say("/xeploai 2026")
    # Cây Dương's meetings: 16 of 24 branch-months, 67%, against 80%.
    figures = t("scorecard.measure.meetings_rate", num=16, den=24, value="67%", op="≥", bound="80%")
    assert figures in leader.texts[0]


async def test_the_year_defaults_to_the_latest_one_due_and_an_odd_year_gets_a_hint(
    seeded: Harness,
) -> None:
    leader = await seeded.registered("lead", Role.LEADER, "PH")
    await leader.say("/xeploai")
    assert t("scorecard.range_line", first="1/2026", last="12/2026", months=12) in leader.text
    await leader.say("/xeploai năm ngoái")
    assert leader.text == t("scorecard.bad_year", text="năm ngoái", year=2026)
    await leader.say("/xeploai 2031")
    assert t("scorecard.no_months", first="1/2031", last="12/2031") in leader.text
    assert all(r.photo is None for r in leader.last)


async def test_admins_may_ask_and_secretaries_may_not(seeded: Harness) -> None:
    admin = await seeded.registered("adm", Role.ADMIN, "PH")
    await admin.say("/scorecard 2026")
    assert t("scorecard.title", district="Huyện đoàn Phụng Hiệp") in admin.text
    secretary = await seeded.registered("sec", Role.SECRETARY, "PH-TL-01")
    await secretary.say("/xeploai 2026")
    assert t("scorecard.title", district="Huyện đoàn Phụng Hiệp") not in secretary.text


async def test_the_text_names_branches_never_young_people(seeded: Harness) -> None:
    leader = await seeded.registered("lead", Role.LEADER, "PH")
    await leader.say("/xeploai 2026")
    for name in (*YOUTH_NAMES, TYPED_REASON):
        assert name not in leader.text
    # Another district's figures never leak into PH's.
    assert "Ninh Kiều" not in leader.text


async def test_in_english_too(seeded: Harness) -> None:
    leader = await seeded.registered("lead", Role.LEADER, "PH", language_hint="en")
    await leader.say("/scorecard 2026")
    unit = UNIT_NAMES["PH-CT"]
    assert CATALOG.t("en", "scorecard.unit_not_met", unit=unit, score=20) in leader.text
