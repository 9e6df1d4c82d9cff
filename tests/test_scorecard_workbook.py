"""The scorecard workbook and the `chidoan-bot scorecard` command: one row per unit, one column per
criterion coloured by verdict, a sheet per unit with its branches; rules files checked."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.app.cli import main
from bot.clock import ManualClock
from bot.i18n import Catalog
from bot.spreadsheet import NEUTRALISER
from handlers.scorecard.compute import build_scorecard, year_range
from handlers.scorecard.judge import evaluate, verdict
from handlers.scorecard.measures import Figures
from handlers.scorecard.model import BranchScore, Scorecard, UnitScore
from handlers.scorecard.rules import load_rules
from handlers.scorecard.workbook import scorecard_workbook
from storage.repositories.org import OrgRepository
from tests.security.test_formula_injection import assert_inert
from tests.support.harness import Harness
from tests.support.scorecard_seed import EXPECTED_UNITS, NOW, YEAR, YOUTH_NAMES, seed_year

CATALOG = Catalog()
RULES = load_rules()


def t(key: str) -> str:
    return CATALOG.t("vi", key)


async def _card(harness: Harness) -> Scorecard:
    async with harness.uow() as uow:
        district = await uow.get(OrgRepository).district_by_code("PH")
        assert district is not None
        return await build_scorecard(uow, district, *year_range(YEAR), NOW, harness.settings)


@pytest.fixture
async def seeded(harness: Harness) -> Harness:
    await seed_year(harness)
    harness.clock.set(NOW)
    return harness


async def test_one_row_per_unit_and_one_column_per_criterion(seeded: Harness) -> None:
    book = load_workbook(io.BytesIO(scorecard_workbook(await _card(seeded), RULES, CATALOG, "vi")))
    summary = book[t("scorecard.sheet.summary")]
    header = [c.value for c in summary[1]]
    criteria = [t(c.label_key) for c in RULES.criteria]
    assert header[:5] == [
        t("scorecard.column.unit_code"),
        t("scorecard.column.unit"),
        t("scorecard.column.branches"),
        t("scorecard.column.score"),
        t("scorecard.column.verdict"),
    ]
    assert header[5 : 5 + len(criteria)] == criteria
    rows = {row[0]: row for row in summary.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == set(EXPECTED_UNITS)
    for code, (score, met, by_criterion, _weak) in EXPECTED_UNITS.items():
        row = rows[code]
        assert row[3] == score and row[4] == t("scorecard.met" if met else "scorecard.not_met")
        verdicts = row[5 : 5 + len(criteria)]
        assert list(verdicts) == [
            t("scorecard.met" if by_criterion[c.key] else "scorecard.not_met")
            for c in RULES.criteria
        ]
    assert "Chi đoàn khu vực 2" in rows["PH-CT"][-1]


async def test_verdicts_and_thresholds_are_coloured_by_conditional_formatting(
    seeded: Harness,
) -> None:
    book = load_workbook(io.BytesIO(scorecard_workbook(await _card(seeded), RULES, CATALOG, "vi")))
    summary = book[t("scorecard.sheet.summary")]
    ranges = {str(r.sqref) for r in summary.conditional_formatting}
    assert "F2:F4" in ranges and "E2:E4" in ranges  # the first criterion, and the verdict
    operators = {rule.operator for r in summary.conditional_formatting for rule in r.rules}
    assert {"equal", "notEqual", "greaterThanOrEqual", "lessThan", "lessThanOrEqual"} <= operators


async def test_a_sheet_per_unit_lists_its_branches_and_the_whole_unit(seeded: Harness) -> None:
    book = load_workbook(io.BytesIO(scorecard_workbook(await _card(seeded), RULES, CATALOG, "vi")))
    assert {"PH-TL", "PH-CT", "PH-THPT", t("scorecard.sheet.rules")} <= set(book.sheetnames)
    sheet = book["PH-CT"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[:2] for r in rows] == [
        ("PH-CT-01", "Chi đoàn khu vực 1"),
        ("PH-CT-02", "Chi đoàn khu vực 2"),
        ("PH-CT", t("scorecard.column.whole_unit")),
    ]
    meetings = [c.value for c in sheet[1]].index(t("scorecard.criterion.meetings"))
    assert [r[meetings] for r in rows] == [
        t("scorecard.met"),
        t("scorecard.not_met"),
        t("scorecard.not_met"),
    ]
    cells = " ".join(
        str(v) for s in book.worksheets for row in s.iter_rows(values_only=True) for v in row
    )
    assert not any(name in cells for name in YOUTH_NAMES)


def test_a_name_that_looks_like_a_formula_stays_text() -> None:
    figures = Figures(branches=1, expected=12, received=12, on_time=12)
    criteria = evaluate(RULES, figures, 12)
    score, met = verdict(RULES, criteria)
    branch = BranchScore("X-01", '=HYPERLINK("http://x")', figures, 12, RULES)
    unit = UnitScore("X", "+cmd|' /C calc'!A0", figures, criteria, score, met, (branch,))
    card = Scorecard("X", "Huyện X", "2026-01", "2026-12", ("2026-01",), "t", 80, (), (unit,))
    data = scorecard_workbook(card, RULES, CATALOG, "vi")
    texts = assert_inert(data)  # the same check every export passes
    assert NEUTRALISER + '=HYPERLINK("http://x")' in texts
    book = load_workbook(io.BytesIO(data))
    assert book[t("scorecard.sheet.summary")]["B2"].data_type == "s"
    assert book["X"]["B2"].data_type == "s"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


async def test_the_cli_writes_the_workbook_for_a_district_and_year(
    sqlite_harness: Harness,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await seed_year(sqlite_harness)
    monkeypatch.setenv("CHIDOAN_DATABASE__URL", sqlite_harness.url)
    monkeypatch.setenv("CHIDOAN_BOT__DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CHIDOAN_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("bot.app.cli.scorecard.SystemClock", lambda: ManualClock(NOW))
    out = tmp_path / "xep-loai" / "ph-2026.xlsx"
    args = ["scorecard", "--district", "ph", "--year", "2026", "--out", str(out), "--print"]
    code, printed, err = await _in_thread(args, capsys)
    assert code == 0, err
    assert "PH 2026-01..2026-12: 12 months due, 2/3 units met" in printed
    assert CATALOG.t("vi", "scorecard.unit_not_met", unit="Đoàn thị trấn Cây Dương", score=20) in (
        printed
    )
    book = load_workbook(out)
    assert {"PH-TL", "PH-CT", "PH-THPT"} <= set(book.sheetnames)
    code, _printed, err = await _in_thread(
        ["scorecard", "--district", "zz", "--year", "2026", "--print"], capsys
    )
    assert code == 1 and "no district with code zz" in err


async def _in_thread(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The CLI runs its own event loop: call it from a thread, as a shell would."""
    return await asyncio.to_thread(_run, args, capsys)


