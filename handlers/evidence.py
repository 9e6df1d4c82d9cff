"""Photo evidence (ảnh minh chứng): checking and attaching photos to a monthly report."""

from __future__ import annotations

from bot.engine.context import Context
from bot.engine.types import Photo
from bot.media import ImageRejected, MediaStore
from storage.models import Evidence, MonthlyReport
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
    store = ctx.service(MediaStore)
    max_mb = ctx.settings.media.max_photo_mb
    if photo.problem == "too_large":
        ctx.say("evidence.too_large", mb=f"{max_mb:g}")
        return False
    if photo.data is None:
        ctx.say("evidence.unreachable")
        return False
    try:
        image = store.save(photo.data)
    except ImageRejected as exc:
        ctx.say(f"evidence.rejected_{exc.reason}", mb=f"{max_mb:g}")
        return False
    existing = await ctx.repo(ReportRepository).evidence(report.id)
    if any(e.sha256 == image.sha256 for e in existing):
        ctx.say("evidence.duplicate")
        return False
    ctx.uow.session.add(
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
    await ctx.uow.flush()
    ctx.say("evidence.saved", count=len(existing) + 1)
    return True
