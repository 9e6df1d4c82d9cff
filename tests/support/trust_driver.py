"""Running the trust corpus through the engine: each case on its own branch, in its own district,
with its history seeded as sent reports, its report typed question by question and sent.

What counts: refused (an answer or a photo not taken, or the send refused), warned (a member
count questioned, a note said while answering, doubts shown before sending) and flagged (the
sent report, or one of its photos, carries a flag the district sees).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import func, select

from bot.app.assembly import media_store
from bot.engine.textnorm import fold
from bot.media_fingerprint import to_signed
from bot.periods import shift
from storage.models import Evidence, MonthlyReport, PhotoFlag, ReportStatus
from storage.repositories.org import OrgRepository
from tests.support import photo_corpus as pictures
from tests.support.harness import Chat, Harness, local
from tests.support.report_script import step
from tests.support.trust_corpus import Case, Photo
from tests.support.trust_profiles import Profile

PERIOD = "2026-11"
NOW = local(2026, 11, 20, 10, 0)
ORG_HEADER = "Mã huyện đoàn,Tên huyện đoàn,Mã đoàn cơ sở,Tên đoàn cơ sở,Mã chi đoàn,Tên chi đoàn"


@dataclass
class Outcome:
    """What happened to one case."""

    case: Case
    refused: bool = False
    warned: bool = False
    flagged: bool = False
    sent: bool = False

    @property
    def seen(self) -> bool:
        """The district or the secretary was told something is off."""
        return self.refused or self.warned or self.flagged


def branch_code(n: int, k: int = 1) -> str:
    return f"K{n:02d}-X-{k:02d}"


def org_file(cases: list[Case], folder: Path) -> Path:
    """One district per case (its branch, and the other branches it needs), so no case sees
    another's reports. Branch names repeat across districts, as they do in the field."""
    lines = [ORG_HEADER]
    for n, case in enumerate(cases, start=1):
        others = max(
            case.peers, 1 if any(p.prior in ("peer", "peer_last") for p in case.photos) else 0
        )
        for k in range(1, others + 2):
            lines.append(
                f"K{n:02d},Huyện đoàn thử {n},K{n:02d}-X,Đoàn xã thử {n},"
                f"{branch_code(n, k)},Chi đoàn khu vực {k}"
            )
    path = folder / "trust-org.csv"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def month_answers(profile: Profile, i: int, period: str, members: int, n: int) -> dict[str, Any]:
    """An ordinary sent month `i` months back (0: the last one) of this branch."""
    projects = profile.projects[i]
    return {
        "members_total": members,
        "admitted": profile.admitted[i],
        "transferred_in": 0,
        "transferred_out": 0,
        "meeting_held": True,
        "meeting_date": f"{period}-15",
        "meeting_attendance": max(1, round(members * profile.attendance)),
        "one_plus_one": profile.one_plus_one[i],
        "projects_count": projects,
        "projects": [f"Công trình {k + 1} tháng {period}" for k in range(projects)],
        "volunteer_activities": ["volunteer"] if projects else [],
        "party_introduced": profile.party[i],
        "support_poverty_models": profile.poverty[i],
        "support_charity_houses": profile.charity[i],
        "support_startup_vnd": profile.startup[i],
        "mood": f"Tháng {period}: đoàn viên chi đoàn số {n} yên tâm, tích cực",
        "difficulties": f"Kinh phí tháng {period} của chi đoàn số {n} còn hạn hẹp",
    }


def history(case: Case, n: int) -> list[tuple[str, dict[str, Any]]]:
    """The case's sent months, latest first."""
    months = []
    for i in range(case.history):
        period = shift(PERIOD, -(1 + case.missed + i))
        members = case.profile.members
        if i == 0 and case.last_members is not None:
            members = case.last_members
        answers = month_answers(case.profile, i, period, members, n)
        if i == 0:
            answers.update(case.last_answers)
            if case.copy_previous:
                answers.update(admitted=0, transferred_in=0, transferred_out=0)
        months.append((period, answers))
    return months


def typed(case: Case, n: int, last: dict[str, Any] | None) -> dict[str, str]:
    """What the secretary types for each question."""
    answers = {
        **case.profile.typed,
        "mood": f"Đoàn viên chi đoàn số {n} phấn khởi, tích cực tham gia phong trào tháng 11",
        "difficulties": f"Kinh phí hoạt động tháng 11 của chi đoàn số {n} còn ít",
        "photos": "xong",
        **case.typed,
    }
    if case.copy_previous and last is not None:
        for key, value in last.items():
            if key == "meeting_date":
                continue
            if isinstance(value, bool):
                answers[key] = "có" if value else "không"
            elif isinstance(value, list) and key == "volunteer_activities":
                answers[key] = "1" if value else "không"
            elif isinstance(value, list):
                answers[key] = "; ".join(value)
            elif value is not None:
                answers[key] = str(value)
    return answers


