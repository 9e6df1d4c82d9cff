"""The digest and the reporting table as short text, readable on a phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import Catalog
from handlers.digest.model import KEY_FIGURES, Digest, ReportingTable
from handlers.digest.numbers import fmt_delta, fmt_int, fmt_pct, fmt_period, plural_key

Translate = Callable[..., str]


def translator(catalog: Catalog, locale: str) -> Translate:
    """`t(key, **values)` in one language."""

    def t(key: str, /, **values: Any) -> str:
        """A message in the chosen language."""
        return catalog.t(locale, key, **values)

    return t


#: Branch names listed per unit in chat; the full lists are in the /xuat workbook.
DIGEST_NAMES_PER_UNIT = 8
#: Branch names in one chat reply in all, so a 600-branch district still fits a phone screen.
NAMES_BUDGET = 40


def names_per_group(groups: int) -> int:
    """How many names each of `groups` lists may show: 8, fewer when there are many groups."""
    return max(2, min(DIGEST_NAMES_PER_UNIT, NAMES_BUDGET // max(groups, 1)))


def names(items: list[str], limit: int | None, t: Translate) -> str:
    """'A, B, C' — or the first `limit` and 'and N more' so a chat message stays short."""
    if limit is None or len(items) <= limit:
        return ", ".join(items)
    rest = len(items) - limit
    return ", ".join(items[:limit]) + t(plural_key("digest.and_more", rest), count=rest)


def table_text(table: ReportingTable, t: Translate, locale: str, tz: str) -> str:
    """Headline rates, then one line per grassroots unit with a few of its missing branches."""
    n = lambda v: fmt_int(v, locale)  # noqa: E731
    due = table.deadline.astimezone(ZoneInfo(tz))
    lines = [
        t("digest.period_line", period=fmt_period(table.period), deadline=f"{due:%H:%M %d/%m/%Y}"),
        t(
            "digest.rate_line",
            received=n(table.received),
            expected=n(table.expected),
            rate=fmt_pct(table.reporting_rate),
        ),
        t(
            "digest.on_time_line",
            on_time=n(table.on_time),
            expected=n(table.expected),
            rate=fmt_pct(table.on_time_rate),
        ),
        "",
        t("digest.by_unit"),
    ]
    limit = names_per_group(sum(bool(u.missing) + bool(u.returned) for u in table.units))
    cut = False
    for unit in table.units:
        lines.append(
            t(
                "digest.unit_line",
                unit=unit.name,
                received=n(unit.received),
                expected=n(unit.expected),
                rate=fmt_pct(unit.reporting_rate),
                on_time=n(unit.on_time),
                on_time_rate=fmt_pct(unit.on_time_rate),
            )
        )
        for key, items in (
            ("digest.missing_line", unit.missing),
            ("digest.returned_unit_line", unit.returned),
        ):
            if items:
                lines.append(t(key, branches=names(items, limit, t)))
                cut = cut or len(items) > limit
    lines.append("")
    lines.append(_outstanding(table, t, locale, cut))
    return "\n".join(lines)


def _outstanding(table: ReportingTable, t: Translate, locale: str, cut: bool) -> str:
    """Branches not yet received: never sent plus returned, so received + this = expected."""
    missing = sum(len(u.missing) for u in table.units)
    returned = sum(len(u.returned) for u in table.units)
    outstanding = missing + returned
    if not outstanding:
        return t("digest.none_missing" if table.expected else "digest.no_branches")
    n = lambda v: fmt_int(v, locale)  # noqa: E731
    if returned:
        line = t(
            "digest.outstanding_total",
            count=n(outstanding),
            missing=n(missing),
            returned=n(returned),
        )
    else:
        line = t(plural_key("digest.missing_total", missing), count=n(missing))
    # The workbook pointer only helps when the chat list above was shortened.
    return line + (t("digest.full_list_note") if cut else "")


def _figures(digest: Digest, t: Translate, locale: str) -> list[str]:
    """Key figures with their change against last month; none before any report is received."""
    if not digest.table.received:
        return [t("digest.figures_no_reports")]
    lines = [t("digest.figures_title" if digest.previous else "digest.figures_title_no_previous")]
    for key in KEY_FIGURES:
        now = digest.totals[key]
        before = digest.previous[key] if digest.previous else None
        delta = fmt_delta(now, before, locale)
        value = fmt_int(now, locale)
        lines.append(
            t(
                f"digest.figure.{key}",
                value=value + (f" ({delta})" if delta else ""),
            )
        )
    return lines


def _youth(digest: Digest, t: Translate, catalog: Catalog, locale: str) -> list[str]:
    """Difficult-youth counts, overall and by category."""
    youth = digest.youth
    lines = [t("digest.youth_line", open=youth.open, new=youth.new, closed=youth.closed)]
    labelled = []
    for category, counts in youth.by_category.items():
        key = f"digest.category.{category}"
        labelled.append((catalog.t(locale, key) if catalog.has(key) else category, counts))
    for label, (opened, new, closed) in sorted(labelled):
        lines.append(
            t("digest.youth_category_line", category=label, open=opened, new=new, closed=closed)
        )
    return lines


def digest_text(digest: Digest, catalog: Catalog, locale: str, tz: str) -> str:
    """The whole weekly digest in one language; counts only, never a youth's name."""
    t = translator(catalog, locale)
    lines = [t("digest.title", district=digest.table.district_name)]
    lines.append(table_text(digest.table, t, locale, tz))
    lines += ["", *_figures(digest, t, locale), "", *_youth(digest, t, catalog, locale), ""]
    lines.append(
        t(
            "digest.photos_line",
            photos=fmt_int(digest.photos, locale),
            branches=digest.branches_with_photos,
        )
    )
    if digest.flagged:
        lines.append(
            t("digest.flagged_line", count=len(digest.flagged), branches=", ".join(digest.flagged))
        )
    else:
        lines.append(t("digest.none_flagged"))
    return "\n".join(lines)
