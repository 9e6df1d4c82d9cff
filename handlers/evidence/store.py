"""Taking a photo into a report (nhận ảnh minh chứng): checked, stored once, fingerprinted.

The one place a chat photo becomes an Evidence row, whichever flow received it (the report's
photo step, /minhchung, a photo sent at any time); the chat is told how it went.
"""

from __future__ import annotations

from bot.engine.context import Context
from bot.engine.types import Photo
from bot.media import MAX_PIXELS, ImageRejected, MediaStore, StoredImage, accepted_formats
from bot.photo_index import NearDuplicateIndex
from handlers.evidence.checks import check_photo
from handlers.i18n import fmt
from handlers.reports.lifecycle import editable, lock_reason
from storage.models import Evidence, MonthlyReport
from storage.repositories.evidence import EvidenceRepository
from storage.repositories.reports import ReportRepository


async def attach_photo(
    ctx: Context,
    report: MonthlyReport,
    photo: Photo,
    *,
    caption: str | None = None,
    item: str | None = None,
) -> bool:
    """Store the photo and attach it to `report` (and `item`); tells the user how it went."""
    return await store_photo(ctx, report, photo, caption=caption, item=item) is not None


async def store_photo(
    ctx: Context,
    report: MonthlyReport,
    photo: Photo,
    *,
    caption: str | None = None,
    item: str | None = None,
) -> Evidence | None:
    """As `attach_photo`, returning the new evidence row (None when refused or a duplicate)."""
    if refuse_locked(ctx, report):
        return None
    image = checked_image(ctx, photo)
    if image is None:
        return None
    existing = await ctx.repo(ReportRepository).evidence(report.id)
    if any(e.sha256 == image.sha256 for e in existing):
        ctx.say("evidence.duplicate")
        return None
    evidence = await ctx.repo(EvidenceRepository).add(
        Evidence(
            report_id=report.id,
            sha256=image.sha256,
            size=image.size,
            mime=image.mime,
            width=image.width,
            height=image.height,
            caption=(caption or "").strip() or None,
            item=item,
            by_id=ctx.person.id if ctx.person else None,
            created_at=ctx.now,
        )
    )
    index = ctx.service(NearDuplicateIndex)
    await check_photo(ctx.uow, evidence, image, report, index=index, settings=ctx.settings)
    ctx.say(fmt(ctx).plural_key("evidence.saved", len(existing) + 1), count=len(existing) + 1)
    return evidence


def checked_image(ctx: Context, photo: Photo) -> StoredImage | None:
    """The photo checked by its content and kept by SHA-256; None (and why) when refused."""
    if photo.data is None:
        problem = "too_large" if photo.problem == "too_large" else "unreachable"
        ctx.say(f"evidence.{problem}", mb=f"{ctx.settings.media.max_photo_mb:g}")
        return None
    try:
        return ctx.service(MediaStore).save(photo.data)
    except ImageRejected as exc:
        refuse(ctx, exc.reason)
        return None


def refuse_locked(ctx: Context, report: MonthlyReport) -> bool:
    """Refuse photos for a locked report (approved, or past its deadline and not reopened or
    returned): they would change what the district already holds. True when refused."""
    if editable(report, ctx.now, ctx.settings):
        return False
    reason, limit = lock_reason(report, ctx.now, ctx.settings)
    ctx.say(f"evidence.{reason}", deadline=fmt(ctx).moment(limit))
    return True


def refuse(ctx: Context, reason: str) -> None:
    """Say why a file was not kept, naming the limits and the formats we take."""
    ctx.say(
        f"evidence.rejected_{reason}",
        mb=f"{ctx.settings.media.max_photo_mb:g}",
        formats=accepted_formats(),
        megapixels=MAX_PIXELS // 1_000_000,
    )
