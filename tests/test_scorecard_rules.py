"""The scorecard's measures and verdicts on figures alone, and the rules file as data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.app.dashboard.web import STATUS_COLUMNS
from bot.i18n import load_locale
from handlers.reports.form import load_form
from handlers.scorecard.compute import reused_counts
from handlers.scorecard.judge import evaluate, verdict
from handlers.scorecard.measures import MEASURES, Figures, measure
from handlers.scorecard.rules import RulesError, load_rules, parse_rules, problems_with_form
from storage.repositories.scorecard import FlaggedReport

RULES = load_rules()


def test_a_yearly_measure_is_scaled_to_twelve_months() -> None:
    figures = Figures(branches=2, projects=3)
    result = measure("projects_per_branch", figures, 6, 2, "min")
    assert result.value == pytest.approx(3.0) and result.met
    assert measure("projects_per_branch", figures, 12, 2, "min").met is False


def test_nothing_to_count_meets_the_bound_and_shows_no_value() -> None:
    result = measure("meeting_photo_share", Figures(meetings=0), 12, 0.7, "min")
    assert result.value is None and result.met


def test_a_maximum_is_met_at_the_bound_and_not_above() -> None:
    assert measure(
        "reused_photo_share", Figures(received=20, reused_flagged=1), 12, 0.05, "max"
    ).met
    assert not measure(
        "reused_photo_share", Figures(received=20, reused_flagged=2), 12, 0.05, "max"
    ).met


def test_a_share_exactly_at_the_bound_is_met() -> None:
    assert measure("reporting_rate", Figures(expected=10, received=9), 12, 0.9, "min").met


def test_the_score_is_the_weight_met_and_required_criteria_must_all_be_met() -> None:
    perfect = Figures(
        branches=1, expected=12, received=12, on_time=12, meetings=12, attendance=12,
        attendance_base=12, one_plus_one=12, members=10, projects=4, admitted=2, reporting=1,
        balanced=1, party_introduced=1, meetings_with_photos=12, projects_with_photos=4,
    )  # fmt: skip
    criteria = evaluate(RULES, perfect, 12)
    assert verdict(RULES, criteria) == (100, True)
    no_meetings = Figures(
        **{**perfect.__dict__, "meetings": 0, "attendance": 0, "meetings_with_photos": 0}
    )
    score, met = verdict(RULES, evaluate(RULES, no_meetings, 12))
    assert score == 80 and not met  # meetings are required, whatever the score


def test_reused_photos_are_counted_by_flag_code_patterns_once_per_report() -> None:
    def report(branch_id: int, *codes: str) -> FlaggedReport:
        flags = [{"code": c, "field": "photos"} for c in codes]
        return FlaggedReport(branch_id, "b", "u", "U", "2026-01", "submitted", flags, {})

    flagged = [
        report(1, "photo_reused", "photo_reused_cross_branch"),
        report(1, "low_attendance"),
        report(2, "duplicate_photo_near"),
    ]
    assert reused_counts(RULES, flagged) == {1: 1, 2: 1}


def test_every_measure_named_in_the_rules_exists_and_has_words() -> None:
    vi = load_locale("vi")
    assert all(f"scorecard.measure.{m}" in vi for m in MEASURES)
    assert all(f"scorecard.measure_name.{m}" in vi for m in MEASURES)
    assert all(c.label_key in vi and f"scorecard.short.{c.key}" in vi for c in RULES.criteria)


def test_the_built_in_rules_read_the_built_in_form() -> None:
    assert problems_with_form(RULES, load_form()) == []
    assert RULES.total_weight == 100


def test_a_question_of_the_wrong_type_is_named() -> None:
    text = (
        'version = "x"\n[overall]\nmin_score = 50\n[fields]\nmembers = "mood"\n'
        '[[criteria]]\nkey = "reporting"\nweight = 1\n'
        'measures = [{ measure = "reporting_rate", min = 0.5 }]\n'
    )
    problems = problems_with_form(parse_rules(text), load_form())
    assert problems == ["fields: question 'mood' is longtext, not int"]


def test_criteria_declared_twice_are_refused() -> None:
    criterion = (
        '[[criteria]]\nkey = "a"\nweight = 1\nmeasures = [{ measure = "on_time_rate", min = 1 }]\n'
    )
    with pytest.raises(RulesError, match="declared twice: a"):
        parse_rules('version = "x"\n[overall]\nmin_score = 1\n' + criterion * 2)


def test_every_message_the_dashboard_template_names_exists() -> None:
    template = Path(__file__).resolve().parents[1] / "bot/app/dashboard/templates/dashboard.html"
    named = set(re.findall(r"""t\(\s*["']([a-z_.]+)["']""", template.read_text("utf-8")))
    # Keys built in the template from a prefix: the status columns and the criteria.
    keys = {k for k in named if not k.endswith(".")}
    keys |= {f"dashboard.page.{column}" for column in STATUS_COLUMNS}
    vi = load_locale("vi")
    assert len(keys) > 20 and sorted(k for k in keys if k not in vi) == []
