"""Doubts about a photo the district should see (never a refusal): a reused picture, an old one.

`check_photo` is the one entry point: whoever takes a photo into a report (the chat flows today,
a domain service or a backfill later) calls it once the evidence row exists. It records the
photo's fingerprint on the row and one `PhotoFlag` per doubt:

- reused: the same picture (the same file, or recompressed, resized, lightly cropped or framed)
  is already in another report, of any branch and any month; the flag points at its first use;
- taken long before: the camera date is more than `media.old_photo_days` days before the
  report's month starts.

The secretary is not told: a picture shared by two branches of one activity, or used again on
purpose, is legitimate, and only the district can judge it when it reviews the report.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.config import Settings
from bot.media import StoredImage
from bot.media_fingerprint import Fingerprint, distance, is_near, to_signed, to_unsigned
from bot.periods import period_start
from bot.photo_index import NearDuplicateIndex
from storage.models import Evidence, MonthlyReport, PhotoDoubt, PhotoFlag, PhotoMatch
from storage.repositories.evidence import EvidenceRepository
from storage.repositories.photo_fingerprints import EarlierUse, PhotoFingerprints
from storage.uow import UnitOfWork


async def check_photo(
    uow: UnitOfWork,
    evidence: Evidence,
    image: StoredImage,
    report: MonthlyReport,
    *,
    index: NearDuplicateIndex,
    settings: Settings,
) -> list[PhotoFlag]:
    """Fingerprint a newly attached photo and record every doubt about it."""
    prints = image.fingerprint or Fingerprint(None, None)
    flags: list[PhotoFlag] = []
    first = await first_use(uow, image.sha256, prints, report.id, index)
    if first is not None:
        flags.append(_reused(evidence, image, prints, first))
    days = settings.media.old_photo_days
    if prints.taken_at is not None and prints.taken_at < _too_old(report, days, settings):
        flags.append(
            PhotoFlag(
                evidence_id=evidence.id,
                code=PhotoDoubt.TAKEN_LONG_BEFORE,
                taken_at=prints.taken_at,
                created_at=evidence.created_at,
            )
        )
    # Recorded after the lookup, so it never finds the photo itself.
    if prints.phash is not None and prints.dhash is not None:
        evidence.phash, evidence.dhash = to_signed(prints.phash), to_signed(prints.dhash)
    evidence.taken_at = prints.taken_at
    await uow.get(PhotoFingerprints).add_flags(flags)
    return flags


async def first_use(
    uow: UnitOfWork,
    sha256: str,
    prints: Fingerprint,
    report_id: int,
    index: NearDuplicateIndex,
    *,
    excluding: int | None = None,
) -> EarlierUse | None:
    """The earliest photo in another report showing the same picture, if any (never the photo
    `excluding`, one being removed)."""
    repo = uow.get(PhotoFingerprints)
    uses = await repo.same_content(sha256, outside_report=report_id)
    if prints.phash is not None and prints.dhash is not None:
        ids = await index.candidates(prints.phash, prints.dhash)
        # The index proposes; the database's own rows decide.
        uses += [u for u in await repo.photos(ids, outside_report=report_id) if _near(u, prints)]
    uses = [u for u in uses if u.evidence_id != excluding]
    return min(uses, key=lambda u: (u.created_at, u.evidence_id), default=None)


async def forget_first_use(
    uow: UnitOfWork, removed: Evidence, index: NearDuplicateIndex, flags: list[PhotoFlag]
) -> None:
    """Photos flagged as reusing `removed` point at the earliest other use of their picture
    instead (the match and distance measured again), or lose the flag when no use is left that
    came before them."""
    repo = uow.get(EvidenceRepository)
    for flag in flags:
        photo = await repo.by_id(flag.evidence_id)
        if photo is None:
            continue
        prints = Fingerprint(
            to_unsigned(photo.phash) if photo.phash is not None else None,
            to_unsigned(photo.dhash) if photo.dhash is not None else None,
        )
        first = await first_use(
            uow, photo.sha256, prints, photo.report_id, index, excluding=removed.id
        )
        if first is None or (first.created_at, first.evidence_id) > (photo.created_at, photo.id):
            await repo.drop_flag(flag)  # no earlier use is left: the photo is a first use now
            continue
        flag.origin_id = first.evidence_id
        flag.match = PhotoMatch.EXACT if first.sha256 == photo.sha256 else PhotoMatch.SIMILAR
        flag.distance = 0
        if flag.match == PhotoMatch.SIMILAR and first.phash is not None and prints.phash:
            flag.distance = distance(to_unsigned(first.phash), prints.phash)


def _near(use: EarlierUse, prints: Fingerprint) -> bool:
    if use.phash is None or use.dhash is None:
        return False
    stored = Fingerprint(to_unsigned(use.phash), to_unsigned(use.dhash))
    return is_near(stored, prints)


def _reused(
    evidence: Evidence, image: StoredImage, prints: Fingerprint, first: EarlierUse
) -> PhotoFlag:
    exact = first.sha256 == image.sha256
    bits = 0
    if not exact and first.phash is not None and prints.phash is not None:
        bits = distance(to_unsigned(first.phash), prints.phash)
    return PhotoFlag(
        evidence_id=evidence.id,
        code=PhotoDoubt.REUSED,
        match=PhotoMatch.EXACT if exact else PhotoMatch.SIMILAR,
        origin_id=first.evidence_id,
        distance=bits,
        created_at=evidence.created_at,
    )


def _too_old(report: MonthlyReport, days: int, settings: Settings) -> datetime:
    """Camera dates before this moment are "long before" the report's month."""
    return period_start(report.period, settings.bot.timezone) - timedelta(days=days)
