"""The difficult-youth list through the engine: add, list, view, help given, close, history."""

from __future__ import annotations

from storage.models import Role
from storage.repositories.org import OrgRepository
from tests.support.harness import Harness
from tests.youth_support import add_person, audit_rows, cases, events


async def test_add_a_person_then_list_and_view(harness: Harness) -> None:
    chat = await harness.registered()
    await chat.say("/thanhnien")
    assert "chưa có ai" in chat.text
    await chat.press("➕ Thêm người")
    assert "Câu 1/7" in chat.text
    for answer in ("Nguyễn Thị Bình", "năm 2004", "nữ", "ấp Long Phụng"):
        await chat.say(answer)
    assert "Câu 5/7" in chat.text and "4. Hộ nghèo, cận nghèo" in chat.text
    await chat.say("1 4")
    await chat.say("Cha mẹ đi làm xa, ở với ông bà")
    await chat.say("Học bổng và xe đạp")
    assert "Dân tộc thiểu số; Hộ nghèo, cận nghèo" in chat.text and chat.choices == ["Lưu"]
    await chat.press("Lưu")
    assert "Đã thêm Nguyễn Thị Bình" in chat.text
    assert chat.choices[0] == "Nguyễn Thị Bình (2004)"
    await chat.say("1")
    assert "Cha mẹ đi làm xa" in chat.text and "sinh năm 2004, Nữ" in chat.text
    assert "đang theo dõi" in chat.text
    [case] = await cases(harness)
    assert (case.full_name, case.birth_year, case.sex, case.area) == (
        "Nguyễn Thị Bình",
        2004,
        "female",
        "ấp Long Phụng",
    )
    assert case.categories == ["ethnic_minority", "poor_household"]
    assert case.help_needed == "Học bổng và xe đạp" and case.status == "open"
    assert [e.kind for e in await events(harness)] == ["created"]
    [entry] = await audit_rows(harness)
    assert (entry.action, entry.subject) == ("youth.create", f"youth_case:{case.id}")
    assert "Bình" not in str(entry.detail)


async def test_bad_answers_get_one_sentence_and_lose_nothing(harness: Harness) -> None:
    chat = await harness.registered()
    await chat.say("/thanhnien")
    await chat.press("➕ Thêm người")
    await chat.say("/boqua")
    assert chat.said("common.cannot_skip")
    await chat.say("An 123")
    assert "chỉ gồm chữ" in chat.text and "Câu 1/7" in chat.text
    await chat.say("Trần Văn An")
    for bad in ("2020", "1975", "hai nghìn", "2004 2005"):
        await chat.say(bad)
        assert "từ 1991 đến 2016" in chat.text, bad
    await chat.say("sinh 2003")
    await chat.say("gì đó")
    assert "Nam, Nữ hoặc Khác" in chat.text
    await chat.say("Nam")
    await chat.say("ấp 3")
    await chat.say("12")
    assert "«12»" in chat.text
    await chat.say("hộ nghèo, bay nhảy")
    assert "«bay nhảy»" in chat.text
    await chat.say("/quaylai")
    assert "ấp/khu vực" in chat.text
    await chat.say("ấp Long Hòa")
    await chat.say("hộ nghèo và khuyết tật")
    await chat.say("Bị tai nạn lao động, mất việc")
    await chat.say("/boqua")
    assert "Cần giúp: —" in chat.text
    assert "Trần Văn An — sinh năm 2003, Nam" in chat.text and "ấp Long Hòa" in chat.text
    await chat.say("lưu")
    [case] = await cases(harness)
    assert case.categories == ["disability", "poor_household"]
    assert case.help_needed is None and case.area == "ấp Long Hòa"


async def test_record_help_given_with_dates_people_type(harness: Harness) -> None:
    chat = await harness.registered()
    await add_person(chat)
    await chat.say("1")
    await chat.press("Ghi nhận đã giúp đỡ")
    await chat.say("ok")
    assert "từ 3 đến 500" in chat.text
    await chat.say("Tặng 20 kg gạo")
    await chat.say("ngày mai")
    assert "chưa đọc được ngày" in chat.text
    await chat.say("20/11")
    assert "chưa tới" in chat.text
    await chat.say("hôm qua")
    assert "Đã ghi nhận" in chat.text
    assert "09/11/2026: Tặng 20 kg gạo" in chat.text
    await chat.press("Ghi nhận đã giúp đỡ")
    await chat.say("Giới thiệu học nghề ở trung tâm huyện")
    await chat.say("5-11")
    assert "05/11/2026: Giới thiệu học nghề" in chat.text
    history = await events(harness)
    assert [e.kind for e in history] == ["created", "help_given", "help_given"]
    assert history[1].detail == {"what": "Tặng 20 kg gạo", "on": "2026-11-09"}
    assert [a.action for a in await audit_rows(harness)] == [
        "youth.create",
        "youth.help_given",
        "youth.help_given",
    ]


