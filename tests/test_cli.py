"""The operator's commands, and a scripted console session end to end."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app.cli import main
from tests.support.cli import run
from tests.support.harness import SAMPLE_ORG


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("run", "chat", "db", "org", "invite"):
        assert f"    {command} " in out


def test_unmigrated_database_is_refused_with_the_fix(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(["org", "list"], capsys)
    assert code == 3 and "chidoan-bot db upgrade" in err
    code, _out, err = run(["chat", "--user", "u1"], capsys)
    assert code == 3 and "chidoan-bot db upgrade" in err


def test_bad_config_stops_with_one_line(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHIDOAN_WEB__PORT", "eighty")
    code, _out, err = run(["db", "current"], capsys)
    assert code == 2 and "web.port" in err and err.count("\n") == 1


def test_bad_org_file_imports_nothing(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["db", "upgrade"], capsys)[0] == 0
    bad = workdir / "bad.csv"
    text = SAMPLE_ORG.read_text(encoding="utf-8")
    bad.write_text(text + "PH,Huyện đoàn Phụng Hiệp,PH-X,Đoàn X,,Chi đoàn không mã\n", "utf-8")
    code, _out, err = run(["org", "import", str(bad)], capsys)
    assert code == 1 and "line 9" in err and "nothing imported" in err
    _code, out, _err = run(["org", "list"], capsys)
    assert "no organisation" in out


def test_invite_checks_role_and_place(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(["db", "upgrade"], capsys)
    run(["org", "import", str(SAMPLE_ORG)], capsys)
    code, _out, err = run(["invite", "create", "--branch", "PH-TL-01", "--role", "leader"], capsys)
    assert code == 2 and "--district" in err
    code, _out, err = run(["invite", "create", "--branch", "NOPE", "--role", "secretary"], capsys)
    assert code == 1 and "NOPE" in err
    code, out, _err = run(["invite", "create", "--district", "PH", "--role", "admin"], capsys)
    assert code == 0 and "code: " in out


def test_console_run_without_token_loads_a_demo_and_talks(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run(["db", "upgrade"], capsys)
    monkeypatch.setattr(sys, "stdin", io.StringIO("xin chao\n"))
    code, out, _err = run(["run"], capsys)
    assert code == 0
    assert "demo organisation" in out and "/start " in out
    assert "mã mời" in out


def test_scripted_console_session_end_to_end(tmp_path: Path) -> None:
    """Through the installed command, as a newcomer would: import, invite, register, greeting."""
    exe = shutil.which("chidoan-bot", path=str(Path(sys.executable).parent)) or "chidoan-bot"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIDOAN_")}
    env["CHIDOAN_DATABASE__URL"] = f"sqlite+aiosqlite:///{tmp_path}/chidoan.db"

    def cli(*args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [exe, *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
            check=True,
        )
        return done.stdout

    cli("db", "upgrade")
    assert "7 branches read" in cli("org", "import", str(SAMPLE_ORG))
    code = cli("invite", "create", "--branch", "PH-CT-02", "--role", "secretary").split()[1]
    out = cli("chat", "--user", "zalo-123", "--name", "Minh", stdin=f"/start {code}\n/trogiup\n")
    assert "Chào Minh! Bạn đã đăng ký thành công: Bí thư Chi đoàn khu vực 2" in out
    assert "(Đoàn thị trấn Cây Dương, Huyện đoàn Phụng Hiệp)" in out
    assert "/ngonngu" in out


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
