"""A leader sees a report's photos in /duyet on Zalo, which has no albums: each photo is a
sendPhoto whose URL is a signed, expiring link to our own web server (the platform fetches it),
its caption naming the item. Our Zalo client against the fake Zalo server, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select

from bot.i18n import Formatter
from storage.models import Evidence, Role
from tests.support.evidence_seed import kept_bytes, report_with_photos
from tests.support.harness import Harness
from tests.zalo.driver import ZaloEnv

BRANCH = "Chi đoàn ấp Long Phụng"


@pytest.fixture
async def env(harness: Harness, tmp_path: Path) -> AsyncIterator[ZaloEnv]:
    """Polling mode; the fake platform fetches every photo URL it is sent, as Zalo does."""
    running = await ZaloEnv.start(harness, tmp_path, "polling", fetch_photos=True)
    yield running
    await running.close()


async def status_of(url: str) -> int:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status


async def test_each_photo_goes_by_a_signed_link_named_by_its_item(
    harness: Harness, env: ZaloEnv
) -> None:
    await report_with_photos(harness, ["meeting", None, "meeting"])
    leader = env.user("z-lead", "Tuấn")
    await leader.send_text(f"/start {await harness.invite(Role.LEADER, 'PH')}")
    harness.clock.set(harness.clock.now().replace(day=27))
    await leader.send_text("/duyet")
    await leader.send_text("1")  # the first report waiting
    f = Formatter(harness.catalog, "vi")
    assert f"3. {f.t('admin.review_show_photos', count=3)}" in leader.text
    await leader.send_text("3")
    sent = env.zalo.called("sendPhoto")
    assert [call["photo"].startswith(f"{env.links.base_url}/photos/") for call in sent] == [
        True
    ] * 3
    meeting = f.plural("evidence.album_title", 2, branch=BRANCH, item=f.t("evidence.item.meeting"))
    whole = f.plural("evidence.album_title", 1, branch=BRANCH, item=f.t("evidence.item.general"))
    assert [call["caption"] for call in sent] == [f"{meeting} (1/2)", f"{meeting} (2/2)", whole]
    async with harness.uow() as uow:
        photos = list(await uow.session.scalars(select(Evidence).order_by(Evidence.id)))
    fetched = [env.zalo.fetched[call["photo"]] for call in sent]
    assert fetched == [kept_bytes(harness, photos[i]) for i in (0, 2, 1)]
    assert f.plural("admin.review_photos_shown", 3, branch=BRANCH) in leader.text
    assert f"1. {f.t('admin.review_approve')}" in leader.text


async def test_a_photo_link_opens_only_as_signed_and_until_it_expires(
    harness: Harness, env: ZaloEnv
) -> None:
    await report_with_photos(harness, ["meeting"])
    async with harness.uow() as uow:
        [photo] = await uow.session.scalars(select(Evidence))
    url = env.links.photo_link(photo.sha256, photo.mime)
    assert await status_of(url) == 200
    name, _, token = url.rpartition("/")[2].partition(".jpg.")
    other = "f" * 64 if name != "f" * 64 else "e" * 64
    assert await status_of(url.replace(name, other)) == 403, "another photo, same signature"
    expires, _, signature = token.partition(".")
    later = url.replace(f".{expires}.", f".{int(expires) + 3600}.")
    assert await status_of(later) == 403, "a longer life, same signature"
    assert await status_of(url[:-2] + "AA") == 403
    harness.clock.advance(timedelta(minutes=61))
    assert await status_of(url) == 403, "expired after web.link_ttl_minutes"
    assert (
        await status_of(env.links.photo_link(photo.sha256, photo.mime, timedelta(days=31))) == 200
    )
    assert signature
