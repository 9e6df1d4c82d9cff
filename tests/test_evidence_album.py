"""The secretary's photos of a report (/minhchung → Ảnh đã gửi): listed, shown, moved to another
item, removed; a removed photo can be sent again, and the district's flags stay consistent."""

from __future__ import annotations

from storage.models import Role
from tests.support.harness import Chat, Harness, local
from tests.test_evidence_photos import evidence_rows, image_bytes, set_projects
from tests.test_photo_integrity import camera_jpeg, doubts, photos_of, send_and_label
from tests.youth_support import audit_rows

PHOTO = image_bytes("PNG", 41)


async def _album(chat: Chat) -> None:
    await chat.say("/minhchung")
    await chat.press("🖼 Ảnh đã gửi (1)")


async def test_the_secretary_sees_a_photo_and_moves_it_to_another_item(harness: Harness) -> None:
    await set_projects(harness, ["Dọn vệ sinh kênh Long Phụng"])
    chat = await harness.registered()
    await send_and_label(chat, PHOTO)
    await _album(chat)
    assert chat.said("evidence.album", month="11/2026", count=1)
    assert "1. Sinh hoạt chi đoàn — gửi lúc 09:00 10/11/2026" in chat.text
    await chat.press("Ảnh 1 · Sinh hoạt chi đoàn")
    [shown] = chat.last
    assert shown.photo is not None and shown.photo.data == PHOTO
    await chat.press("↪️ Chuyển sang mục khác")
    assert chat.choices == [
        "Hoạt động 1: Dọn vệ sinh kênh Long Phụng",
        "Cả báo cáo",
        "Về danh sách ảnh",
    ]
    await chat.press("Hoạt động 1: Dọn vệ sinh kênh Long Phụng")
    assert chat.said("evidence.moved", n=1)
    [row] = await evidence_rows(harness)
    assert row.item == "activity:1"
    assert "1. Hoạt động 1: Dọn vệ sinh kênh Long Phụng" in chat.text, "the list again"


async def test_a_removed_photo_is_gone_audited_and_can_be_sent_again(harness: Harness) -> None:
    chat = await harness.registered()
    await send_and_label(chat, PHOTO)
    await _album(chat)
    await chat.press("Ảnh 1 · Sinh hoạt chi đoàn")
    await chat.press("🗑 Xoá ảnh này")
    await chat.press("Không xoá")
    assert chat.said("evidence.remove_kept") and len(await evidence_rows(harness)) == 1
    await chat.press("🗑 Xoá ảnh này")
    await chat.press("🗑 Xoá ảnh")
    assert chat.said("evidence.removed", n=1) and chat.said("evidence.album_empty")
    assert await evidence_rows(harness) == []
    [entry] = await audit_rows(harness)
    assert (entry.action, entry.detail["item"]) == ("evidence.remove", "meeting")
    await chat.say("/huy")
    await chat.photo(PHOTO)
    assert chat.said("evidence.saved.one"), "sent again, it is a new photo of the report"
    assert len(await evidence_rows(harness)) == 1


async def test_a_photo_sent_while_looking_at_the_list_is_a_new_photo(harness: Harness) -> None:
    chat = await harness.registered()
    await send_and_label(chat, PHOTO)
    await _album(chat)
    await chat.photo(image_bytes("PNG", 42))
    assert chat.said("evidence.saved.other", count=2) and "Sinh hoạt chi đoàn" in chat.choices


async def test_removing_a_first_use_keeps_the_reuse_flags_true(harness: Harness) -> None:
    """Three branches send one picture in turn: B and C are flagged as reusing A's. When A's
    photo is removed, B is the first use (no flag) and C reuses B's."""
    picture = camera_jpeg(5)
    chats = {}
    for hour, code in ((8, "PH-TL-01"), (9, "PH-TL-02"), (10, "PH-TL-03")):
        harness.clock.set(local(2026, 11, 10, hour, 0))
        chats[code] = await harness.registered(code.lower(), Role.SECRETARY, code)
        await send_and_label(chats[code], picture)
    [a] = await photos_of(harness, "PH-TL-01")
    [b] = await photos_of(harness, "PH-TL-02")
    [c] = await photos_of(harness, "PH-TL-03")
    assert [d.first_use.evidence_id for d in await doubts(harness, c) if d.first_use] == [a.id]
    await _album(chats["PH-TL-01"])
    await chats["PH-TL-01"].press("Ảnh 1 · Sinh hoạt chi đoàn")
    await chats["PH-TL-01"].press("🗑 Xoá ảnh này")
    await chats["PH-TL-01"].press("🗑 Xoá ảnh")
    assert await doubts(harness, b) == []
    [doubt] = await doubts(harness, c)
    assert doubt.first_use is not None and doubt.first_use.evidence_id == b.id
    assert doubt.first_use.branch_code == "PH-TL-02"
