"""The Zalo webhook on our web server: the secret first, then the body; nothing crashes it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.support.harness import Harness
from tests.zalo.driver import WEBHOOK_SECRET, ZaloEnv
from tests.zalo.fake_zalo import SECRET_HEADER, text_event


@pytest.fixture
async def env(sqlite_harness: Harness, tmp_path: Path) -> AsyncIterator[ZaloEnv]:
    zalo_env = await ZaloEnv.start(sqlite_harness, tmp_path, "webhook")
    yield zalo_env
    await zalo_env.close()


async def post(env: ZaloEnv, body: Any, headers: dict[str, str] | None = None) -> int:
    data = body if isinstance(body, bytes) else None
    json_body = None if isinstance(body, bytes) else body
    async with (
        aiohttp.ClientSession() as http,
        http.post(env.webhook_url, data=data, json=json_body, headers=headers or {}) as response,
    ):
        return response.status


def update(text: str = "xin chào") -> dict[str, Any]:
    return {"ok": True, "result": text_event("z1", "Lan", text)}


async def test_the_operator_registered_our_url_and_secret(env: ZaloEnv) -> None:
    assert env.zalo.webhook_url == env.webhook_url
    assert env.zalo.webhook_secret == WEBHOOK_SECRET
    assert env.zalo.called("getUpdates") == [], "no polling in webhook mode"


@pytest.mark.parametrize(
    "headers",
    [{}, {SECRET_HEADER: "wrong-secret"}, {SECRET_HEADER: WEBHOOK_SECRET + "x"}],
    ids=["missing", "wrong", "longer"],
)
async def test_missing_or_wrong_secret_is_403_and_reaches_nobody(
    env: ZaloEnv, headers: dict[str, str]
) -> None:
    assert await post(env, update(), headers) == 403
    assert await post(env, b"{not json", headers) == 403, "the secret is checked before parsing"
    assert env.recorder.seen == [] and env.zalo.called("sendMessage") == []


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe\x00",
        [1, 2, 3],
        {"ok": True, "result": {"message": {}}},
        {"event_name": "message.text.received", "message": {"text": "no sender"}},
        {"ok": True, "result": "message.text.received"},
    ],
    ids=["broken-json", "not-utf8", "array", "no-event-name", "no-ids", "result-not-object"],
)
async def test_malformed_body_is_400_and_the_next_update_is_answered(
    env: ZaloEnv, body: Any
) -> None:
    assert await post(env, body, {SECRET_HEADER: WEBHOOK_SECRET}) == 400
    user = env.user()
    await user.send_text("xin chào")
    assert "mã mời" in user.text


async def test_answered_by_the_bot_through_sendmessage(env: ZaloEnv) -> None:
    event = update("/trogiup")
    assert await post(env, event, {SECRET_HEADER: WEBHOOK_SECRET}) == 200
    await env.handled(event["result"]["message"]["message_id"])
    assert "mã mời" in "\n".join(env.zalo.sent_to("z1"))
