"""Figures against the branch's own history and the district's month (the pure checks)."""

from __future__ import annotations

from typing import Any

from handlers.reports.form import load_form, parse_form
from handlers.reports.history import (
    PastReport,
    PeerReport,
    copied_previous,
    copied_text,
    district_outliers,
    figure_outliers,
)
from handlers.reports.thresholds import HistoryThresholds

FORM = load_form()
LIMITS = FORM.history


def months(key: str, *values: int) -> list[PastReport]:
    """Sent months, latest first, with `key` at these values."""
    return [PastReport(f"2026-{10 - i:02d}", {key: v}) for i, v in enumerate(values)]


def codes(answers: dict[str, Any], past: list[PastReport]) -> list[tuple[str, str]]:
    return [(d.field, d.code) for d in figure_outliers(LIMITS, answers, past)]


def test_a_figure_ten_times_the_usual_is_a_doubt() -> None:
    past = months("one_plus_one", 4, 5, 3, 6, 4, 5)
    assert codes({"one_plus_one": 50}, past) == [("one_plus_one", "history_high")]
    assert codes({"one_plus_one": 9}, past) == []


def test_one_odd_month_does_not_move_the_usual_figure() -> None:
    past = months("one_plus_one", 4, 5, 300, 6, 4, 5)  # one month typed ×60
    assert codes({"one_plus_one": 50}, past) == [("one_plus_one", "history_high")]
    [doubt] = figure_outliers(LIMITS, {"one_plus_one": 50}, past)
    assert doubt.values == {"value": 50, "usual": 5, "months": 6}


def test_too_little_history_compares_nothing() -> None:
    assert codes({"one_plus_one": 500}, months("one_plus_one", 4, 5)) == []


def test_a_branch_that_usually_gives_nothing_may_give_a_little() -> None:
    past = months("party_introduced", 0, 0, 1, 0, 0, 0)
    assert codes({"party_introduced": 2}, past) == []
    assert codes({"party_introduced": 4}, past) == [("party_introduced", "history_high")]


def test_a_steady_figure_falling_far_is_a_doubt_too() -> None:
    past = months("admitted", 40, 38, 42, 40, 41, 39)
    assert codes({"admitted": 4}, past) == [("admitted", "history_low")]


def test_members_and_transfers_are_left_to_the_member_balance() -> None:
    past = months("transferred_out", 0, 0, 0, 0, 0, 0)
    assert codes({"transferred_out": 30}, past) == [], "a graduating class leaves at once"


def peers(n: int, **answers: Any) -> list[PeerReport]:
    return [
        PeerReport(f"Chi đoàn {k}", "Đoàn xã A", {"members_total": 30, **answers}) for k in range(n)
    ]


def test_rates_per_member_far_above_the_district_are_a_doubt() -> None:
    district = peers(8, one_plus_one=5)
    answers = {"members_total": 30, "one_plus_one": 60}
    [doubt] = district_outliers(LIMITS, answers, "members_total", district)
    assert (doubt.field, doubt.code, doubt.values["rate"]) == ("one_plus_one", "district_high", 2.0)
    assert (
        district_outliers(LIMITS, {**answers, "one_plus_one": 12}, "members_total", district) == []
    )


def test_the_district_is_compared_only_once_enough_branches_reported() -> None:
    answers = {"members_total": 30, "one_plus_one": 60}
    assert district_outliers(LIMITS, answers, "members_total", peers(7, one_plus_one=5)) == []


TEXT = {
    "mood": "Đoàn viên phấn khởi, tích cực tham gia phong trào",
    "difficulties": "Thiếu kinh phí",
}


def test_the_same_report_as_last_month_is_a_doubt_but_not_its_date() -> None:
    last = {"members_total": 30, "meeting_date": "2026-10-15", **TEXT}
    now = {**last, "meeting_date": "2026-11-14"}
    doubt = copied_previous(FORM, LIMITS, now, [PastReport("2026-10", last)])
    assert doubt is not None and doubt.code == "same_as_previous"
    assert doubt.values == {"period": "2026-10"}
    changed = {**now, "members_total": 31}
    assert copied_previous(FORM, LIMITS, changed, [PastReport("2026-10", last)]) is None


def test_short_words_alike_are_never_called_a_copy() -> None:
    quiet = {"members_total": 3, "mood": "Ổn định", "difficulties": "Không"}
    assert copied_previous(FORM, LIMITS, quiet, [PastReport("2026-10", quiet)]) is None
    other = [PeerReport("Chi đoàn khu vực 1", "Đoàn phường 2", quiet)]
    assert copied_text(FORM, LIMITS, quiet, other) is None


def test_another_branchs_text_is_found_without_diacritics_or_case() -> None:
    typed = {
        "mood": "DOAN VIEN PHAN KHOI, tich cuc tham gia phong trao!",
        "difficulties": "thieu kinh phi",
    }
    other = [PeerReport("Chi đoàn khu vực 1", "Đoàn phường 2", TEXT)]
    doubt = copied_text(FORM, LIMITS, typed, other)
    assert doubt is not None and doubt.values == {
        "branch": "Chi đoàn khu vực 1",
        "unit": "Đoàn phường 2",
    }


def test_a_district_may_set_its_own_thresholds() -> None:
    form = parse_form(
        'version = "x"\n[[fields]]\nkey = "a"\ntype = "int"\n[history]\nratio = 2.0\n'
        "[history.floor]\na = 0\n[history.district.PH]\nratio = 10.0\nmin_months = 2\n"
    )
    own = form.history.for_district("PH")
    assert (own.ratio, own.min_months, own.months) == (10.0, 2, 6)
    assert form.history.for_district("NK") == form.history
    past = [
        PastReport("2026-10", {"a": 10}),
        PastReport("2026-09", {"a": 10}),
        PastReport("2026-08", {"a": 10}),
    ]
    assert figure_outliers(form.history, {"a": 30}, past) != []
    assert figure_outliers(own, {"a": 30}, past) == []


def test_the_shipped_thresholds_are_the_documented_defaults() -> None:
    assert HistoryThresholds().months == LIMITS.months == 6
    assert set(LIMITS.floor) >= {"admitted", "one_plus_one", "support_startup_vnd"}
    assert "members_total" not in LIMITS.floor
