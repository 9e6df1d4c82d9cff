"""Wording a branch secretary on a phone, or a standing-committee member, reads: what the
messages say is the point of these tests (elsewhere tests compare catalog keys)."""

from __future__ import annotations

import re

import pytest

from bot.i18n import Catalog
from storage.models import Role
from tests.support.harness import Harness

CATALOG = Catalog()
VI = CATALOG.messages["vi"]
#: Messages of the district's own files that are read by branch secretaries, not the district.
TO_BRANCHES = {
    "admin.returned_message",
    "admin.reopened_message",
    "admin.returned_fix",
    "admin.broadcast_message",
}
DISTRICT_FILES = ("admin.", "dashboard.", "digest.", "scorecard.")
DISTRICT_KEYS = (
    "reminders.preview",
    "reminders.unreachable",
    "reminders.already_sent_today",
    "reminders.queued",
    "youth.district_",
    "youth.case_prompt_audited",
)


def _to_district(key: str) -> bool:
    return key not in TO_BRANCHES and (
        key.startswith(DISTRICT_FILES) or key.startswith(DISTRICT_KEYS)
    )


def test_the_district_is_addressed_as_dong_chi_never_casually() -> None:
    casual = re.compile(r"\b(bạn|Bạn|anh/chị|Anh/chị)\b")
    found = {k: v for k, v in VI.items() if _to_district(k) and casual.search(v)}
    assert found == {}


def test_a_photo_that_is_not_one_is_refused_in_plain_words() -> None:
    text = VI["evidence.rejected_not_image"]
    assert "ảnh chụp mình nhận được" not in text and "{formats}" in text


def test_the_multiple_choice_hint_does_not_repeat_itself() -> None:
    text = CATALOG.t("vi", "report.multi_hint", chosen=VI["report.none"])
    assert len(re.findall(r"chọn", text, re.I)) <= 1, text


def test_photos_left_without_their_item_are_explained_with_what_to_do() -> None:
    for key in ("report.photos_moved.one", "report.photos_moved.other"):
        assert "được chuyển sang" not in VI[key] and "/minhchung" in VI[key]


def test_the_export_note_says_what_the_totals_count_without_jargon() -> None:
    text = VI["admin.export_ready"]
    assert "cộng cột" not in text and "tính trùng" not in text


def test_a_required_question_says_what_to_do() -> None:
    text = VI["common.cannot_skip"]
    assert "bắt buộc, không bỏ qua được" not in text and "/huy" in text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_message_names_the_system_instead_of_the_reader(lang: str) -> None:
    system_words = re.compile(r"hàng (chờ )?gửi|xếp .* vào hàng|queue|server", re.I)
    found = {
        k: v
        for k, v in CATALOG.messages[lang].items()
        if system_words.search(re.sub(r"\{\w+\}", "", v))
    }
    assert found == {}


async def test_a_leader_is_greeted_and_helped_as_dong_chi(harness: Harness) -> None:
    leader = await harness.registered("lead", Role.LEADER, "PH")
    assert leader.said("registration.welcome_district", place="Huyện đoàn Phụng Hiệp")
    await leader.say("/trogiup")
    assert leader.said("common.help_district")
    secretary = await harness.registered("sec")
    await secretary.say("/trogiup")
    assert secretary.said("common.help") and "đồng chí" not in secretary.text
