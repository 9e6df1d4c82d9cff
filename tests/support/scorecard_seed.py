"""A seeded year (2026) of reports for district PH, its "3 chủ động" verdicts worked out by hand.

District PH (tests/fixtures/org-sample.csv) has three grassroots units. With the built-in rules
(handlers/forms/scorecard.toml) and the clock at 28/12/2026 (December's deadline passed), all
twelve months count:

* PH-TL (3 branches): everything met → 100/100, met. PH-TL-03's December report is a draft.
* PH-CT (2 branches): PH-CT-02 missed July (a draft) and August, December was returned, March and
  April came late, it met only January–April, its member count does not add up (20 → 18 with no
  transfer) → reporting, meetings, 1+1, projects, members and Party not met → 20/100, not met.
* PH-THPT (2 branches): youth list not reviewed (11A2's case untouched all year) and no Party
  introduction → 80/100, met exactly at the bar.

`EXPECTED_UNITS` and `EXPECTED_DECEMBER` hold the hand-computed figures; the chat, XLSX and page
tests compare against them. District NK gets huge figures that must never show up in PH's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from storage.models import Evidence, MonthlyReport, YouthCase, YouthCaseEvent
from storage.repositories.org import OrgRepository
from tests.support.harness import LOCAL_FIXTURES, Harness, local

SECOND_ORG = LOCAL_FIXTURES / "org-second-district.csv"
YEAR = 2026
#: After December's deadline (25/12 17:00): the whole year is due, December is the current month.
NOW = local(2026, 12, 28, 10, 0)
ALL = frozenset(range(1, 13))
YOUTH_NAMES = ("Nguyễn Thị Hoa", "Trần Văn Khánh", "Lê Thị Mai")
#: A reason typed by a secretary, with a person's name in it: never on the dashboard.
TYPED_REASON = "Lý do: Phạm Văn Tùng chuyển đi"


@dataclass(frozen=True)
class Plan:
    """One branch's year: which months were received, and what each said."""

    members: dict[int, int]  # month → members at the month's end (months not listed: as before)
    received: frozenset[int]
    meetings: frozenset[int]
    attendance: int = 0
    late: frozenset[int] = frozenset()
    one_plus_one: int = 0  # each received month
    projects: dict[int, int] = field(default_factory=dict)
    admitted: dict[int, int] = field(default_factory=dict)
    transferred_out: dict[int, int] = field(default_factory=dict)
    party: dict[int, int] = field(default_factory=dict)
    meeting_photos: frozenset[int] = frozenset()
    project_photos: dict[int, int] = field(default_factory=dict)  # month → projects with a photo
    flags: dict[int, list[dict[str, str]]] = field(default_factory=dict)
    other: dict[int, str] = field(default_factory=dict)  # month → "draft" | "returned"


REUSED = {"field": "photos", "code": "photo_reused", "note": "Ảnh đã dùng ở báo cáo tháng 9"}
DECEMBER_FLAGS = [
    {"field": "photos", "code": "photo_exif_old", "note": "Ảnh chụp từ tháng 3"},
    {"field": "members_total", "code": "member_balance", "note": TYPED_REASON},
]

