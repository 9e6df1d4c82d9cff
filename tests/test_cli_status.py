"""`chidoan-bot status` (one district, or the whole country) and the export of a province
(several --district), as an operator types them on a fresh clone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import run
from tests.support.harness import LOCAL_FIXTURES, SAMPLE_ORG


def setup_two_districts(capsys: pytest.CaptureFixture[str]) -> None:
    run(["db", "upgrade"], capsys)
    run(["org", "import", str(SAMPLE_ORG)], capsys)
    run(["org", "import", str(LOCAL_FIXTURES / "org-second-district.csv")], capsys)


def test_status_of_the_country_has_a_line_per_district(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_two_districts(capsys)
    code, out, err = run(["status", "--period", "2026-11", "--lang", "en"], capsys)
    assert code == 0, err
    assert out.startswith("🗺️ Reporting across the country")
    assert "• Huyện đoàn Phụng Hiệp: 0/7 (0%)" in out
    assert "• Quận đoàn Ninh Kiều: 0/" in out


def test_status_of_one_district_is_its_table_by_unit(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_two_districts(capsys)
    code, out, err = run(["status", "--district", "ph", "--period", "2026-11"], capsys)
    assert code == 0, err
    assert "Tình hình báo cáo · Huyện đoàn Phụng Hiệp" in out
    assert "• Đoàn xã Tân Long: 0/3 (0%)" in out and "Ninh Kiều" not in out
    code, _out, err = run(["status", "--district", "XX"], capsys)
    assert code == 1 and "no district with code XX" in err


def test_export_of_a_province_takes_several_districts(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_two_districts(capsys)
    out = workdir / "province.xlsx"
    args = ["export", "--period", "2026-11", "--out", str(out)]
    code, printed, err = run([*args, "--district", "ph", "--district", "NK"], capsys)
    assert code == 0, err
    second = (LOCAL_FIXTURES / "org-second-district.csv").read_text().strip().splitlines()
    assert f"{7 + len(second) - 1} branches" in printed
    code, printed, err = run([*args, "--district", "ph"], capsys)
    assert code == 0 and "7 branches" in printed, err
