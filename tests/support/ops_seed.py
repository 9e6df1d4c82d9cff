"""A seeded month for the digest, export and admin tests: on-time, late, missing, returned, flagged.

Hand-computed figures for district PH, period 2026-11, are in `EXPECTED` below; the tests compare
the digest and the export against them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storage.models import Evidence, MonthlyReport, YouthCase
from storage.repositories.org import OrgRepository
from tests.support.harness import LOCAL_FIXTURES, Harness, local

SECOND_ORG = LOCAL_FIXTURES / "org-second-district.csv"
PERIOD = "2026-11"

YOUTH_NAMES = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Võ Văn Em")


def answers(
    members: int,
    admitted: int,
    meeting: bool,
    one: int,
    projects: int,
    party: int,
    poverty: int = 0,
    charity: int = 0,
    startup: int = 0,
) -> dict[str, Any]:
    """A complete set of answers with the figures the digest sums."""
    return {
        "members_total": members,
        "admitted": admitted,
        "transferred_in": 1,
        "transferred_out": 0,
        "meeting_held": meeting,
        "meeting_date": "2026-11-15" if meeting else None,
        "meeting_attendance": members - 5 if meeting else None,
        "one_plus_one": one,
        "projects_count": projects,
        "projects": [f"Công trình {i + 1}" for i in range(projects)],
        "volunteer_activities": ["volunteer", "new_countryside"] if projects else [],
        "party_introduced": party,
        "support_poverty_models": poverty,
        "support_charity_houses": charity,
        "support_startup_vnd": startup,
        "mood": "Ổn định",
        "difficulties": "",
    }


FLAG = {"field": "meeting_attendance", "code": "high_ratio", "note": "dự họp gần bằng số đoàn viên"}

#: branch code → (period, status, late, submitted at (local), answers, flags, photos)
REPORTS: list[
    tuple[str, str, str, bool, datetime | None, dict[str, Any], list[Any], list[str | None]]
] = [
    (
        "PH-TL-01",
        PERIOD,
        "submitted",
        False,
        local(2026, 11, 20, 10, 0),
        answers(30, 2, True, 3, 2, 1, poverty=1, startup=5_000_000),
        [],
        ["meeting", "activity:1"],
    ),
    (
        "PH-TL-02",
        PERIOD,
        "approved",
        False,
        local(2026, 11, 21, 9, 30),
        answers(25, 1, True, 2, 1, 0, charity=1),
        [FLAG],
        [None],
    ),
    (
        "PH-CT-01",
        PERIOD,
        "submitted",
        True,
        local(2026, 11, 26, 8, 0),
        answers(40, 0, False, 0, 0, 2, startup=10_000_000),
        [{"field": "members_total", "code": "jump", "note": "tăng mạnh so với tháng trước"}],
        [],
    ),
    (
        "PH-CT-02",
        PERIOD,
        "returned",
        False,
        local(2026, 11, 22, 14, 0),
        answers(20, 9, True, 9, 9, 9),
        [],
        ["meeting"],
    ),
    ("PH-THPT-10A1", PERIOD, "draft", False, None, {"members_total": 31}, [FLAG], []),
    (
        "PH-THPT-11A2",
        PERIOD,
        "submitted",
        False,
        local(2026, 11, 24, 16, 0),
        answers(35, 4, True, 5, 3, 0),
        [],
        [],
    ),
    # Last month, for the change column, and older months for the trend.
    (
        "PH-TL-01",
        "2026-10",
        "approved",
        False,
        local(2026, 10, 20, 9, 0),
        answers(28, 1, True, 1, 1, 0, startup=2_000_000),
        [],
        [],
    ),
    (
        "PH-TL-02",
        "2026-10",
        "submitted",
        False,
        local(2026, 10, 22, 9, 0),
        answers(25, 0, True, 0, 0, 1),
        [],
        [],
    ),
    ("PH-CT-01", "2026-10", "draft", False, None, answers(99, 9, True, 9, 9, 9), [], []),
    (
        "PH-TL-01",
        "2026-09",
        "approved",
        False,
        local(2026, 9, 20, 9, 0),
        answers(27, 0, True, 0, 0, 0),
        [],
        [],
    ),
    # Another district: must never show up in district PH's numbers.
    (
        "NK-AB-01",
        PERIOD,
        "submitted",
        False,
        local(2026, 11, 20, 9, 0),
        answers(500, 50, True, 50, 50, 50),
        [FLAG],
        ["meeting"],
    ),
]

#: branch code, name, categories, status, created (local), closed (local)
CASES: list[tuple[str, str, list[str], str, datetime, datetime | None]] = [
    (
        "PH-TL-01",
        YOUTH_NAMES[0],
        ["ethnic_minority", "poor"],
        "open",
        local(2026, 10, 5, 9, 0),
        None,
    ),
    ("PH-TL-01", YOUTH_NAMES[1], ["religious"], "open", local(2026, 11, 3, 9, 0), None),
    (
        "PH-CT-01",
        YOUTH_NAMES[2],
        ["out_of_school"],
        "closed",
        local(2026, 9, 1, 9, 0),
        local(2026, 11, 12, 9, 0),
    ),
    (
        "PH-THPT-11A2",
        YOUTH_NAMES[3],
        ["disability"],
        "closed",
        local(2026, 8, 1, 9, 0),
        local(2026, 10, 20, 9, 0),
    ),
    ("NK-AB-01", YOUTH_NAMES[4], ["orphan"], "open", local(2026, 11, 2, 9, 0), None),
]

EXPECTED = {
    "expected": 7,
    "received": 4,
    "on_time": 3,
    "units": {  # code → (expected, received, on time, missing, returned)
        "PH-CT": (2, 1, 0, [], ["Chi đoàn khu vực 2"]),
        "PH-THPT": (2, 1, 1, ["Chi đoàn lớp 10A1"], []),
        "PH-TL": (3, 2, 2, ["Chi đoàn ấp Long Hòa"], []),
    },
    "totals": {
        "members_total": 30 + 25 + 40 + 35,
        "admitted": 2 + 1 + 0 + 4,
        "meeting_held": 3,
        "one_plus_one": 3 + 2 + 0 + 5,
        "projects_count": 2 + 1 + 0 + 3,
        "party_introduced": 1 + 0 + 2 + 0,
        "support_poverty_models": 1,
        "support_charity_houses": 1,
        "support_startup_vnd": 15_000_000,
    },
    "previous": {
        "members_total": 53,
        "admitted": 1,
        "meeting_held": 2,
        "one_plus_one": 1,
        "projects_count": 1,
        "party_introduced": 1,
        "support_poverty_models": 0,
        "support_charity_houses": 0,
        "support_startup_vnd": 2_000_000,
    },
    "youth": (2, 1, 1),
    "youth_by_category": {
        "ethnic_minority": [1, 0, 0],
        "poor": [1, 0, 0],
        "religious": [1, 1, 0],
        "out_of_school": [0, 0, 1],
    },
    # Received reports only: the returned PH-CT-02's photo is not counted.
    "photos": 3,
    "branches_with_photos": 2,
    "flagged": {
        ("Chi đoàn ấp Long Trường", "Đoàn xã Tân Long"),
        ("Chi đoàn khu vực 1", "Đoàn thị trấn Cây Dương"),
    },
    "returned": ["Chi đoàn khu vực 2"],
    "trend": [0, 0, 0, 1, 2, 4],  # received per month 2026-06 … 2026-11, of 7 expected
}


async def seed(harness: Harness) -> None:
    """Import the second district and write the reports, photos and youth cases above."""
    await harness.import_org(SECOND_ORG)
    async with harness.uow() as uow:
        org = uow.get(OrgRepository)
        reports: dict[tuple[str, str], MonthlyReport] = {}
        for code, period, status, late, submitted, given, flags, photos in REPORTS:
            branch = await org.branch_by_code(code)
            assert branch is not None
            report = MonthlyReport(
                branch_id=branch.id,
                period=period,
                status=status,
                late=late,
                submitted_at=submitted,
                answers=given,
                flags=flags,
                review_comment="Thiếu ảnh sinh hoạt" if status == "returned" else None,
                created_at=local(2026, 9, 1, 8, 0),
                updated_at=local(2026, 9, 1, 8, 0),
            )
            uow.session.add(report)
            await uow.flush()
            reports[(code, period)] = report
            for i, item in enumerate(photos):
                uow.session.add(
                    Evidence(
                        report_id=report.id,
                        sha256=f"{report.id:02d}{i:062d}",
                        size=1000 + i,
                        mime="image/jpeg",
                        width=800,
                        height=600,
                        caption=f"ảnh {i + 1}",
                        item=item,
                        created_at=local(2026, 11, 19, 8, i),
                    )
                )
        for code, name, categories, status, created, closed in CASES:
            branch = await org.branch_by_code(code)
            assert branch is not None
            uow.session.add(
                YouthCase(
                    branch_id=branch.id,
                    full_name=name,
                    birth_year=2005,
                    sex="nam",
                    area="Tổ 5",
                    categories=categories,
                    status=status,
                    created_at=created,
                    closed_at=closed,
                    updated_at=created,
                    situation="Gia đình khó khăn",
                    help_needed="Học bổng",
                )
            )
