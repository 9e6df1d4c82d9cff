"""Photo evidence (ảnh minh chứng) through the engine: outside any flow and with /minhchung."""

from __future__ import annotations

import io
import random
import warnings
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from bot.engine.types import Incoming, InKind
from bot.media import MAX_PIXELS, ImageRejected, MediaStore, accepted_formats
from storage.models import Evidence, MonthlyReport, Role
from storage.repositories.org import OrgRepository
from storage.repositories.reports import ReportRepository
from tests.support.harness import Harness


def image_bytes(fmt: str = "PNG", seed: int = 1, size: tuple[int, int] = (32, 24)) -> bytes:
    """A real image made with Pillow; different seeds give different content."""
    rng = random.Random(seed)
    image = Image.new("RGB", size)
    image.putdata(
        [(rng.randrange(256), rng.randrange(256), rng.randrange(256))] * (size[0] * size[1])
    )
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def noisy_png(side: int = 120) -> bytes:
    """A PNG of random pixels: it does not compress, so it is large."""
    rng = random.Random(7)
    image = Image.frombytes(
        "RGB", (side, side), bytes(rng.randrange(256) for _ in range(side * side * 3))
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


async def evidence_rows(harness: Harness, branch_code: str = "PH-TL-01") -> list[Evidence]:
    async with harness.uow() as uow:
        branch = await uow.get(OrgRepository).branch_by_code(branch_code)
        assert branch is not None
        rows = await uow.session.scalars(
            select(Evidence)
            .join(MonthlyReport)
            .where(MonthlyReport.branch_id == branch.id, MonthlyReport.period == "2026-11")
            .order_by(Evidence.id)
        )
        return list(rows)


async def set_projects(harness: Harness, projects: list[str]) -> None:
    async with harness.uow() as uow:
        branch = await uow.get(OrgRepository).branch_by_code("PH-TL-01")
        assert branch is not None
        report = await uow.get(ReportRepository).get_or_create(
            branch.id, "2026-11", harness.clock.now()
        )
        report.answers = {"projects": projects}


async def test_photo_outside_a_flow_attaches_to_this_month_with_caption_and_item(
    harness: Harness,
) -> None:
    chat = await harness.registered()
    await chat.photo(image_bytes("PNG", 1), caption="Sinh hoạt chi đoàn tháng 11")
    assert "Đã nhận ảnh" in chat.text and "1 ảnh minh chứng" in chat.text
    assert "Sinh hoạt chi đoàn" in chat.choices
    await chat.press("Sinh hoạt chi đoàn")
    assert "Đã gắn 1 ảnh" in chat.text
    [row] = await evidence_rows(harness)
    assert row.caption == "Sinh hoạt chi đoàn tháng 11"
    assert row.item == "meeting" and row.mime == "image/png" and (row.width, row.height) == (32, 24)
    stored = harness.settings.bot.data_dir / "media" / row.sha256[:2] / f"{row.sha256}.png"
    assert stored.read_bytes() == image_bytes("PNG", 1)
    await chat.press("Xong")
    assert "Sinh hoạt chi đoàn: 1 ảnh" in chat.text


async def test_jpeg_accepted_and_the_same_photo_twice_is_recognised(harness: Harness) -> None:
    chat = await harness.registered()
    photo = image_bytes("JPEG", 2)
    await chat.photo(photo)
    assert "Đã nhận ảnh" in chat.text
    await chat.photo(photo, caption="lần nữa")
    assert "đã gửi rồi" in chat.text
    rows = await evidence_rows(harness)
    assert [r.mime for r in rows] == ["image/jpeg"]


async def test_a_text_file_is_refused_and_nothing_is_kept(harness: Harness, tmp_path: Path) -> None:
    chat = await harness.registered()
    await chat.photo("Biên bản sinh hoạt chi đoàn".encode(), caption="bien ban.jpg")
    assert chat.said("evidence.rejected_not_image")
    assert await evidence_rows(harness) == []
    await chat.say("xin chào")
    assert "chưa hiểu" in chat.text, "a refused photo does not leave the chat inside a flow"


async def test_oversize_photos_are_refused(db_url: str, tmp_path: Path) -> None:
    harness = Harness(db_url, tmp_path / "data", media={"max_photo_mb": 0.01})
    await harness.import_org()
    try:
        chat = await harness.registered()
        big = noisy_png()
        assert len(big) > 0.01 * 1024 * 1024
        await chat.photo(big)
        assert "quá lớn (tối đa 0.01 MB)" in chat.text
        await chat.photo(None, problem="too_large")
        assert "quá lớn" in chat.text
        await chat.photo(image_bytes("PNG", 3))
        assert "Đã nhận ảnh" in chat.text, "a small photo still goes through"
        assert len(await evidence_rows(harness)) == 1
    finally:
        await harness.close()


async def test_evidence_command_batches_photos_per_activity(harness: Harness) -> None:
    await set_projects(harness, ["Dọn vệ sinh kênh Long Phụng", "Trồng 200 cây xanh"])
    chat = await harness.registered()
    await chat.say("/minhchung")
    assert "tháng 11/2026" in chat.text and chat.choices == ["Xong"]
    await chat.photo(image_bytes("PNG", 10), caption="kênh sạch")
    assert "1 ảnh vừa gửi" in chat.text
    assert "Hoạt động 2: Trồng 200 cây xanh" in chat.choices
    await chat.photo(image_bytes("PNG", 11))
    # The item list is not repeated after each photo of a batch; typed numbers still work.
    assert "Có 2 ảnh chưa gắn mục" in chat.text and chat.choices == []
    await chat.say("3")  # the third choice: activity 2
    assert "Đã gắn 2 ảnh vào «Hoạt động 2: Trồng 200 cây xanh»" in chat.text
    await chat.photo(image_bytes("PNG", 12))
    await chat.say("xong")
    assert "Hoạt động 2: Trồng 200 cây xanh: 2 ảnh" in chat.text
    assert "Cả báo cáo: 1 ảnh" in chat.text
    rows = await evidence_rows(harness)
    assert [(r.item, r.caption) for r in rows] == [
        ("activity:2", "kênh sạch"),
        ("activity:2", None),
        (None, None),
    ]
    assert Counter(r.item for r in rows) == {"activity:2": 2, None: 1}


async def test_unknown_text_in_the_photo_step_loses_nothing(harness: Harness) -> None:
    chat = await harness.registered()
    await chat.photo(image_bytes("PNG", 20))
    await chat.say("hoạt động gì nhỉ")
    assert "mình cần ảnh" in chat.text and "Sinh hoạt chi đoàn" in chat.choices
    await harness.restart()
    await chat.press("Cả báo cáo")
    assert "Đã gắn 1 ảnh vào «Cả báo cáo»" in chat.text
    [row] = await evidence_rows(harness)
    assert row.item is None


async def test_secretary_of_two_branches_is_asked_which(harness: Harness) -> None:
    chat = await harness.registered()
    await chat.say(f"/start {await harness.invite(Role.SECRETARY, 'PH-TL-02')}")
    await chat.photo(b"%PDF-1.4 not a photo")
    assert chat.said("evidence.rejected_not_image") and not chat.choices
    await chat.photo(image_bytes("PNG", 30), caption="ấp Long Trường")
    assert "chi đoàn nào" in chat.text
    assert chat.choices == ["Chi đoàn ấp Long Phụng", "Chi đoàn ấp Long Trường"]
    await chat.photo(image_bytes("PNG", 31))
    assert "Đã giữ 2 ảnh" in chat.text
    await chat.press("Chi đoàn ấp Long Trường")
    assert "2 ảnh vừa gửi" in chat.text
    assert await evidence_rows(harness, "PH-TL-01") == []
    rows = await evidence_rows(harness, "PH-TL-02")
    assert [r.caption for r in rows] == ["ấp Long Trường", None]


async def test_a_secretary_cannot_attach_to_another_branchs_report(harness: Harness) -> None:
    chat = await harness.registered()
    await chat.say(f"/start {await harness.invite(Role.SECRETARY, 'PH-TL-02')}")
    await chat.say("/minhchung")
    async with harness.uow() as uow:
        other = await uow.get(OrgRepository).branch_by_code("PH-CT-01")
        assert other is not None
    forged = Incoming(
        channel=chat.channel,
        chat_id=chat.user_id,
        user_id=chat.user_id,
        kind=InKind.CHOICE,
        payload=f"branch:{other.id}",
        update_id="forged-1",
    )
    replies = await harness.engine.handle(forged)
    assert "chọn một chi đoàn" in replies[0].text
    await chat.photo(image_bytes("PNG", 40))
    assert await evidence_rows(harness, "PH-CT-01") == []


async def test_leader_and_stranger_get_an_explanation_and_nothing_is_kept(
    harness: Harness,
) -> None:
    leader = await harness.registered("lead", Role.LEADER, "PH")
    await leader.photo(image_bytes("PNG", 50))
    assert "do bí thư chi đoàn gửi" in leader.text
    stranger = harness.chat("nobody")
    await stranger.photo(image_bytes("PNG", 51))
    assert "mã mời" in stranger.text
    async with harness.uow() as uow:
        assert list(await uow.session.scalars(select(Evidence))) == []


async def test_english_speaker_gets_english(harness: Harness) -> None:
    chat = await harness.registered(language_hint="en")
    await chat.say("/evidence")
    assert chat.said("evidence.send_photos", month="11/2026")
    await chat.photo(image_bytes("PNG", 60))
    assert "Branch meeting" in chat.choices


def big_png(width: int, height: int) -> bytes:
    """A one-colour PNG: tiny on disk, huge in pixels."""
    out = io.BytesIO()
    Image.new("L", (width, height)).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["GIF", "BMP"])
