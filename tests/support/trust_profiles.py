"""The branches of the trust corpus: each one's size and six ordinary months (latest first), and
an ordinary November as its secretary types it (members balancing the last month)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    """A branch's ordinary months: its size, and six months of figures (latest first)."""

    members: int
    admitted: tuple[int, ...]
    one_plus_one: tuple[int, ...]
    projects: tuple[int, ...]
    party: tuple[int, ...]
    poverty: tuple[int, ...]
    charity: tuple[int, ...]
    startup: tuple[int, ...]
    attendance: float  # share of members at the monthly meeting
    typed: dict[str, str]  # an ordinary month of this branch, as typed (members balance)


HAMLET = Profile(
    30,
    (1, 0, 2, 0, 1, 1),
    (4, 5, 3, 6, 4, 5),
    (2, 1, 2, 2, 1, 2),
    (0, 0, 1, 0, 0, 0),
    (1, 0, 1, 1, 0, 1),
    (0, 0, 0, 0, 0, 0),
    (0, 5_000_000, 0, 3_000_000, 0, 2_000_000),
    0.7,
    {
        "members_total": "31",
        "admitted": "1",
        "transferred_in": "0",
        "transferred_out": "0",
        "meeting_held": "có",
        "meeting_date": "15/11",
        "meeting_attendance": "22 người",
        "one_plus_one": "5",
        "projects_count": "2",
        "projects": "Dọn vệ sinh kênh thủy lợi; Trồng 50 cây sao dọc đường ấp",
        "volunteer_activities": "1, 2",
        "party_introduced": "0",
        "support_poverty_models": "1",
        "support_charity_houses": "0",
        "support_startup_vnd": "2 triệu",
    },
)
SMALL = Profile(
    3,
    (0, 0, 0, 0, 0, 0),
    (0, 1, 0, 1, 0, 0),
    (1, 0, 1, 1, 0, 1),
    (0, 0, 0, 0, 0, 0),
    (0, 0, 0, 0, 0, 0),
    (0, 0, 0, 0, 0, 0),
    (0, 0, 0, 0, 0, 0),
    1.0,
    {
        "members_total": "3",
        "admitted": "0",
        "transferred_in": "0",
        "transferred_out": "0",
        "meeting_held": "co",
        "meeting_date": "hôm qua",
        "meeting_attendance": "3",
        "one_plus_one": "0",
        "projects_count": "1",
        "projects": "Quét dọn nhà văn hóa ấp",
        "volunteer_activities": "1",
        "party_introduced": "0",
        "support_poverty_models": "0",
        "support_charity_houses": "0",
        "support_startup_vnd": "0",
    },
)
SCHOOL = Profile(
    400,
    (12, 8, 15, 10, 9, 14),
    (40, 55, 38, 60, 45, 50),
    (3, 4, 3, 5, 4, 3),
    (2, 1, 3, 2, 2, 1),
    (0, 0, 0, 0, 0, 0),
    (0, 0, 1, 0, 0, 0),
    (0, 0, 0, 0, 0, 0),
    0.85,
    {
        "members_total": "412",
        "admitted": "12",
        "transferred_in": "0",
        "transferred_out": "0",
        "meeting_held": "có",
        "meeting_date": "16/11",
        "meeting_attendance": "350",
        "one_plus_one": "48",
        "projects_count": "3",
        "projects": "Tiếp sức mùa thi; Thư viện xanh; Hội trại 20/11",
        "volunteer_activities": "1, 3",
        "party_introduced": "2",
        "support_poverty_models": "0",
        "support_charity_houses": "0",
        "support_startup_vnd": "0",
    },
)
WARD = Profile(
    60,
    (2, 3, 1, 2, 4, 2),
    (10, 12, 9, 14, 11, 10),
    (2, 3, 2, 3, 2, 2),
    (1, 0, 1, 0, 1, 0),
    (1, 2, 1, 1, 2, 1),
    (0, 1, 0, 0, 1, 0),
    (10_000_000, 5_000_000, 8_000_000, 0, 12_000_000, 6_000_000),
    0.6,
    {
        "members_total": "62",
        "admitted": "2",
        "transferred_in": "0",
        "transferred_out": "0",
        "meeting_held": "có",
        "meeting_date": "14/11",
        "meeting_attendance": "40",
        "one_plus_one": "11",
        "projects_count": "2",
        "projects": "Tuyến hẻm văn minh; Tuyên truyền an toàn giao thông",
        "volunteer_activities": "1, 3",
        "party_introduced": "1",
        "support_poverty_models": "1",
        "support_charity_houses": "0",
        "support_startup_vnd": "8 triệu",
    },
)
CLASS = Profile(
    35,
    (0, 0, 1, 0, 0, 0),
    (3, 4, 2, 5, 3, 4),
    (1, 1, 2, 1, 1, 1),
    (0, 1, 0, 0, 1, 0),
    (0, 0, 0, 0, 0, 0),
    (0, 0, 0, 0, 0, 0),
    (0, 0, 0, 0, 0, 0),
    0.9,
    {
        "members_total": "35",
        "admitted": "0",
        "transferred_in": "0",
        "transferred_out": "0",
        "meeting_held": "có",
        "meeting_date": "12/11",
        "meeting_attendance": "32",
        "one_plus_one": "3",
        "projects_count": "1",
        "projects": "Tiếp sức mùa thi",
        "volunteer_activities": "1",
        "party_introduced": "0",
        "support_poverty_models": "0",
        "support_charity_houses": "0",
        "support_startup_vnd": "0",
    },
)
