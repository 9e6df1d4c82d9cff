"""The digest and the reporting table as short text, readable on a phone."""

from __future__ import annotations

from bot.i18n import Formatter, names_per_group
from handlers.digest.model import Digest, ReportingTable


def table_text(table: ReportingTable, f: Formatter) -> str:
    """Headline rates, then one line per grassroots unit with a few of its missing branches."""
    t, n, pct = f.t, f.number, f.percent
    lines = [
        t("digest.period_line", period=f.month(table.period), deadline=f.moment(table.deadline)),
        t(
            "digest.rate_line",
            received=n(table.received),
            expected=n(table.expected),
            rate=pct(table.reporting_rate),
        ),
        t(
            "digest.on_time_line",
            on_time=n(table.on_time),
            expected=n(table.expected),
            rate=pct(table.on_time_rate),
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
                rate=pct(unit.reporting_rate),
                on_time=n(unit.on_time),
                on_time_rate=pct(unit.on_time_rate),
            )
        )
        for key, items in (
            ("digest.missing_line", unit.missing),
            ("digest.returned_unit_line", unit.returned),
        ):
            if items:
                lines.append(t(key, branches=f.names(items, limit)))
                cut = cut or len(items) > limit
    lines.append("")
    lines.append(_outstanding(table, f, cut))
    return "\n".join(lines)


def _outstanding(table: ReportingTable, f: Formatter, cut: bool) -> str:
    """Branches not yet received: never sent plus returned, so received + this = expected."""
    missing = sum(len(u.missing) for u in table.units)
    returned = sum(len(u.returned) for u in table.units)
    outstanding = missing + returned
    t, n = f.t, f.number
    if not outstanding:
        return t("digest.none_missing" if table.expected else "digest.no_branches")
    if returned:
        line = t(
            "digest.outstanding_total",
            count=n(outstanding),
            missing=n(missing),
            returned=n(returned),
        )
    else:
        line = t(f.plural_key("digest.missing_total", missing), count=n(missing))
    # The workbook pointer only helps when the chat list above was shortened.
    return line + (t("digest.full_list_note") if cut else "")


def _figures(digest: Digest, f: Formatter) -> list[str]:
    """Key figures with their change against last month; none before any report is received."""
    if not digest.table.received:
        return [f.t("digest.figures_no_reports")]
    lines = [f.t("digest.figures_title" if digest.previous else "digest.figures_title_no_previous")]
    for figure in digest.figures:
        now = digest.totals[figure.key]
        change = f.delta(now, digest.previous[figure.key] if digest.previous else None)
        value = f.number(now) + (f" ({change})" if change else "")
        lines.append(f.t(figure.label_key, value=value))
    return lines


def _youth(digest: Digest, f: Formatter) -> list[str]:
    """Difficult-youth counts, overall and by category."""
    youth = digest.youth
    lines = [f.t("digest.youth_line", open=youth.open, new=youth.new, closed=youth.closed)]
    labelled = [
        (f.label(f"digest.category.{category}", category), counts)
        for category, counts in youth.by_category.items()
    ]
    for label, (opened, new, closed) in sorted(labelled):
        lines.append(
            f.t("digest.youth_category_line", category=label, open=opened, new=new, closed=closed)
        )
    return lines


def digest_text(digest: Digest, f: Formatter) -> str:
    """The whole weekly digest in one language; counts only, never a youth's name."""
    lines = [f.t("digest.title", district=digest.table.district_name)]
    lines.append(table_text(digest.table, f))
    lines += ["", *_figures(digest, f), "", *_youth(digest, f), ""]
    lines.append(
        f.t(
            "digest.photos_line",
            photos=f.number(digest.photos),
            branches=digest.branches_with_photos,
        )
    )
    if digest.flagged:
        lines.append(
            f.t(
                "digest.flagged_line",
                count=len(digest.flagged),
                branches=", ".join(
                    f.t("digest.flagged_branch", branch=branch, unit=unit)
                    for branch, unit in digest.flagged
                ),
            )
        )
    else:
        lines.append(f.t("digest.none_flagged"))
    return "\n".join(lines)