def peer_answers(case: Case, n: int, k: int, mine: dict[str, str]) -> dict[str, Any]:
    """Another branch's ordinary report this month (its text the same as this case's when the
    case is about copied text)."""
    members = 24 + 3 * k
    answers = month_answers(case.profile, 0, PERIOD, members, 1000 * n + k)
    answers.update(
        one_plus_one=round(members * (0.1 + 0.02 * (k % 5))),
        party_introduced=k % 2,
        support_charity_houses=0,
        support_startup_vnd=(k % 3) * 2_000_000,
        support_poverty_models=k % 2,
    )
    lines = [p.strip() for p in mine["projects"].split(";")]
    if case.peer_text == "same" and k == 2:
        answers.update(mood=mine["mood"], difficulties=mine["difficulties"], projects=lines)
        answers.update(projects_count=len(lines))
    elif case.peer_text == "plain" and k == 2:
        loud = [fold(line).upper() for line in lines]
        answers.update(mood=fold(mine["mood"]) + " !", difficulties=fold(mine["difficulties"]))
        answers.update(projects=loud, projects_count=len(loud))
    elif case.peer_text == "short" and k == 2:
        answers.update(mood=mine["mood"], difficulties=mine["difficulties"])
    return answers


async def seed(harness: Harness, case: Case, n: int, mine: dict[str, str]) -> None:
    """The case's history, its district's other reports and the photos used before."""
    store = media_store(harness.settings)
    async with harness.uow() as uow:
        org = uow.get(OrgRepository)
        own = await org.branch_by_code(branch_code(n))
        assert own is not None
        reports: dict[str, MonthlyReport] = {}
        for period, answers in history(case, n):
            reports[period] = _sent(own.id, period, answers)
        others = max(
            case.peers, 1 if any(p.prior in ("peer", "peer_last") for p in case.photos) else 0
        )
        peer_reports: dict[str, MonthlyReport] = {}
        for k in range(2, others + 2):
            peer = await org.branch_by_code(branch_code(n, k))
            assert peer is not None
            answers = peer_answers(case, n, k, mine)
            if k - 2 < case.peers:
                peer_reports[PERIOD] = _sent(peer.id, PERIOD, answers)
                uow.session.add(peer_reports[PERIOD])
            if k == 2 and any(p.prior == "peer_last" for p in case.photos):
                last = shift(PERIOD, -1)
                peer_reports[last] = _sent(peer.id, last, answers | {"meeting_date": f"{last}-15"})
                uow.session.add(peer_reports[last])
            if (
                k == 2
                and any(p.prior == "peer" for p in case.photos)
                and PERIOD not in peer_reports
            ):
                peer_reports[PERIOD] = _sent(peer.id, PERIOD, answers)
                uow.session.add(peer_reports[PERIOD])
        uow.session.add_all(reports.values())
        await uow.flush()
        for photo in case.photos:
            target = _prior_report(photo, reports, peer_reports)
            if target is None:
                continue
            kept = store.save(original(photo.seed))
            prints = kept.fingerprint
            uow.session.add(
                Evidence(
                    report_id=target.id,
                    sha256=kept.sha256,
                    size=kept.size,
                    mime=kept.mime,
                    width=kept.width,
                    height=kept.height,
                    item="meeting",
                    phash=_signed(prints.phash if prints else None),
                    dhash=_signed(prints.dhash if prints else None),
                    created_at=target.submitted_at,
                )
            )


def _signed(value: int | None) -> int | None:
    return to_signed(value) if value is not None else None


def _prior_report(
    photo: Photo, own: dict[str, MonthlyReport], peers: dict[str, MonthlyReport]
) -> MonthlyReport | None:
    periods = sorted(own, reverse=True)
    if photo.prior == "own":
        return own[periods[0]]
    if photo.prior == "own3":
        return own[periods[2]]
    if photo.prior == "peer":
        return peers[PERIOD]
    if photo.prior == "peer_last":
        return peers[shift(PERIOD, -1)]
    return None


def _sent(branch_id: int, period: str, answers: dict[str, Any]) -> MonthlyReport:
    year, month = (int(x) for x in period.split("-"))
    at = local(year, month, 20, 9, 0) if period < PERIOD else local(2026, 11, 18, 9, 0)
    return MonthlyReport(
        branch_id=branch_id,
        period=period,
        status=ReportStatus.SUBMITTED,
        answers=answers,
        flags=[],
        submitted_at=at,
        created_at=at,
        updated_at=at,
    )


