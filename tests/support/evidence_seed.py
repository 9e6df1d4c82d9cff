"""Reports whose photos are real files in the media store, under the items they prove."""

from __future__ import annotations

from collections.abc import Sequence

from bot.app.assembly import media_store
from storage.models import Evidence, MonthlyReport
from storage.repositories.org import OrgRepository
from tests.support.harness import Harness, local
from tests.support.ops_seed import answers
from tests.support.report_check import jpeg_photo

PERIOD = "2026-11"


async def report_with_photos(
    harness: Harness,
    items: Sequence[str | None],
    *,
    code: str = "PH-TL-01",
    period: str = PERIOD,
    status: str = "submitted",
    first_seed: int = 1,
) -> MonthlyReport:
    """A report (a meeting held, two projects: "Công trình 1", "Công trình 2") with one real
    JPEG per entry of `items` ("meeting", "activity:2", None for the whole report), each kept
    by the media store as a secretary's photo would be."""
    store = media_store(harness.settings)
    async with harness.uow() as uow:
        branch = await uow.get(OrgRepository).branch_by_code(code)
        assert branch is not None
        submitted = local(2026, 11, 20, 10, 0)
        report = MonthlyReport(
            branch_id=branch.id,
            period=period,
            status=status,
            submitted_at=submitted if status != "draft" else None,
            answers=answers(30, 2, True, 3, 2, 1),
            flags=[],
            created_at=submitted,
            updated_at=submitted,
        )
        uow.session.add(report)
        await uow.flush()
        for n, item in enumerate(items):
            kept = store.save(jpeg_photo(first_seed + n))
            uow.session.add(
                Evidence(
                    report_id=report.id,
                    sha256=kept.sha256,
                    size=kept.size,
                    mime=kept.mime,
                    width=kept.width,
                    height=kept.height,
                    caption=f"ảnh {n + 1}",
                    item=item,
                    created_at=local(2026, 11, 19, 8, n % 60),
                )
            )
        return report


def kept_bytes(harness: Harness, evidence: Evidence) -> bytes:
    """The file the media store keeps for a photo."""
    return media_store(harness.settings).read(evidence.sha256, evidence.mime)
