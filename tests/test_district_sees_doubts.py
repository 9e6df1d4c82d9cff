"""Every doubt where the district looks: the secretary is shown a figure far from the branch's
history before sending; once sent, /duyet puts doubtful reports first with their reasons,
/trangthai counts them, the digest names them with their grassroots unit, and the export's
flags column says why — a reused photo with where it was first used."""

from __future__ import annotations

from datetime import timedelta

from bot.i18n import Formatter
from handlers.digest.compute import build_digest
from handlers.digest.render import digest_text
from storage.models import MonthlyReport, ReportStatus, Role
from storage.repositories.org import OrgRepository
from tests.support.harness import Chat, Harness, local
from tests.support.report_check import jpeg_photo
from tests.support.report_script import fill, report_of
from tests.support.workbook import sheet_rows

REUSED = "Ảnh đã dùng trước đó · lần đầu ở Chi đoàn ấp Long Phụng (Đoàn xã Tân Long), tháng 10/2026"


async def _six_sent_months(harness: Harness, one_plus_one: int = 5) -> None:
    async with harness.uow() as uow:
        branch = await uow.get(OrgRepository).branch_by_code("PH-TL-01")
        assert branch is not None
        for i in range(1, 7):
            period = f"2026-{11 - i:02d}"
            uow.session.add(
                MonthlyReport(
                    branch_id=branch.id,
                    period=period,
                    status=ReportStatus.APPROVED,
                    answers={"members_total": 29, "one_plus_one": one_plus_one + i % 2},
                    flags=[],
                    submitted_at=harness.clock.now() - timedelta(days=30 * i),
                )
            )


async def test_a_figure_far_from_the_branchs_months_is_shown_then_flagged(
    harness: Harness,
) -> None:
    await _six_sent_months(harness)
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat, one_plus_one="55")
    assert chat.said("report.doubts_heading")
    assert "«1+1»" in chat.text and "cao bất thường so với 6 tháng trước" in chat.text
    await chat.press("Gửi báo cáo")
    assert chat.said("report.receipt"), "a doubt never blocks the report"
    [flag] = (await report_of(harness)).flags
    assert (flag["field"], flag["code"]) == ("one_plus_one", "history_high")
    assert flag["note"] == "55, cao bất thường so với 6 tháng trước của chi đoàn (thường khoảng 6)."


async def test_an_ordinary_month_shows_no_doubt(harness: Harness) -> None:
    await _six_sent_months(harness)
    chat = await harness.registered("u1")
    await chat.say("/baocao")
    await fill(harness, chat)
    assert not chat.said("report.doubts_heading")
    await chat.press("Gửi báo cáo")
    assert (await report_of(harness)).flags == []


async def _send(harness: Harness, chat: Chat, **typed: str) -> None:
    await chat.say("/baocao 11/2026")
    await fill(harness, chat, **typed)
    await chat.press("Gửi báo cáo")
    assert chat.said("report.receipt"), chat.text


async def test_a_reused_photo_puts_the_report_first_everywhere_the_district_looks(
    harness: Harness,
) -> None:
    first = await harness.registered("u1", code="PH-TL-01")
    other = await harness.registered("u2", code="PH-TL-02")
    harness.clock.set(local(2026, 10, 12, 19, 30))
    await first.photo(jpeg_photo(7))
    await first.press("Sinh hoạt chi đoàn")
    await first.press("Xong")
    harness.clock.set(local(2026, 11, 10, 9, 0))
    await other.photo(jpeg_photo(7))  # last month's photo of another branch, sent again
    await other.press("Sinh hoạt chi đoàn")
    await other.press("Xong")
    await _send(harness, other)
    harness.clock.set(local(2026, 11, 11, 9, 0))
    # Sent later, nothing doubtful (its own words: the same typed text would be a copy).
    await _send(harness, first, projects="Sửa cầu khỉ; Thắp sáng đường quê")

    leader = await harness.registered("lead", Role.LEADER, "PH")
    await leader.say("/duyet")
    assert leader.choices[:2] == [
        "⚠️ Chi đoàn ấp Long Trường · 11/2026",
        "Chi đoàn ấp Long Phụng · 11/2026",
    ], "the doubtful report first, marked"
    assert leader.said(
        "admin.review_flagged_line", branch="Chi đoàn ấp Long Trường", reasons=REUSED
    )
    await leader.press(1)
    assert f"⚠️ Cần kiểm tra — {REUSED}" in leader.text
    assert leader.choices[:2] == ["✅ Duyệt", "↩️ Trả lại để sửa"], "approve and return first"

    await leader.say("/trangthai")
    assert leader.said("admin.status_flagged", count=1)

    async with harness.uow() as uow:
        branch = await uow.get(OrgRepository).branch_by_code("PH-TL-02")
        assert branch is not None
        full = await uow.get(OrgRepository).branch(branch.id)
        assert full is not None
        digest = await build_digest(uow, full.unit.district, "2026-11", harness.settings)
    assert digest.flagged == [("Chi đoàn ấp Long Trường", "Đoàn xã Tân Long")]
    text = digest_text(digest, Formatter(harness.catalog, "vi"))
    assert "Chi đoàn ấp Long Trường (Đoàn xã Tân Long)" in text

    await leader.say("/xuat 2026-11")
    await leader.press(1)
    document = next(r.document for r in leader.last if r.document is not None)
    rows = {row["Mã chi đoàn"]: row for row in sheet_rows(document.data, 0)}
    assert rows["PH-TL-02"]["Số liệu cần kiểm tra"] == REUSED
    assert rows["PH-TL-01"]["Số liệu cần kiểm tra"] is None