async def test_gif_and_bmp_are_refused_naming_the_formats_we_take(
    sqlite_harness: Harness, fmt: str
) -> None:
    chat = await sqlite_harness.registered()
    await chat.photo(image_bytes(fmt, 3))
    assert chat.said("evidence.rejected_not_image", formats=accepted_formats())
    assert "JPG, PNG, WEBP" in chat.text
    assert await evidence_rows(sqlite_harness) == []


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_camera_formats_are_kept(tmp_path: object, fmt: str) -> None:
    store = MediaStore(tmp_path, 10_000_000)  # type: ignore[arg-type]
    assert store.inspect(image_bytes(fmt, 4)).width == 32


def test_too_many_pixels_refused_without_a_pillow_warning(tmp_path: object) -> None:
    store = MediaStore(tmp_path, 50_000_000)  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning that leaks fails the test
        with pytest.raises(ImageRejected) as refused:
            store.inspect(big_png(12000, 9000))
        assert refused.value.reason == "too_many_pixels"
        with pytest.raises(ImageRejected) as bomb:  # beyond Pillow's own hard limit
            store.inspect(big_png(15000, 13000))
        assert bomb.value.reason == "too_many_pixels"
    assert store.inspect(big_png(8000, 5000)).width * 5000 <= MAX_PIXELS


async def test_huge_image_gets_a_clear_reason(sqlite_harness: Harness) -> None:
    chat = await sqlite_harness.registered()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        await chat.photo(big_png(12000, 9000))
    assert chat.said("evidence.rejected_too_many_pixels", megapixels=40)
    assert await evidence_rows(sqlite_harness) == []


async def test_photo_outside_a_flow_offers_only_the_items(sqlite_harness: Harness) -> None:
    await set_projects(sqlite_harness, ["Trồng cây"])
    chat = await sqlite_harness.registered()
    await chat.photo(image_bytes("PNG", 5))
    assert chat.choices == ["Sinh hoạt chi đoàn", "Hoạt động 1: Trồng cây", "Cả báo cáo", "Xong"]
    assert "bấm hoặc gõ số" in chat.text
    await chat.photo(image_bytes("PNG", 6))
    assert chat.choices == [] and len(chat.texts) == 2
    await chat.say("sinh hoat")  # words of a label, as typed on Zalo
    assert "Đã gắn 2 ảnh vào «Sinh hoạt chi đoàn»" in chat.text
    assert [r.item for r in await evidence_rows(sqlite_harness)] == ["meeting", "meeting"]