def test_check_accepts_the_built_in_rules_and_lists_the_criteria(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CHIDOAN_CONFIG", raising=False)
    code, out, err = _run(["scorecard", "check"], capsys)
    assert code == 0, err
    assert f"{len(RULES.criteria)} criteria" in out and "meetings_rate >= 0.8" in out


@pytest.mark.parametrize(
    ("rules", "complaint"),
    [
        ('version = "x"\n[overall]\nmin_score = 80\n', "criteria"),
        (
            'version = "x"\n[overall]\nmin_score = 80\n[[criteria]]\nkey = "reporting"\n'
            'weight = 1\nmeasures = [{ measure = "rate_of_joy", min = 1 }]\n',
            "unknown measure 'rate_of_joy'",
        ),
        (
            'version = "x"\n[overall]\nmin_score = 80\n[[criteria]]\nkey = "reporting"\n'
            'weight = 1\nmeasures = [{ measure = "reporting_rate", min = 1, max = 2 }]\n',
            "exactly one of min or max",
        ),
        (
            'version = "x"\n[overall]\nmin_score = 80\nrequired = ["nope"]\n[[criteria]]\n'
            'key = "reporting"\nweight = 1\nmeasures = [{ measure = "reporting_rate", min = 1 }]\n',
            "unknown criteria: nope",
        ),
        (
            'version = "x"\n[overall]\nmin_score = 80\n[fields]\nmembers = "so_doan_vien"\n'
            '[[criteria]]\nkey = "reporting"\nweight = 1\n'
            'measures = [{ measure = "reporting_rate", min = 1 }]\n',
            "the form has no question 'so_doan_vien'",
        ),
        (
            'version = "x"\n[overall]\nmin_score = 80\n[[criteria]]\nkey = "joy"\nweight = 1\n'
            'measures = [{ measure = "reporting_rate", min = 1 }]\n',
            "messages missing from locales/: scorecard.criterion.joy",
        ),
        ("version = \n", "not valid TOML"),
    ],
)
def test_check_refuses_a_rules_file_and_says_why(
    rules: str,
    complaint: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CHIDOAN_CONFIG", raising=False)
    path = tmp_path / "3cd.toml"
    path.write_text(rules, encoding="utf-8")
    code, _out, err = _run(["scorecard", "check", str(path)], capsys)
    assert code == 1 and complaint in err and "Traceback" not in err


def test_the_cli_says_what_it_needs(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = _run(["scorecard"], capsys)
    assert code == 2 and "--district" in err