PLANS: dict[str, Plan] = {
    "PH-TL-01": Plan(
        {1: 20},
        ALL,
        ALL,
        attendance=15,
        one_plus_one=1,
        projects={3: 1, 6: 1, 9: 1, 12: 1},
        admitted={1: 1},
        party={6: 1},
        meeting_photos=ALL,
        project_photos={3: 1, 6: 1, 9: 1, 12: 1},
    ),
    "PH-TL-02": Plan(
        {1: 20},
        ALL,
        ALL,
        attendance=15,
        one_plus_one=1,
        projects={3: 1, 6: 1, 9: 1, 12: 1},
        admitted={1: 1},
        meeting_photos=ALL,
        project_photos={3: 1, 6: 1, 9: 1, 12: 1},
    ),
    "PH-TL-03": Plan(
        {1: 20},
        ALL - {12},
        ALL,
        attendance=15,
        one_plus_one=1,
        projects={3: 1, 6: 1, 9: 1, 12: 1},
        admitted={1: 1},
        meeting_photos=ALL,
        project_photos={3: 1, 6: 1, 9: 1, 12: 1},
        other={12: "draft"},
    ),
    "PH-CT-01": Plan(
        {1: 20, 2: 22},
        ALL,
        ALL,
        attendance=18,
        projects={5: 1, 10: 1},
        admitted={2: 2},
        meeting_photos=ALL,
        project_photos={5: 1, 10: 1},
        flags={10: [REUSED]},
    ),
    "PH-CT-02": Plan(
        {1: 20, 9: 18},
        frozenset({1, 2, 3, 4, 5, 6, 9, 10, 11}),
        frozenset({1, 2, 3, 4}),
        attendance=5,
        late=frozenset({3, 4}),
        other={7: "draft", 12: "returned"},
    ),
    "PH-THPT-10A1": Plan(
        {1: 40},
        ALL,
        ALL,
        attendance=30,
        one_plus_one=2,
        projects={4: 1, 8: 1, 11: 1},
        admitted={9: 5},
        transferred_out={9: 5},
        meeting_photos=ALL,
        project_photos={4: 1, 8: 1, 11: 1},
        flags={12: DECEMBER_FLAGS},
    ),
    "PH-THPT-11A2": Plan(
        {1: 40},
        ALL,
        ALL,
        attendance=30,
        late=frozenset({10, 11, 12}),
        projects={6: 1},
        meeting_photos=frozenset(range(1, 9)),
    ),
    # Another district: figures that would break every PH verdict if they leaked in.
    "NK-AB-01": Plan(
        {1: 500},
        ALL,
        ALL,
        attendance=500,
        one_plus_one=500,
        projects={1: 50},
        party={1: 50},
        flags={12: [REUSED]},
    ),
}

#: unit code → (score, met, {criterion: met}, {criterion: weak branch names} for unmet ones)
EXPECTED_UNITS: dict[str, tuple[float, bool, dict[str, bool], dict[str, list[str]]]] = {
    "PH-TL": (
        100,
        True,
        dict.fromkeys(
            (
                "reporting",
                "meetings",
                "one_plus_one",
                "projects",
                "members",
                "youth",
                "party",
                "evidence",
            ),
            True,
        ),
        {},
    ),
    "PH-CT": (
        20,
        False,
        {
            "reporting": False,
            "meetings": False,
            "one_plus_one": False,
            "projects": False,
            "members": False,
            "youth": True,
            "party": False,
            "evidence": True,
        },
        {
            "reporting": ["Chi đoàn khu vực 2"],
            "meetings": ["Chi đoàn khu vực 2"],
            "one_plus_one": ["Chi đoàn khu vực 1", "Chi đoàn khu vực 2"],
            "projects": ["Chi đoàn khu vực 2"],
            "members": ["Chi đoàn khu vực 2"],
            "party": ["Chi đoàn khu vực 1", "Chi đoàn khu vực 2"],
        },
    ),
    "PH-THPT": (
        80,
        True,
        {
            "reporting": True,
            "meetings": True,
            "one_plus_one": True,
            "projects": True,
            "members": True,
            "youth": False,
            "party": False,
            "evidence": True,
        },
        {
            "youth": ["Chi đoàn lớp 11A2"],
            "party": ["Chi đoàn lớp 10A1", "Chi đoàn lớp 11A2"],
        },
    ),
}

#: A few figures behind the verdicts, by unit: (measure, numerator, denominator).
EXPECTED_FIGURES: dict[str, list[tuple[str, int, int]]] = {
    "PH-TL": [
        ("reporting_rate", 35, 36),
        ("meetings_rate", 35, 36),
        ("projects_per_branch", 11, 3),
    ],
    "PH-CT": [
        ("reporting_rate", 21, 24),
        ("on_time_rate", 19, 24),
        ("meetings_rate", 16, 24),
        ("attendance_rate", 12 * 18 + 4 * 5, 20 + 11 * 22 + 4 * 20),
        ("balanced_share", 1, 2),
        ("reused_photo_share", 1, 21),
    ],
    "PH-THPT": [
        ("on_time_rate", 21, 24),
        ("projects_per_branch", 4, 2),
        ("youth_reviewed_share", 0, 1),
        ("meeting_photo_share", 20, 24),
        ("project_photo_share", 3, 4),
    ],
}

#: December, the current month: unit → (expected, on time, late, missing, returned, flagged).
EXPECTED_DECEMBER: dict[str, tuple[int, int, int, int, int, int]] = {
    "PH-TL": (3, 2, 0, 1, 0, 0),
    "PH-CT": (2, 1, 0, 0, 1, 0),
    "PH-THPT": (2, 1, 1, 0, 0, 1),
}


