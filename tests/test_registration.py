"""Registration with invite codes, through the engine, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from storage.models import Invite, Role
from tests.support.harness import Harness


async def test_start_with_code_greets_with_branch_and_district(harness: Harness) -> None:
    code = await harness.invite()
    chat = harness.chat("u1", "Lan")
    await chat.say(f"/start {code}")
    assert "Chào Lan" in chat.text
    assert "Chi đoàn ấp Long Phụng" in chat.text
    assert "Đoàn xã Tân Long" in chat.text and "Huyện đoàn Phụng Hiệp" in chat.text


async def test_start_then_code_typed_lowercase_without_dash(harness: Harness) -> None:
    code = await harness.invite()
    chat = harness.chat()
    await chat.say("/start")
    assert "mã mời" in chat.text
    await chat.say(code.replace("-", "").lower())
    assert "đăng ký thành công" in chat.text


async def test_deep_link_payload_registers(harness: Harness) -> None:
    code = await harness.invite()
    chat = harness.chat()
    await chat.say(f"/start {code.replace('-', '')}")
    assert "Chi đoàn ấp Long Phụng" in chat.text


async def test_stranger_gets_explanation_and_nothing_else(harness: Harness) -> None:
    chat = harness.chat()
    for text in ("xin chao", "/baocao", "/trangthai"):
        await chat.say(text)
        assert "mã mời" in chat.text
        assert len(chat.last) == 1


async def test_wrong_used_and_expired_codes_each_say_why(harness: Harness) -> None:
    code = await harness.invite()
    first = harness.chat("u1")
    await first.say(f"/start {code}")
    second = harness.chat("u2")
    await second.say(f"/start {code}")
    assert "đã được dùng" in second.text
    await second.say("/start ACDE-3467")
    assert "không đúng" in second.text
    stale = await harness.invite()
    harness.clock.advance(days=15)
    await second.say(f"/start {stale}")
    assert "hết hạn" in second.text


async def test_five_wrong_codes_in_ten_minutes_lock_the_chat(harness: Harness) -> None:
    good = await harness.invite()
    chat = harness.chat()
    for _ in range(4):
        await chat.say("/start ACDE-3467")
        assert "không đúng" in chat.text
    await chat.say("/start ACDE-3467")
    assert "thử lại sau 30 phút" in chat.text
    await chat.say(f"/start {good}")
    assert "thử lại sau" in chat.text, "a good code is refused while locked"
    harness.clock.advance(minutes=31)
    await chat.say(f"/start {good}")
    assert "đăng ký thành công" in chat.text


async def test_wrong_codes_spread_over_time_do_not_lock(harness: Harness) -> None:
    chat = harness.chat()
    for _ in range(6):
        await chat.say("/start ACDE-3467")
        harness.clock.advance(minutes=3)
    assert "không đúng" in chat.text


async def test_text_that_is_not_code_shaped_is_explained_and_never_locks(harness: Harness) -> None:
    """ "/start CODE" copied from the README, then report answers typed at the code question:
    none of it is a code attempt, so none of it counts towards the lock."""
    good = await harness.invite()
    chat = harness.chat()
    await chat.say("/start CODE")
    assert chat.said("registration.not_a_code")
    for typed in ["25 nguoi", "2", "k co", "hom qua", "/baocao", "co"]:
        await chat.say(typed)
        assert not chat.said("registration.locked")
    await chat.say(good)
    assert chat.said("registration.welcome_branch")


async def test_one_person_can_hold_roles_in_two_places(harness: Harness) -> None:
    chat = await harness.registered("u1", Role.SECRETARY, "PH-TL-01")
    await chat.say(f"/start {await harness.invite(Role.SECRETARY, 'PH-TL-02')}")
    assert "Chi đoàn ấp Long Trường" in chat.text
    await chat.say(f"/start {await harness.invite(Role.LEADER, 'PH')}")
    assert "Ban Thường vụ" in chat.text and "Huyện đoàn Phụng Hiệp" in chat.text
    async with harness.uow() as uow:
        used = (await uow.session.scalars(select(Invite).where(Invite.used_at.is_not(None)))).all()
    assert len(used) == 3 and {i.used_by_id for i in used} == {used[0].used_by_id}


async def test_invite_expiry_is_configurable(harness: Harness) -> None:
    code = await harness.invite()
    async with harness.uow() as uow:
        invite = await uow.session.scalar(select(Invite))
        assert invite is not None
        assert invite.expires_at - harness.clock.now() == timedelta(days=14)
    assert code


async def test_registered_person_resending_a_code_is_not_sent_back_to_registration(
    harness: Harness,
) -> None:
    code = await harness.invite()
    chat = harness.chat()
    await chat.say(f"/start {code}")
    await chat.say(f"/start {code}")
    assert "đã dùng để đăng ký rồi" in chat.text
    await chat.say("/start ACDE-3467")
    assert "không đúng" in chat.text
    for _ in range(3):
        await chat.say("ok")
    assert "thử lại sau" not in chat.text and "mã mời" not in chat.text


async def test_a_strangers_photo_is_not_kept_and_they_are_told(harness: Harness) -> None:
    chat = harness.chat()
    await chat.photo(b"\xff\xd8\xff")
    assert "chưa lưu ảnh" in chat.text and "mã mời" in chat.text
