"""CLI, round 2: folders created, codes in any case, help that says what is needed, plurals."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.test_cli import SAMPLE_ORG, run, workdir

__all__ = ["workdir"]


def _help(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit):
        run([*args, "--help"], capsys)
    return capsys.readouterr().out


def test_export_creates_the_folder_and_takes_any_case(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(["db", "upgrade"], capsys)
    run(["org", "import", str(SAMPLE_ORG)], capsys)
    out = workdir / "nodir" / "deeper" / "x.xlsx"
    code, printed, err = run(
        ["export", "--period", "2026-11", "--out", str(out), "--district", "ph"], capsys
    )
    assert code == 0, err
    assert out.exists() and "7 branches" in printed
    blocked = workdir / "file.txt"
    blocked.write_text("not a folder")
    code, _printed, err = run(
        ["export", "--period", "2026-11", "--out", str(blocked / "x.xlsx")], capsys
    )
    assert code == 1 and "cannot write" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_codes_in_lower_case_everywhere(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(["db", "upgrade"], capsys)
    run(["org", "import", str(SAMPLE_ORG)], capsys)
    code, out, err = run(["digest", "--district", "ph", "--print"], capsys)
    assert code == 0 and "Huyện đoàn Phụng Hiệp" in out, err
    for place in (
        ["--branch", "ph-tl-01", "--role", "secretary"],
        ["--unit", "ph-tl", "--role", "unit-secretary"],
    ):
        code, out, err = run(["invite", "create", *place], capsys)
        assert code == 0 and "code: " in out, err


def test_invite_expiry_in_local_time(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(["db", "upgrade"], capsys)
    run(["org", "import", str(SAMPLE_ORG)], capsys)
    code, out, _err = run(["invite", "create", "--district", "PH", "--role", "admin"], capsys)
    assert code == 0 and "Asia/Ho_Chi_Minh" in out and " UTC" not in out


def test_import_summary_uses_plurals(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(["db", "upgrade"], capsys)
    _code, out, _err = run(["org", "import", str(SAMPLE_ORG)], capsys)
    assert "7 branches read" in out and "1 district, 3 units, 7 branches" in out
    assert not re.search(r"\b1 branches\b|\b[02-9] unit\b", out)


def test_help_says_what_is_needed(capsys: pytest.CaptureFixture[str]) -> None:
    assert "--print" in _help(["digest"], capsys) and "or both" in _help(["digest"], capsys)
    export = _help(["export"], capsys)
    assert "the month, e.g. 2026-11" in export and "where to write the workbook" in export
    org = _help(["org", "import"], capsys)
    assert "CSV" in org and ".xlsx" in org and "Windows-1258" in org
    assert "Telegram, Zalo" in _help(["run"], capsys)
