"""A whole monthly report on Zalo: the channel against the fake Zalo server, polling and webhook,
SQLite and PostgreSQL: choices answered by number and by words typed without diacritics, a
photo by URL, the receipt, and the stored report compared with what was sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.engine.types import InKind
from tests.support.harness import Harness
from tests.support.report_check import (
    DAYS_INTO_MONTH,
    PHOTO_CAPTION,
    RECEIPT,
    REFERENCE,
    SUMMARY_LINES,
    assert_report_matches,
    jpeg_photo,
)
from tests.zalo.driver import ZaloEnv, ZaloUser

ZALO_TEXT_LIMIT = 2000


@pytest.fixture(params=["polling", "webhook"])
async def report_env(
    request: pytest.FixtureRequest, harness: Harness, tmp_path: Path
) -> AsyncIterator[ZaloEnv]:
    """Both modes, over both databases."""
    env = await ZaloEnv.start(harness, tmp_path, request.param)
    yield env
    await env.close()


async def type_answer(lan: ZaloUser, text: str, next_question: int) -> None:
    """Type an answer; the bot takes it and asks question `next_question`."""
    await lan.send_text(text)
    assert f"Câu {next_question}/" in lan.text, f"{text!r} was not taken: {lan.text}"


async def pick(lan: ZaloUser, typed: str, numbered: list[str]) -> None:
    """Answer the latest choices by typing; they were offered as numbered lines."""
    listing = "\n".join(f"{n}. {label}" for n, label in enumerate(numbered, start=1))
    assert listing in lan.text, f"choices not numbered as expected: {lan.text}"
    await lan.send_text(typed)
    incoming = lan.last_incoming
    assert incoming is not None and incoming.kind is InKind.TEXT, "Zalo sends text, never a press"


async def test_secretary_answers_by_number_and_by_word_and_sends_a_whole_report(
    report_env: ZaloEnv, harness: Harness
) -> None:
    env = report_env
    lan = env.user("5c0ffee1d2e3", "Nguyễn Thị Lan")
    await lan.send_text(f"/start {await harness.invite()}")
    assert "đăng ký thành công" in lan.text and "Chi đoàn ấp Long Phụng" in lan.text

    harness.clock.advance(days=DAYS_INTO_MONTH)
    await lan.send_text("/baocao")
    assert "Bắt đầu báo cáo tháng 11/2026" in lan.text and "Câu 1/" in lan.text
    await type_answer(lan, "25 người", 2)
    await type_answer(lan, "hai", 3)
    await type_answer(lan, "khong", 4)
    await type_answer(lan, "1 ban", 5)
    await pick(lan, "co", ["Có", "Không"])
    assert "Câu 6/" in lan.text
    await type_answer(lan, "ngay 15 thang 11", 7)
    await type_answer(lan, "20 nguoi", 8)
    await type_answer(lan, "5", 9)
    await type_answer(lan, "2", 10)
    await type_answer(lan, "1. Dọn vệ sinh kênh ấp\n2. Trồng 100 cây xanh", 11)

    activities = ["Tình nguyện", "Nông thôn mới", "Văn minh đô thị", "Xong"]
    await pick(lan, "1", activities)
    assert "Đã chọn: Tình nguyện." in lan.text and "Câu 11/" in lan.text
    await pick(lan, "do thi van minh", activities)
    assert "Đã chọn: Tình nguyện, Văn minh đô thị." in lan.text
    await pick(lan, "xong", activities)
    assert "Câu 12/" in lan.text
    await type_answer(lan, "0", 13)
    await type_answer(lan, "mot", 14)
    await type_answer(lan, "0", 15)
    await type_answer(lan, "1,5 trieu", 16)
    await type_answer(lan, "Đoàn viên phấn khởi, hăng hái", 17)
    await type_answer(lan, "Thiếu kinh phí tổ chức", 18)

    assert "1. Sinh hoạt chi đoàn\n2. Hoạt động 1: Dọn vệ sinh kênh ấp" in lan.text
    await pick(lan, "1", [])
    assert "ảnh gửi tiếp sẽ gắn vào: Sinh hoạt chi đoàn" in lan.text
    photo = jpeg_photo()
    env.zalo.media["sinh-hoat.jpg"] = photo
    await lan.send_photo_url(env.zalo.media_url("sinh-hoat.jpg"), caption=PHOTO_CAPTION)
    assert lan.last_incoming is not None and lan.last_incoming.kind is InKind.PHOTO
    assert "Ảnh đang gắn vào: Sinh hoạt chi đoàn" in lan.text
    await pick(lan, "xong", [])

    for line in SUMMARY_LINES:
        assert line in lan.text, f"{line!r} not in the summary: {lan.text}"
    await pick(lan, "gui bao cao", ["Gửi báo cáo", "Sửa một mục", "Để sau"])
    assert RECEIPT in lan.text and REFERENCE in lan.text

    await assert_report_matches(harness, photo)
    assert lan.messages and all(len(text) <= ZALO_TEXT_LIMIT for text in lan.messages)
    assert not any("reply_markup" in body for body in env.zalo.called("sendMessage"))
