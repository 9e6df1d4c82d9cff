"""The trust corpus as data: bad monthly reports a district must see, and valid-but-unusual ones
it must not be bothered with, each on a branch with months of history.

Built from the domain (docs/domain.md), not from the checks: the kinds of error the field
complains of — impossible figures, ×10/×100 and swapped-digit typos, breaks from month to month,
missed months, reused, recompressed, old and damaged photos, copy-paste — and the months that are
unusual but true — a 3-member branch, a 400-member school branch, nobody admitted, no meeting, a
graduating class. Answers are typed the way secretaries type them on a phone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.support.trust_profiles import CLASS, HAMLET, SCHOOL, SMALL, WARD, Profile


@dataclass(frozen=True)
class Photo:
    """A photo of the case: `sent` is what the secretary sends at the photo step (fresh, exact,
    recompressed, old_exif, truncated, not_image, recent_exif); `prior` where the same picture
    was used before (own: the branch's last month, own3: three months ago, peer: another
    branch of the district this month, peer_last: that branch last month), or None."""

    sent: str
    seed: int
    prior: str | None = None


@dataclass(frozen=True)
class Case:
    """One report: bad (the district must see it) or valid (it must go through quietly)."""

    name: str
    bad: bool
    profile: Profile
    typed: dict[str, str] = field(default_factory=dict)  # overrides of the profile's month
    history: int = 6  # sent months before this one (0: the branch's first report)
    missed: int = 0  # months without a report just before this one
    last_members: int | None = None  # members in the last sent report (default: the profile's)
    last_answers: dict[str, Any] = field(default_factory=dict)  # overrides of the last report
    peers: int = 0  # other branches of the district that reported this month
    peer_text: str | None = None  # "same": one of them typed the same free text
    copy_previous: bool = False  # type the last report again, word for word
    photos: tuple[Photo, ...] = ()
    reason: str = "Có bạn đi làm ăn xa về lại sinh hoạt"


def bad(name: str, profile: Profile, **kw: Any) -> Case:
    return Case(name, True, profile, **kw)


def valid(name: str, profile: Profile, **kw: Any) -> Case:
    return Case(name, False, profile, **kw)


H, S, C, W = HAMLET, SMALL, SCHOOL, WARD

BAD: list[Case] = [
    # -- impossible figures ----------------------------------------------------------------
    bad("attendance above members", H, typed={"meeting_attendance": "45"}),
    bad("attendance typed ×10", H, typed={"meeting_attendance": "220"}),
    bad("attendance ×10 in a 3-member branch", S, typed={"meeting_attendance": "30"}),
    bad("attendance ×10 in a school branch", C, typed={"meeting_attendance": "3500"}),
    bad("attendance digits swapped", W, typed={"meeting_attendance": "84"}),
    bad("attendance 25 typed 52", H, typed={"meeting_attendance": "52"}),
    bad("party introductions above members", S, typed={"party_introduced": "5"}),
    bad("party introductions ×100", H, typed={"party_introduced": "100"}),
    bad(
        "first report admits more than it holds",
        S,
        history=0,
        typed={"admitted": "5", "meeting_attendance": "3"},
    ),
    bad("first report: transfers in above members", H, history=0, typed={"transferred_in": "40"}),
    bad("meeting date of last month", H, typed={"meeting_date": "15/10"}),
    bad("meeting date still to come", H, typed={"meeting_date": "28/11"}),
    bad("three projects, two lines", H, typed={"projects_count": "3"}),
    # -- ×10 / ×100 typos ------------------------------------------------------------------
    bad("admitted ×10", H, typed={"admitted": "10"}),
    bad("1+1 ×10", H, typed={"one_plus_one": "50"}),
    bad("1+1 ×100", H, typed={"one_plus_one": "500"}),
    bad("start-up money ×10", H, typed={"support_startup_vnd": "20 triệu"}),
    bad("start-up money ×100", H, typed={"support_startup_vnd": "200tr"}),
    bad("poverty models ×10", H, typed={"support_poverty_models": "10"}),
    bad("charity houses ×10", W, typed={"support_charity_houses": "10"}),
    bad("1+1 ×10 in a ward", W, typed={"one_plus_one": "110"}),
    bad("start-up money ×10 in a ward", W, typed={"support_startup_vnd": "80 triệu"}),
    bad("start-up money ×100 in a ward", W, typed={"support_startup_vnd": "800 triệu"}),
    bad("school admitted ×10", C, typed={"admitted": "120", "members_total": "520"}),
    bad("school 1+1 ×10", C, typed={"one_plus_one": "480"}),
    bad("school party introductions ×10", C, typed={"party_introduced": "20"}),
    bad("members ×10", H, typed={"members_total": "310"}),
    bad("school members ÷10", C, typed={"members_total": "41"}),
    bad("ward poverty models ×10", W, typed={"support_poverty_models": "10"}),
    bad("small branch 1+1 ×10", S, typed={"one_plus_one": "10"}),
    bad("ward projects ×10", W, typed={"projects_count": "20"}),
    # -- swapped digits --------------------------------------------------------------------
    bad("members 31 typed 13", H, typed={"members_total": "13"}),
    bad("members 62 typed 26", W, typed={"members_total": "26"}),
    bad("members 412 typed 421", C, typed={"members_total": "421"}),
    bad("school 1+1 48 typed 84", C, typed={"one_plus_one": "84"}),
    bad("ward start-up 12 typed 21 million", W, typed={"support_startup_vnd": "21 triệu"}),
    bad("hamlet 1+1 5 typed 50 (dropped digit)", H, typed={"one_plus_one": "55"}),
    # -- breaks from month to month ----------------------------------------------------------
    bad("members jump without admissions", H, typed={"members_total": "45"}),
    bad("ward members drop without transfers", W, typed={"members_total": "40"}),
    bad("school members jump by a class", C, typed={"members_total": "520"}),
    bad(
        "ward projects jump to nine",
        W,
        typed={
            "projects_count": "9",
            "projects": "Hẻm sạch; Cây xanh; Đèn đường; Tủ sách; Khám bệnh; Phát quà; "
            "Sơn tường; Vẽ tranh; Chợ 0 đồng",
        },
    ),
    bad("school charity houses jump", C, typed={"support_charity_houses": "3"}),
    bad("hamlet party introductions jump", H, typed={"party_introduced": "4"}),
    bad("small branch start-up money from nothing", S, typed={"support_startup_vnd": "50 triệu"}),
    # -- missed months -----------------------------------------------------------------------
    bad("two months missed, members moved", H, missed=2, typed={"members_total": "38"}),
    bad("one month missed, ward grew", W, missed=1, typed={"members_total": "75"}),
    bad("two months missed, school shrank", C, missed=2, typed={"members_total": "250"}),
    bad("one month missed, 1+1 ×10", H, missed=1, typed={"one_plus_one": "60"}),
    # -- photos ------------------------------------------------------------------------------
    bad("last month's photo again", H, photos=(Photo("exact", 101, "own"),)),
    bad("a photo from three months ago", W, photos=(Photo("exact", 102, "own3"),)),
    bad("last month's photo recompressed", H, photos=(Photo("recompressed", 103, "own"),)),
    bad("another branch's photo recompressed", W, photos=(Photo("recompressed", 104, "peer"),)),
    bad("another branch's photo as is", C, photos=(Photo("exact", 105, "peer"),)),
    bad("another branch's last month photo", H, photos=(Photo("recompressed", 106, "peer_last"),)),
    bad("a photo taken in August", H, photos=(Photo("old_exif", 107),)),
    bad("a photo taken last year", W, photos=(Photo("old_exif", 108),)),
    bad("a truncated photo", H, photos=(Photo("truncated", 109),)),
    bad("a file that is not a photo", S, photos=(Photo("not_image", 110),)),
    # -- copy-paste --------------------------------------------------------------------------
    bad("last month's report typed again", H, copy_previous=True),
    bad("last month's ward report typed again", W, copy_previous=True),
    bad("another branch's text this month", H, peers=1, peer_text="same"),
    bad("another branch's text without diacritics", W, peers=1, peer_text="plain"),
    # -- against the district's month --------------------------------------------------------
    bad(
        "first report: 1+1 far above the district",
        H,
        history=0,
        peers=10,
        typed={"one_plus_one": "50"},
    ),
    bad(
        "first report: start-up money far above the district",
        H,
        history=0,
        peers=10,
        typed={"support_startup_vnd": "150 triệu"},
    ),
    bad(
        "first report: party introductions far above the district",
        H,
        history=0,
        peers=10,
        typed={"party_introduced": "8"},
    ),
]

VALID: list[Case] = [
    valid("3-member branch, an ordinary month", S),
    valid("3-member branch, no meeting", S, typed={"meeting_held": "không"}),
    valid("400-member school branch, an ordinary month", C),
    valid(
        "school branch, start of the year",
        C,
        typed={"admitted": "25", "members_total": "425", "one_plus_one": "70"},
    ),
    valid(
        "nobody admitted, a quiet month",
        H,
        typed={
            "admitted": "0",
            "members_total": "30",
            "one_plus_one": "0",
            "projects_count": "0",
            "volunteer_activities": "không",
            "support_poverty_models": "0",
            "support_startup_vnd": "0",
        },
    ),
    valid("no meeting this month", H, typed={"meeting_held": "chưa"}),
    valid(
        "graduation month: farewell meeting, then the class leaves",
        CLASS,
        typed={
            "members_total": "5",
            "transferred_out": "30",
            "meeting_attendance": "30",
            "party_introduced": "1",
        },
    ),
    valid(
        "the month after graduation",
        CLASS,
        last_members=5,
        typed={"members_total": "5", "meeting_attendance": "4", "one_plus_one": "1"},
    ),
    valid("three admitted, balance holds", H, typed={"admitted": "3", "members_total": "33"}),
    valid(
        "transfers both ways",
        H,
        typed={"transferred_in": "2", "transferred_out": "3", "members_total": "30"},
    ),
    valid(
        "ward campaign month",
        W,
        typed={
            "projects_count": "4",
            "projects": "Hẻm sạch; Cây xanh; Đèn đường; Tủ sách",
            "one_plus_one": "20",
        },
    ),
    valid("first report of a new branch", H, history=0),
    valid("one month missed, members unchanged", H, missed=1),
    valid("a one-off start-up loan", H, typed={"support_startup_vnd": "10 triệu"}),
    valid("3-member branch introduces one member", S, typed={"party_introduced": "1"}),
    valid("school branch, exam month", C, typed={"meeting_attendance": "150"}),
    valid(
        "typed the colloquial way",
        H,
        typed={
            "admitted": "1 bạn",
            "transferred_in": "ko",
            "transferred_out": "không có",
            "meeting_held": "co hop",
            "meeting_attendance": "22 ban",
            "support_startup_vnd": "1tr5",
        },
    ),
    valid("ward builds a charity house", W, typed={"support_charity_houses": "1"}),
    valid("new photos", H, photos=(Photo("fresh", 201), Photo("fresh", 202))),
    valid("photo taken this month", W, photos=(Photo("recent_exif", 203),)),
    valid("short answers like another branch's", S, peers=1, peer_text="short"),
    valid("rates like the district's", W, peers=10),
    valid(
        "quiet 3-member branch, same figures and short words as last month",
        S,
        copy_previous=True,
        last_answers={"mood": "Ổn định", "difficulties": "Không", "projects": ["Họp"]},
    ),
    valid("school branch among its district", C, peers=10),
]
