"""Showing youth cases (hồ sơ thanh niên khó khăn) and guarding who may read or change them."""

from __future__ import annotations

import logging
from typing import Any

from bot.engine.context import Context
from bot.engine.textnorm import fold
from bot.i18n import LOCALES, day
from handlers.access import is_secretary_of, leads_district_of
from handlers.youth.input import CATEGORIES
from storage.models import YouthCase
from storage.repositories.audit import AuditRepository
from storage.repositories.youth import OPEN, YouthRepository

log = logging.getLogger(__name__)


def category_words(ctx: Context) -> dict[str, list[str]]:
    """Folded words naming each category, in every language we speak (people mix them)."""
    words: dict[str, list[str]] = {}
    for code in CATEGORIES:
        found: list[str] = []
        for lang in LOCALES:
            found.append(fold(ctx.catalog.t(lang, f"youth.category.{code}")))
            synonyms = ctx.catalog.t(lang, f"youth.category_words.{code}")
            found.extend(fold(w) for w in synonyms.split(","))
        words[code] = [w for w in dict.fromkeys(found) if w]
    return words


def categories_menu(ctx: Context) -> str:
    """The numbered list of categories shown with the question."""
    return "\n".join(
        f"{n}. {ctx.t(f'youth.category.{code}')}" for n, code in enumerate(CATEGORIES, 1)
    )


def categories_text(ctx: Context, codes: list[Any]) -> str:
    return "; ".join(ctx.t(f"youth.category.{c}") for c in codes if c in CATEGORIES)


def case_label(ctx: Context, case: YouthCase) -> str:
    """'Nguyễn Văn An (2005)': a list entry; channels number the entries they offer."""
    return ctx.t("youth.case_label", name=case.full_name, year=case.birth_year or "?")


def record_text(ctx: Context, case: YouthCase) -> str:
    """The full record: who, why, what help is needed, what was given, where it stands."""
    given = [
        ctx.t(
            "youth.help_line", day=day(str(e.detail.get("on", ""))), what=e.detail.get("what", "")
        )
        for e in case.events
        if e.kind == "help_given"
    ]
    if case.status == OPEN:
        status = ctx.t("youth.status_open")
    else:
        status = ctx.t("youth.status_closed", reason=ctx.t(f"youth.reason.{case.close_reason}"))
    return ctx.t(
        "youth.record",
        name=case.full_name,
        year=case.birth_year or "?",
        sex=ctx.t(f"youth.sex.{case.sex}") if case.sex else "?",
        area=case.area or "?",
        categories=categories_text(ctx, case.categories),
        situation=case.situation or "—",
        needed=case.help_needed or "—",
        given="\n".join(given) or ctx.t("youth.no_help_yet"),
        status=status,
    )


def audit(ctx: Context, action: str, subject: str, **detail: Any) -> None:
    """Write who did what to which record; ids and codes only, never the personal data."""
    # Operators see the ids in the log; the names stay in the database.
    log.info("audit %s %s by person %s", action, subject, ctx.person.id if ctx.person else "-")
    ctx.repo(AuditRepository).record(
        at=ctx.now,
        person_id=ctx.person.id if ctx.person else None,
        action=action,
        subject=subject,
        detail=detail,
    )


def subject(case: YouthCase) -> str:
    return f"youth_case:{case.id}"


async def secretary_case(ctx: Context, case_id: int, branch_id: int) -> YouthCase | None:
    """The case when it belongs to `branch_id` and this person is that branch's secretary."""
    case = await ctx.repo(YouthRepository).get(case_id)
    if case is None or case.branch_id != branch_id or not is_secretary_of(ctx, branch_id):
        return None
    return case


async def district_case(
    ctx: Context, case_id: int, branch_id: int, *, read: bool = True
) -> YouthCase | None:
    """The case for a leader or admin of its district; when `read` (the record is shown), the
    read is written to the audit log."""
    case = await ctx.repo(YouthRepository).get(case_id)
    if case is None or case.branch_id != branch_id or not leads_district_of(ctx, case.branch):
        return None
    if read:
        audit(ctx, "youth.read", subject(case), branch_id=case.branch_id)
    return case
