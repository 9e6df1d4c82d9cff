"""Photo evidence the district can trust: reused pictures and old photos flagged, damaged files
refused, iPhone photos taken, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import random
from datetime import UTC, datetime
from pathlib import Path

import pillow_heif
from PIL import Image
from sqlalchemy import select

from bot.media_fingerprint import to_unsigned
from storage.models import Evidence, MonthlyReport, PhotoDoubt, PhotoFlag, PhotoMatch, Role
from storage.repositories.org import OrgRepository
from storage.repositories.photo_fingerprints import PhotoDoubtView, PhotoFingerprints
from tests.support import photo_corpus as corpus
from tests.support.harness import Chat, Harness, local
from tests.test_export import sheet_rows


def camera_jpeg(seed: int, taken: str | None = None, quality: int = 92) -> bytes:
    """A corpus photo as a phone saves it, with EXIF DateTimeOriginal when `taken` is given."""
    image = corpus.photo(seed)
    if taken is None:
        return corpus.jpeg(image, quality)
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = taken  # Exif IFD → DateTimeOriginal
    return corpus.jpeg(image, quality, exif=exif.tobytes())


async def photos_of(harness: Harness, code: str, period: str = "2026-11") -> list[Evidence]:
    async with harness.uow() as uow:
        branch = await uow.get(OrgRepository).branch_by_code(code)
        assert branch is not None
        rows = await uow.session.scalars(
            select(Evidence)
            .join(MonthlyReport)
            .where(MonthlyReport.branch_id == branch.id, MonthlyReport.period == period)
            .order_by(Evidence.id)
        )
        return list(rows)


async def doubts(harness: Harness, evidence: Evidence) -> list[PhotoDoubtView]:
    async with harness.uow() as uow:
        return (await uow.get(PhotoFingerprints).doubts([evidence.id])).get(evidence.id, [])


async def send_and_label(chat: Chat, data: bytes, label: str = "Sinh hoạt chi đoàn") -> None:
    """Send one photo outside any flow, say what it proves, and finish."""
    await chat.photo(data)
    assert "Đã nhận ảnh" in chat.text, chat.text
    await chat.press(label)
    await chat.press("Xong")


async def test_last_months_photo_is_accepted_and_flagged_with_its_first_use(
    harness: Harness,
) -> None:
    chat = await harness.registered()
    harness.clock.set(local(2026, 10, 12, 19, 30))
    await send_and_label(chat, camera_jpeg(1))
    harness.clock.set(local(2026, 11, 10, 9, 0))
    await chat.photo(camera_jpeg(1))
    assert "Đã nhận ảnh. Báo cáo tháng này có 1 ảnh minh chứng." in chat.text
    assert "đã dùng" not in chat.text, "the secretary is not told; the district judges"
    [october] = await photos_of(harness, "PH-TL-01", "2026-10")
    [november] = await photos_of(harness, "PH-TL-01")
    [doubt] = await doubts(harness, november)
    assert (doubt.code, doubt.match, doubt.distance) == (PhotoDoubt.REUSED, PhotoMatch.EXACT, 0)
    use = doubt.first_use
    assert use is not None and use.evidence_id == october.id
    assert (use.branch_code, use.period, use.item) == ("PH-TL-01", "2026-10", "meeting")
    assert use.at == local(2026, 10, 12, 19, 30)
    assert await doubts(harness, october) == []


async def test_another_branchs_photo_is_flagged_with_that_branch(harness: Harness) -> None:
    first = await harness.registered("u1", code="PH-TL-01")
    other = await harness.registered("u2", code="PH-CT-01")
    await send_and_label(first, camera_jpeg(2))
    await other.photo(camera_jpeg(2))
    assert "Đã nhận ảnh" in other.text
    [copy] = await photos_of(harness, "PH-CT-01")
    [doubt] = await doubts(harness, copy)
    assert doubt.match == PhotoMatch.EXACT and doubt.first_use is not None
    assert (doubt.first_use.branch_code, doubt.first_use.period) == ("PH-TL-01", "2026-11")
    assert doubt.first_use.branch_name == "Chi đoàn ấp Long Phụng"


async def test_a_recompressed_resized_cropped_resend_is_recognised(harness: Harness) -> None:
    first = await harness.registered("u1", code="PH-TL-01")
    other = await harness.registered("u2", code="PH-TL-02")
    await send_and_label(first, camera_jpeg(3))
    sent = corpus.decode(camera_jpeg(3))
    chat_app = corpus.crop(corpus.long_side(sent, 640), 0.05, centred=False)
    await other.photo(corpus.jpeg(chat_app, quality=40))
    [copy] = await photos_of(harness, "PH-TL-02")
    [doubt] = await doubts(harness, copy)
    assert doubt.code == PhotoDoubt.REUSED and doubt.match == PhotoMatch.SIMILAR
    assert doubt.first_use is not None and doubt.first_use.branch_code == "PH-TL-01"
    assert doubt.distance is not None and 0 < doubt.distance <= 12


async def test_a_different_photo_is_not_flagged(harness: Harness) -> None:
    first = await harness.registered("u1", code="PH-TL-01")
    other = await harness.registered("u2", code="PH-TL-02")
    await send_and_label(first, camera_jpeg(4))
    await other.photo(corpus.jpeg(corpus.sibling(4)))  # same place, another picture
    await other.photo(camera_jpeg(5))
    copies = await photos_of(harness, "PH-TL-02")
    assert len(copies) == 2
    assert all(c.phash is not None for c in copies)
    assert [await doubts(harness, c) for c in copies] == [[], []]


async def test_the_same_photo_twice_in_one_report_is_refused(harness: Harness) -> None:
    chat = await harness.registered()
    await chat.photo(camera_jpeg(6))
    await chat.photo(camera_jpeg(6))
    assert harness.catalog.t("vi", "evidence.duplicate") in chat.texts
    [kept] = await photos_of(harness, "PH-TL-01")
    assert await doubts(harness, kept) == []


async def test_a_photo_taken_long_before_the_month_is_flagged(harness: Harness) -> None:
    chat = await harness.registered()
    await chat.photo(camera_jpeg(7, taken="2026:08:01 08:15:00"))
    await chat.photo(camera_jpeg(8, taken="2026:10:20 16:00:00"))  # ten days before: fine
    assert "Đã nhận ảnh. Báo cáo tháng này có 2 ảnh minh chứng." in chat.text
    old, recent = await photos_of(harness, "PH-TL-01")
    assert old.taken_at == local(2026, 8, 1, 8, 15)
    [doubt] = await doubts(harness, old)
    assert doubt.code == PhotoDoubt.TAKEN_LONG_BEFORE and doubt.taken_at == old.taken_at
    assert recent.taken_at == local(2026, 10, 20, 16, 0)
    assert await doubts(harness, recent) == []


async def test_how_old_a_photo_may_be_is_a_setting(db_url: str, tmp_path: Path) -> None:
    harness = Harness(db_url, tmp_path / "data", media={"old_photo_days": 120})
    await harness.import_org()
    try:
        chat = await harness.registered()
        await chat.photo(camera_jpeg(9, taken="2026:08:01 08:15:00"))
        [photo] = await photos_of(harness, "PH-TL-01")
        assert await doubts(harness, photo) == []
    finally:
        await harness.close()


async def test_a_truncated_jpeg_is_refused_and_nothing_is_stored(harness: Harness) -> None:
    chat = await harness.registered()
    whole = camera_jpeg(10)
    await chat.photo(whole[: len(whole) * 2 // 3])
    assert chat.text == harness.catalog.t("vi", "evidence.rejected_damaged")
    assert await photos_of(harness, "PH-TL-01") == []
    media = harness.settings.bot.data_dir / "media"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
    await chat.photo(whole)
    assert "Đã nhận ảnh" in chat.text, "the whole photo, sent again, is taken"


async def test_an_iphone_heic_is_accepted_and_kept_as_jpeg(harness: Harness) -> None:
    chat = await harness.registered()
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "2026:11:08 07:45:00"
    out = io.BytesIO()
    pillow_heif.from_pillow(corpus.photo(11)).save(out, quality=80, exif=exif.tobytes())
    assert out.getvalue()[4:12] == b"ftypheic"
    await chat.photo(out.getvalue(), caption="Ra quân mùa hè xanh")
    assert "Đã nhận ảnh" in chat.text
    [kept] = await photos_of(harness, "PH-TL-01")
    assert kept.mime == "image/jpeg" and (kept.width, kept.height) == corpus.photo(11).size
    stored = harness.settings.bot.data_dir / "media" / kept.sha256[:2] / f"{kept.sha256}.jpg"
    with Image.open(stored) as image:
        assert image.format == "JPEG"
    assert kept.taken_at == local(2026, 11, 8, 7, 45), "the camera date survives the conversion"


async def test_a_second_process_sees_the_photos_the_first_one_stored(harness: Harness) -> None:
    """Nothing in memory is the only copy: another worker on the same database finds them."""
    first = await harness.registered("u1", code="PH-TL-01")
    await send_and_label(first, camera_jpeg(12))
    worker = Harness(harness.url, harness.data_dir, now=harness.clock.now())
    try:
        other = await worker.registered("u2", code="PH-TL-02")
        resent = corpus.jpeg(corpus.resize(corpus.decode(camera_jpeg(12)), 0.5), quality=50)
        await other.photo(resent)
        [copy] = await photos_of(worker, "PH-TL-02")
        [doubt] = await doubts(worker, copy)
        assert doubt.match == PhotoMatch.SIMILAR
    finally:
        await worker.close()


async def test_the_lookup_finds_a_near_duplicate_among_many_stored_photos(
    harness: Harness,
) -> None:
    chat = await harness.registered("u1", code="PH-TL-01")
    await send_and_label(chat, camera_jpeg(13))
    [original] = await photos_of(harness, "PH-TL-01")
    await store_random_fingerprints(harness, original.report_id, count=5000)
    other = await harness.registered("u2", code="PH-TL-03")
    await other.photo(corpus.jpeg(corpus.border(corpus.decode(camera_jpeg(13)), 0.05, (0, 0, 0))))
    [copy] = await photos_of(harness, "PH-TL-03")
    [doubt] = await doubts(harness, copy)
    assert doubt.first_use is not None and doubt.first_use.evidence_id == original.id


async def store_random_fingerprints(harness: Harness, report_id: int, count: int) -> None:
    """`count` photos with random hashes in one report, stored after the real one."""
    rng = random.Random(5)
    rows = [
        {
            "report_id": report_id,
            "sha256": f"{n:064x}",
            "size": 1,
            "mime": "image/jpeg",
            "phash": rng.randrange(-(2**63), 2**63),
            "dhash": rng.randrange(-(2**63), 2**63),
            "created_at": datetime(2026, 11, 9, tzinfo=UTC),
        }
        for n in range(count)
    ]
    async with harness.uow() as uow:
        await uow.session.execute(Evidence.__table__.insert(), rows)


async def test_leaders_export_marks_reused_photos_with_their_first_use(harness: Harness) -> None:
    first = await harness.registered("u1", code="PH-TL-01")
    other = await harness.registered("u2", code="PH-TL-02")
    harness.clock.set(local(2026, 10, 12, 19, 30))
    await send_and_label(first, camera_jpeg(14))
    harness.clock.set(local(2026, 11, 10, 9, 0))
    await other.photo(camera_jpeg(14))
    await other.photo(camera_jpeg(15, taken="2025:12:24 20:00:00"))
    leader = await harness.registered("lead", Role.LEADER, "PH")
    await leader.say("/xuat 2026-11")
    await leader.press(1)
    document = next(r.document for r in leader.last if r.document is not None)
    rows = {row["Mã chi đoàn"]: row for row in sheet_rows(document.data, 1)}
    assert set(rows) == {"PH-TL-02"}
    photos = sheet_rows(document.data, 1)
    reused, old = photos
    assert reused["Cần xem lại ảnh"] == "ảnh đã dùng trong báo cáo khác (trùng tệp)"
    assert reused["Ảnh đã dùng lần đầu ở"] == (
        "Chi đoàn ấp Long Phụng (PH-TL-01), Đoàn xã Tân Long, tháng 10/2026, Sinh hoạt chi đoàn"
    )
    assert reused["Dùng lần đầu lúc"] == datetime(2026, 10, 12, 19, 30)
    assert old["Cần xem lại ảnh"] == "ảnh chụp ngày 24/12/2025, trước tháng báo cáo khá lâu"
    assert old["Ảnh đã dùng lần đầu ở"] is None


async def test_flags_are_stored_as_rows(harness: Harness) -> None:
    """What a later dashboard reads: one PhotoFlag per doubt, pointing at the first use."""
    first = await harness.registered("u1", code="PH-TL-01")
    other = await harness.registered("u2", code="PH-TL-02")
    await send_and_label(first, camera_jpeg(16))
    await other.photo(camera_jpeg(16))
    async with harness.uow() as uow:
        flags = list(await uow.session.scalars(select(PhotoFlag)))
    [original] = await photos_of(harness, "PH-TL-01")
    [copy] = await photos_of(harness, "PH-TL-02")
    assert [(f.evidence_id, f.code, f.origin_id) for f in flags] == [
        (copy.id, "reused", original.id)
    ]
    assert copy.phash is not None and to_unsigned(copy.phash) > 0
