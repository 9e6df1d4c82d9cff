"""A secretary's first minutes on Zalo, end to end: fake Zalo → channel → real engine → database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.engine.types import InKind
from tests.support.harness import Harness
from tests.zalo.driver import ZaloEnv
from tests.zalo.fake_zalo import png_bytes


@pytest.fixture(params=["polling", "webhook"])
async def env(
    request: pytest.FixtureRequest, harness: Harness, tmp_path: Path
) -> AsyncIterator[ZaloEnv]:
    """Both modes, on SQLite and PostgreSQL."""
    zalo_env = await ZaloEnv.start(harness, tmp_path, request.param)
    yield zalo_env
    await zalo_env.close()


async def test_stranger_registers_answers_choices_and_sends_a_photo(env: ZaloEnv) -> None:
    lan = env.user("8a1f0c3e9b2d", "Nguyễn Thị Lan")

    await lan.send_text("xin chào")
    assert "mã mời" in lan.text, "a stranger is told how to register"

    await lan.send_text(f"/start {await env.harness.invite()}")
    assert "đăng ký thành công" in lan.text
    assert "Chi đoàn ấp Long Phụng" in lan.text
    incoming = lan.last_incoming
    assert incoming is not None and incoming.display_name == "Nguyễn Thị Lan"

    await lan.send_text("/ngonngu")
    assert "1. Tiếng Việt\n2. English" in lan.text, "choices are numbered lines"
    await lan.send_text("2")
    assert "Switched to English." in lan.text

    await lan.send_text("/language")
    await lan.send_text("tieng viet")
    assert "Đã chuyển sang Tiếng Việt." in lan.text

    photo = png_bytes("green")
    env.zalo.media["sinh-hoat.png"] = photo
    await lan.send_photo_url(env.zalo.media_url("sinh-hoat.png"), caption="Sinh hoạt chi đoàn")
    got = lan.last_incoming
    assert got is not None and got.kind is InKind.PHOTO
    assert got.photo is not None and got.photo.data == photo
    assert got.text == "Sinh hoạt chi đoàn"
    assert lan.last, "the engine's answer to the photo reached the chat"