def original(seed: int) -> bytes:
    return pictures.jpeg(pictures.photo(seed))


def sent_bytes(photo: Photo) -> bytes:
    """What the secretary sends at the photo step."""
    if photo.sent == "recompressed":
        image = pictures.decode(original(photo.seed))
        return pictures.jpeg(pictures.crop(pictures.long_side(image, 640), 0.05, centred=False), 40)
    if photo.sent in ("old_exif", "recent_exif"):
        exif = Image.Exif()
        taken = "2026:08:01 08:15:00" if photo.sent == "old_exif" else "2026:11:15 08:00:00"
        exif.get_ifd(0x8769)[0x9003] = taken
        return pictures.jpeg(pictures.photo(photo.seed), exif=exif.tobytes())
    if photo.sent == "truncated":
        whole = original(photo.seed)
        return whole[: len(whole) * 2 // 3]
    if photo.sent == "not_image":
        return b"%PDF-1.4\n" + bytes(range(256)) * 8
    return original(photo.seed)


async def run_case(harness: Harness, case: Case, n: int) -> Outcome:
    """Type the case's report through the engine and send it; what the district would see."""
    outcome = Outcome(case)
    own_history = history(case, n)
    mine = typed(case, n, own_history[0][1] if own_history else None)
    await seed(harness, case, n, mine)
    chat = await harness.registered(f"trust{n}", code=branch_code(n))
    await chat.say("/baocao")
    for _ in range(60):
        where = await step(harness, chat)
        if where.startswith("field:"):
            key = where.removeprefix("field:")
            if key == "photos":
                outcome.refused |= not await _send_photos(harness, chat, case, n)
                await chat.press(len(chat.choices))  # Xong
            else:
                await chat.say(mine[key])
                outcome.warned |= chat.said("report.flag_notice")
                if await step(harness, chat) == where and "Xong" in chat.choices:
                    await chat.press("Xong")  # one option typed: it is ticked, then "Xong"
                if await step(harness, chat) == where:
                    outcome.refused = True  # asked again: the answer was not taken
                    break
        elif where == "balance":
            outcome.warned = True
            await chat.press(1)  # "Đúng, ghi lý do"
        elif where == "reason":
            await chat.say(case.reason)
        elif where == "summary":
            outcome.warned |= chat.said("report.doubts_heading")
            await chat.press("Gửi báo cáo")
            outcome.sent = chat.said("report.receipt")
            outcome.refused |= not outcome.sent
            break
        else:
            raise AssertionError(f"{case.name}: unexpected step {where!r}: {chat.text}")
    outcome.flagged = await _flagged(harness, n)
    return outcome


async def _send_photos(harness: Harness, chat: Chat, case: Case, n: int) -> bool:
    """Send the case's photos at the photo step; False when one was not taken."""
    taken = True
    for photo in case.photos:
        before = await _photo_count(harness, n)
        await chat.photo(sent_bytes(photo))
        taken &= await _photo_count(harness, n) > before
    return taken


async def _photo_count(harness: Harness, n: int) -> int:
    async with harness.uow() as uow:
        count = await uow.session.scalar(
            select(func.count(Evidence.id))
            .join(MonthlyReport, MonthlyReport.id == Evidence.report_id)
            .where(MonthlyReport.period == PERIOD, MonthlyReport.branch_id == await _id(uow, n))
        )
        return int(count or 0)


async def _id(uow: Any, n: int) -> int:
    branch = await uow.get(OrgRepository).branch_by_code(branch_code(n))
    assert branch is not None
    return int(branch.id)


async def _flagged(harness: Harness, n: int) -> bool:
    """The case's report carries a flag, or one of its photos does."""
    async with harness.uow() as uow:
        report = await uow.session.scalar(
            select(MonthlyReport).where(
                MonthlyReport.branch_id == await _id(uow, n), MonthlyReport.period == PERIOD
            )
        )
        if report is None or report.submitted_at is None:
            return False
        photo_flags = await uow.session.scalar(
            select(func.count(PhotoFlag.id))
            .join(Evidence, Evidence.id == PhotoFlag.evidence_id)
            .where(Evidence.report_id == report.id)
        )
        return bool(report.flags) or bool(photo_flags)


def figures(outcomes: list[Outcome]) -> tuple[float, int, float]:
    """(share of bad caught, valid blocked, share of valid flagged or warned)."""
    bad = [o for o in outcomes if o.case.bad]
    good = [o for o in outcomes if not o.case.bad]
    caught = sum(o.seen for o in bad) / len(bad)
    blocked = sum(o.refused or not o.sent for o in good)
    noisy = sum(o.warned or o.flagged for o in good) / len(good)
    return caught, blocked, noisy
