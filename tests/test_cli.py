"""The operator's commands, and a scripted console session end to end."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app.cli import main
from tests.support.harness import SAMPLE_ORG


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty folder with a database URL of its own, as on a fresh clone."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CHIDOAN_CONFIG", raising=False)
    monkeypatch.setenv("CHIDOAN_DATABASE__URL", f"sqlite+aiosqlite:///{tmp_path}/data/t.db")
    monkeypatch.setenv("CHIDOAN_BOT__DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


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
