"""`chidoan-bot zalo set-webhook | delete-webhook | info` against the fake Zalo server."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app.cli import main
from tests.zalo.fake_zalo import TOKEN, FakeZalo


@pytest.fixture
def zalo_in_thread() -> Iterator[FakeZalo]:
    """The fake on its own event loop: the CLI runs `asyncio.run` itself."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    holder: dict[str, FakeZalo] = {}

    async def serve() -> None:
        holder["zalo"] = FakeZalo()
        await holder["zalo"].start()
        ready.set()

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(serve(), loop)
    assert ready.wait(5)
    yield holder["zalo"]
    asyncio.run_coroutine_threadsafe(holder["zalo"].stop(), loop).result(5)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


def config(
    tmp_path: Path, zalo: FakeZalo, token: str = TOKEN, secret: str = "hook-secret-1"
) -> str:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[zalo]\ntoken = "{token}"\napi_base_url = "{zalo.base_url}"\n'
        f'webhook_secret = "{secret}"\n'
        '[web]\npublic_base_url = "https://bot.example.org"\n',
        encoding="utf-8",
    )
    return str(path)


def test_set_info_delete(
    zalo_in_thread: FakeZalo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = config(tmp_path, zalo_in_thread)
    assert main(["--config", path, "zalo", "set-webhook"]) == 0
    assert zalo_in_thread.webhook_url == "https://bot.example.org/zalo/webhook"
    assert zalo_in_thread.webhook_secret == "hook-secret-1"
    assert main(["--config", path, "zalo", "info"]) == 0
    out = capsys.readouterr().out
    assert "bot: bot.chidoan (id 1234567890)" in out
    assert "webhook: https://bot.example.org/zalo/webhook" in out
    assert main(["--config", path, "zalo", "delete-webhook"]) == 0
    assert zalo_in_thread.webhook_url == ""
    assert TOKEN.split(":")[1] not in capsys.readouterr().out


def test_errors_are_one_line(
    zalo_in_thread: FakeZalo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["--config", config(tmp_path, zalo_in_thread, secret="short"), "zalo", "set-webhook"])
        == 2
    )
    assert "8 to 256" in capsys.readouterr().err
    revoked = config(tmp_path, zalo_in_thread, token="1234567890:revoked")
    assert main(["--config", revoked, "zalo", "info"]) == 1
    err = capsys.readouterr().err
    assert "401" in err and "revoked" not in err
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    assert main(["--config", str(empty), "zalo", "info"]) == 2
    assert "zalo.token is not set" in capsys.readouterr().err