async def test_secretary_of_two_branches_picks_one(harness: Harness) -> None:
    chat = await harness.registered()
    await chat.say(f"/start {await harness.invite(Role.SECRETARY, 'PH-TL-02')}")
    await chat.say("/thanhnien")
    assert chat.choices == ["Chi đoàn ấp Long Phụng", "Chi đoàn ấp Long Trường"]
    await chat.say("2")
    assert "Chi đoàn ấp Long Trường chưa có ai" in chat.text
    await chat.press("➕ Thêm người")
    for answer in ("Võ Văn Em", "2002", "nam", "khu vực 2", "7", "Thất nghiệp lâu ngày", "/boqua"):
        await chat.say(answer)
    await chat.press("Lưu")
    [case] = await cases(harness)
    async with harness.uow() as uow:
        branch = await uow.get(OrgRepository).branch_by_code("PH-TL-02")
        assert branch is not None and case.branch_id == branch.id


async def test_english(harness: Harness) -> None:
    chat = await harness.registered(language_hint="en")
    await chat.say("/youth")
    await chat.press("➕ Add a person")
    assert "Question 1/7" in chat.text
    for answer in ("Nguyen Van Giang", "born 2004", "male", "hamlet 5", "orphan, 6"):
        await chat.say(answer)
    await chat.say("Lives alone")
    await chat.say("A job")
    assert "Orphan; Out of school" in chat.text


async def test_correct_a_detail_keeps_the_old_value_in_history(harness: Harness) -> None:
    chat = await harness.registered()
    await add_person(chat)
    await chat.say("1")
    await chat.press("Sửa thông tin")
    await chat.press("Năm sinh")
    assert "sinh năm nào" in chat.text and "Câu" not in chat.text
    await chat.say("2030")
    assert "từ 1991 đến 2016" in chat.text
    await chat.say("sinh năm 2004")
    assert "Đã sửa «Năm sinh»" in chat.text and "sinh năm 2004" in chat.text
    await chat.press("Sửa thông tin")
    await chat.press("Diện khó khăn")
    await chat.say("mồ côi, 6")
    assert "Diện: Mồ côi; Bỏ học" in chat.text
    await chat.press("Sửa thông tin")
    await chat.press("Hoàn cảnh")
    await chat.say("/huy")
    assert "hồ sơ giữ nguyên" in chat.text and "Mồ côi cha, sống với bà ngoại" in chat.text
    [case] = await cases(harness)
    assert case.birth_year == 2004 and case.categories == ["orphan", "out_of_school"]
    updates = [e.detail for e in await events(harness) if e.kind == "updated"]
    assert updates == [
        {"field": "birth_year", "old": 2005},
        {"field": "categories", "old": ["ethnic_minority", "poor_household"]},
    ]
    actions = [a.action for a in await audit_rows(harness)]
    assert actions == ["youth.create", "youth.update", "youth.update"]


async def test_inside_a_record_other_commands_do_not_print_it_again(harness: Harness) -> None:
    chat = await harness.registered()
    await add_person(chat)
    await chat.say("1")
    assert "Mồ côi cha" in chat.text
    for typed in ("/cuatoi", "/trogiup", "không hiểu gì"):
        await chat.say(typed)
        assert "Mồ côi cha" not in chat.text and "Dân tộc thiểu số" not in chat.text, typed
        assert chat.said("youth.case_prompt", name="Nguyễn Văn An"), typed
    await chat.press("Xem hồ sơ")
    assert "Mồ côi cha" in chat.text


async def test_the_secretary_reads_a_records_history_and_the_reading_is_audited(
    harness: Harness,
) -> None:
    chat = await harness.registered()
    await add_person(chat)
    await chat.say("1")
    await chat.press("Sửa thông tin")
    await chat.press("Năm sinh")
    await chat.say("2004")
    await chat.press("Ghi nhận đã giúp đỡ")
    await chat.say("Tặng 20 kg gạo")
    await chat.say("hôm nay")
    await chat.press("📜 Lịch sử hồ sơ")
    history = chat.texts[0]
    assert history.startswith("📜") and "Nguyễn Văn An" in history
    assert "sửa «Năm sinh» (trước đó: 2005)" in history
    assert "ghi nhận đã giúp ngày 10/11/2026: Tặng 20 kg gạo" in history
    assert history.count("\n• ") == 3 and "Lan thêm vào danh sách" in history
    assert chat.said("youth.case_prompt"), "then the choices, not the record again"
    [case] = await cases(harness)
    [entry] = [a for a in await audit_rows(harness) if a.action == "youth.history"]
    assert entry.subject == f"youth_case:{case.id}" and "An" not in str(entry.detail)


async def test_the_district_reads_a_records_history_audited(harness: Harness) -> None:
    secretary = await harness.registered()
    await add_person(secretary)
    leader = await harness.registered("lead", Role.LEADER, "PH")
    await leader.say("/thanhnien")
    await leader.press("Chi đoàn ấp Long Phụng (1)")
    await leader.press("Nguyễn Văn An (2005)")
    await leader.press("📜 Lịch sử hồ sơ")
    assert "thêm vào danh sách" in leader.texts[0] and "Mồ côi cha" not in leader.text
    actions = [a.action for a in await audit_rows(harness)]
    assert actions[-3:] == ["youth.list", "youth.read", "youth.history"]
