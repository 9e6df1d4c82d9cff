"""A 600-branch district: /trangthai and /nhacnho stay readable on a phone."""

from __future__ import annotations

from pathlib import Path

from storage.models import Role
from tests.support.harness import Harness

PHONE_LIMIT = 4096  # one Telegram message


async def big_district(
    harness: Harness, tmp_path: Path, units: int = 30, per_unit: int = 20
) -> None:
    """District LD: `units` grassroots units of `per_unit` branches each."""
    lines = ["Mã huyện đoàn,Tên huyện đoàn,Mã đoàn cơ sở,Tên đoàn cơ sở,Mã chi đoàn,Tên chi đoàn"]
    for u in range(1, units + 1):
        for b in range(1, per_unit + 1):
            lines.append(
                f"LD,Huyện đoàn Lớn,LD-U{u:02d},Đoàn xã số {u},LD-U{u:02d}-{b:02d},"
                f"Chi đoàn ấp {u}-{b}"
            )
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    await harness.import_org(path)


async def test_status_of_a_large_district_is_short(sqlite_harness: Harness, tmp_path: Path) -> None:
    await big_district(sqlite_harness, tmp_path)
    leader = await sqlite_harness.registered("lead1", Role.LEADER, "LD")
    await leader.say("/trangthai")
    text = leader.text
    assert len(text) < PHONE_LIMIT, len(text)
    assert "Đã nộp: 0/600 chi đoàn" in text and "Chưa nộp: 600 chi đoàn" in text
    assert "• Đoàn xã số 30: 0/20 (0%)" in text
    assert "và 18 chi đoàn khác" in text and "/xuat" in text
    assert text.count("Chi đoàn ấp 1-1,") == 1


async def test_small_units_show_up_to_eight_names(sqlite_harness: Harness, tmp_path: Path) -> None:
    await big_district(sqlite_harness, tmp_path, units=3, per_unit=12)
    leader = await sqlite_harness.registered("lead1", Role.LEADER, "LD")
    await leader.say("/trangthai")
    assert "Chi đoàn ấp 2-8 và 4 chi đoàn khác" in leader.text


async def test_remind_preview_of_a_large_district(sqlite_harness: Harness, tmp_path: Path) -> None:
    await big_district(sqlite_harness, tmp_path)
    admin = await sqlite_harness.registered("admin1", Role.ADMIN, "LD")
    await admin.say("/nhacnho")
    text = admin.text
    assert len(text) < PHONE_LIMIT, len(text)
    assert "600 chi đoàn chưa nộp" in text and "không nhắc được (600 chi đoàn)" in text
    assert "Gửi lời nhắc ngay" not in text and admin.choices == []
    await sqlite_harness.registered("s1", Role.SECRETARY, "LD-U01-01")
    await admin.say("/nhacnho")
    text = admin.text
    assert len(text) < PHONE_LIMIT, len(text)
    assert "sẽ nhắc 1 bí thư" in text and "• Đoàn xã số 1: Chi đoàn ấp 1-1\n" in text
    assert text.count("Chi đoàn ấp 1-1") == 1, "each branch once"
    assert admin.choices == ["Gửi lời nhắc", "Thôi, không gửi"]