def _members(plan: Plan, month: int) -> int:
    return plan.members[max(m for m in plan.members if m <= month)]


def _answers(plan: Plan, month: int) -> dict[str, Any]:
    held = month in plan.meetings
    projects = plan.projects.get(month, 0)
    return {
        "members_total": _members(plan, month),
        "admitted": plan.admitted.get(month, 0),
        "transferred_in": 0,
        "transferred_out": plan.transferred_out.get(month, 0),
        "meeting_held": held,
        **({"meeting_date": f"{YEAR}-{month:02d}-10"} if held else {}),
        **({"meeting_attendance": plan.attendance} if held else {}),
        "one_plus_one": plan.one_plus_one,
        "projects_count": projects,
        **({"projects": [f"Công trình {i + 1}" for i in range(projects)]} if projects else {}),
        "volunteer_activities": [],
        "party_introduced": plan.party.get(month, 0),
        "support_poverty_models": 0,
        "support_charity_houses": 0,
        "support_startup_vnd": 0,
        "mood": "Ổn định",
        "difficulties": None,
    }


def _report(branch_id: int, plan: Plan, month: int) -> MonthlyReport | None:
    status = "submitted" if month in plan.received else plan.other.get(month)
    if status is None:
        return None
    late = month in plan.late
    sent = local(YEAR, month, 26 if late else 20, 9, 0)
    return MonthlyReport(
        branch_id=branch_id,
        period=f"{YEAR}-{month:02d}",
        status=status,
        answers=_answers(plan, month),
        flags=list(plan.flags.get(month, [])),
        late=late,
        submitted_at=sent if status != "draft" else None,
        created_at=sent - timedelta(days=2),
        updated_at=sent,
    )


def _photos(report: MonthlyReport, plan: Plan, month: int) -> list[Evidence]:
    items = ["meeting"] if month in plan.meeting_photos and month in plan.meetings else []
    items += [f"activity:{i + 1}" for i in range(plan.project_photos.get(month, 0))]
    return [
        Evidence(
            report_id=report.id,
            sha256=f"{report.id:08d}{n:056d}",
            size=1000,
            mime="image/jpeg",
            item=item,
            created_at=report.updated_at,
        )
        for n, item in enumerate(items)
    ]


def _case(branch_id: int, name: str, created: datetime, status: str = "open") -> YouthCase:
    closed = created + timedelta(days=30) if status == "closed" else None
    return YouthCase(
        branch_id=branch_id,
        full_name=name,
        categories=["poor"],
        status=status,
        closed_at=closed,
        created_at=created,
        updated_at=created,
    )


async def seed_year(harness: Harness) -> None:
    """Districts PH and NK, a year of reports, photos and youth cases (see the module doc)."""
    await harness.import_org(SECOND_ORG)
    async with harness.uow() as uow:
        org = uow.get(OrgRepository)
        ids = {}
        for code in PLANS:
            branch = await org.branch_by_code(code)
            assert branch is not None, code
            ids[code] = branch.id
        for code, plan in PLANS.items():
            for month in range(1, 13):
                report = _report(ids[code], plan, month)
                if report is None:
                    continue
                uow.session.add(report)
                await uow.flush()
                if report.status == "submitted":
                    uow.session.add_all(_photos(report, plan, month))
        helped = [
            _case(ids["PH-TL-01"], YOUTH_NAMES[0], local(2025, 12, 1, 9, 0)),
            _case(ids["PH-TL-01"], YOUTH_NAMES[1], local(2025, 12, 2, 9, 0)),
        ]
        untouched = _case(ids["PH-THPT-11A2"], YOUTH_NAMES[2], local(2025, 6, 1, 9, 0))
        closed_before = _case(ids["PH-TL-02"], "Đặng Văn Lâm", local(2025, 3, 1, 9, 0), "closed")
        uow.session.add_all([*helped, untouched, closed_before])
        await uow.flush()
        for case, month in zip(helped, (3, 7), strict=True):
            uow.session.add(
                YouthCaseEvent(
                    case_id=case.id,
                    kind="help_given",
                    detail={"what": "Học bổng", "on": f"{YEAR}-{month:02d}-05"},
                    at=local(YEAR, month, 5, 9, 0),
                )
            )
