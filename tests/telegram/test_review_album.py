"""A leader sees a report's photos in /duyet on Telegram: real PTB against the fake Bot API, on
SQLite and PostgreSQL: an album per item (sendMediaGroup, at most ten photos each, the item named
in the caption), a lone photo by sendPhoto, then the decision buttons again."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.i18n import Formatter
from storage.models import Evidence, Role
from tests.support.evidence_seed import kept_bytes, report_with_photos
from tests.support.harness import Harness
from tests.telegram.driver import BotUnderTest, TelegramUser, running_bot
from tests.telegram.fake_api import FakeBotApi
from tests.telegram.telegram_rules import ApiCall

BRANCH = "Chi đoàn ấp Long Phụng"
# One meeting photo, eleven of the first project, two of the whole report.
ITEMS = ["meeting", *["activity:1"] * 11, None, None]


@pytest.fixture
async def review_bot(api: FakeBotApi, harness: Harness) -> AsyncIterator[BotUnderTest]:
    async with running_bot(api, harness, "polling") as running:
        yield running


def album_files(call: ApiCall) -> list[bytes]:
    """The photos of one sendMediaGroup, in order, each found by its `attach://` name."""
    return [call.files[m["media"].removeprefix("attach://")] for m in call.json("media")]


async def open_photos(harness: Harness, bot: BotUnderTest) -> TelegramUser:
    leader = bot.user(2001, "Tuấn")
    await leader.send_text(f"/start {await harness.invite(Role.LEADER, 'PH')}")
    harness.clock.set(harness.clock.now().replace(day=27))
    await leader.send_text("/duyet")
    await leader.press(f"{BRANCH} · 11/2026")
    await leader.press(Formatter(harness.catalog, "vi").t("admin.review_show_photos", count=14))
    return leader


async def test_photos_arrive_as_albums_by_item(harness: Harness, review_bot: BotUnderTest) -> None:
    await report_with_photos(harness, ITEMS)
    leader = await open_photos(harness, review_bot)
    api, f = review_bot.api, Formatter(harness.catalog, "vi")
    async with harness.uow() as uow:
        photos = list(await uow.session.scalars(select(Evidence).order_by(Evidence.id)))
    files = [kept_bytes(harness, p) for p in photos]
    [single] = api.calls_to("sendPhoto")
    assert single.files["photo"] == files[0]
    meeting = f.t("evidence.item.meeting")
    assert single.params["caption"] == f.plural(
        "evidence.album_title", 1, branch=BRANCH, item=meeting
    )
    albums = api.calls_to("sendMediaGroup")
    assert [len(call.json("media")) for call in albums] == [6, 5, 2], "ten at most, as even"
    assert [album_files(call) for call in albums] == [files[1:7], files[7:12], files[12:14]]
    activity = f.t("evidence.item.activity", n=1, name="Công trình 1")
    whole = f.t("evidence.item.general")
    captions = [[m.get("caption", "") for m in call.json("media")] for call in albums]
    assert captions == [
        [f.plural("evidence.album_title", 11, branch=BRANCH, item=activity), *[""] * 5],
        [""] * 5,
        [f.plural("evidence.album_title", 2, branch=BRANCH, item=whole), ""],
    ]
    assert all(m["type"] == "photo" for call in albums for m in call.json("media"))
    shown = [m for m in leader.last if m.get("media_group_id")]
    assert len(shown) == 13 and len({m["media_group_id"] for m in shown}) == 3
    assert leader.last[-1]["text"] == f.plural("admin.review_photos_shown", 14, branch=BRANCH)
    assert leader.buttons == [
        f.t("admin.review_approve"),
        f.t("admin.review_return"),
        f.t("admin.review_back_to_list"),
    ]
