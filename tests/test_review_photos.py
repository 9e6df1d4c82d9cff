"""/duyet shows a report's photos: an album per item they prove, the viewing audited, and every
channel-neutral piece (the console saves the files)."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import select

from bot.app.assembly import media_store
from bot.app.channels.console import ConsoleChannel
from bot.engine.types import Incoming, Reply
from bot.i18n import Formatter
from storage.models import AuditEntry, Evidence, MonthlyReport, Role
from tests.support.evidence_seed import kept_bytes, report_with_photos
from tests.support.harness import Chat, Harness

# Two meeting photos, one of the second project, one of the whole report, and one whose line is
# gone (the report lists two projects): it counts for the whole report, as every count does.
ITEMS = ["meeting", None, "activity:2", "meeting", "activity:9"]


def vi(harness: Harness) -> Formatter:
    return Formatter(harness.catalog, "vi")


async def opened(harness: Harness) -> Chat:
    """A leader who opened the seeded report in /duyet."""
    leader = await harness.registered("lead1", Role.LEADER, "PH")
    harness.clock.set(harness.clock.now().replace(day=27))
    await leader.say("/duyet")
    await leader.press("Chi đoàn ấp Long Phụng · 11/2026")
    return leader


async def photos_of(harness: Harness) -> list[Evidence]:
    async with harness.uow() as uow:
        return list(await uow.session.scalars(select(Evidence).order_by(Evidence.id)))


async def test_review_shows_an_album_per_item_in_the_forms_order(harness: Harness) -> None:
    report_id = (await report_with_photos(harness, ITEMS)).id
    leader = await opened(harness)
    f = vi(harness)
    see = f.t("admin.review_show_photos", count=5)
    assert leader.choices == [
        f.t("admin.review_approve"),
        f.t("admin.review_return"),
        see,
        f.t("admin.review_back_to_list"),
    ]
    await leader.press(see)
    albums = [r for r in leader.last if r.album]
    branch = "Chi đoàn ấp Long Phụng"
    assert [r.text for r in albums] == [
        f.plural("evidence.album_title", 2, branch=branch, item=f.t("evidence.item.meeting")),
        f.plural(
            "evidence.album_title",
            1,
            branch=branch,
            item=f.t("evidence.item.activity", n=2, name="Công trình 2"),
        ),
        f.plural("evidence.album_title", 2, branch=branch, item=f.t("evidence.item.general")),
    ]
    photos = await photos_of(harness)
    in_albums = [[p.sha256 for p in r.album] for r in albums]
    assert in_albums == [
        [photos[0].sha256, photos[3].sha256],
        [photos[2].sha256],
        [photos[1].sha256, photos[4].sha256],
    ]
    first = albums[0].album[0]
    assert first.path.read_bytes() == kept_bytes(harness, photos[0])
    assert first.filename == "PH-TL-01-2026-11-sinh-hoat-chi-doan-1.jpg"
    assert leader.said("admin.review_photos_shown.other", count=5, branch=branch)
    assert leader.choices == [
        f.t("admin.review_approve"),
        f.t("admin.review_return"),
        f.t("admin.review_back_to_list"),
    ]
    await leader.press(f.t("admin.review_approve"))
    async with harness.uow() as uow:
        report = await uow.session.get(MonthlyReport, report_id)
    assert report is not None and report.status == "approved", "the decision still works"


async def test_viewing_photos_is_audited(harness: Harness) -> None:
    report = await report_with_photos(harness, ITEMS)
    leader = await opened(harness)
    await leader.press(vi(harness).t("admin.review_show_photos", count=5))
    async with harness.uow() as uow:
        [entry] = await uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "evidence.view")
        )
    assert entry.subject == f"report:{report.id}" and entry.person_id is not None
    assert entry.detail == {"photos": 5, "via": "fake"}


async def test_a_photo_gone_from_disk_is_named_not_sent(harness: Harness) -> None:
    await report_with_photos(harness, ["meeting", "meeting"])
    photos = await photos_of(harness)
    media_store(harness.settings).path(photos[1].sha256, photos[1].mime).unlink()
    leader = await opened(harness)
    await leader.press(vi(harness).t("admin.review_show_photos", count=2))
    [album] = [r for r in leader.last if r.album]
    assert [p.sha256 for p in album.album] == [photos[0].sha256]
    assert leader.said("admin.review_photos_missing.one")
    assert leader.said("admin.review_photos_shown.one", branch="Chi đoàn ấp Long Phụng")


async def test_a_report_without_photos_offers_no_viewing(harness: Harness) -> None:
    await report_with_photos(harness, [])
    leader = await opened(harness)
    f = vi(harness)
    assert leader.choices == [
        f.t("admin.review_approve"),
        f.t("admin.review_return"),
        f.t("admin.review_back_to_list"),
    ]


async def test_the_console_saves_an_albums_photos_as_files(
    sqlite_harness: Harness, tmp_path: Path
) -> None:
    await report_with_photos(sqlite_harness, ["meeting", "activity:1"])
    leader = await opened(sqlite_harness)
    await leader.press(vi(sqlite_harness).t("admin.review_show_photos", count=2))
    albums: list[Reply] = [r for r in leader.last if r.album]

    async def handle(_incoming: Incoming) -> list[Reply]:
        return []

    screen = io.StringIO()
    out = tmp_path / "console"
    console = ConsoleChannel(
        handle, user_id="lead1", display_name="Lan", out_dir=out, stdout=screen
    )
    for album in albums:
        await console.send("lead1", album)
    photos = await photos_of(sqlite_harness)
    saved = sorted(out.iterdir())
    assert [p.name for p in saved] == [
        "PH-TL-01-2026-11-hoat-dong-1-cong-trinh-1-1.jpg",
        "PH-TL-01-2026-11-sinh-hoat-chi-doan-1.jpg",
    ]
    assert saved[1].read_bytes() == kept_bytes(sqlite_harness, photos[0])
    assert f"< [{saved[1].name} → {saved[1]}]" in screen.getvalue()
    assert albums[0].text in screen.getvalue()
