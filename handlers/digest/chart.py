"""The digest chart (PNG): reporting rate per grassroots unit, and its trend over six months."""

from __future__ import annotations

import io

from bot.i18n import period_text
from handlers.digest.model import Digest

WIDTH_INCHES = 6.0  # 600 px at 100 dpi: sharp on a phone, small to send
LABEL_CHARS = 26


def _short(name: str) -> str:
    """A unit name cut to fit the bar labels."""
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def digest_chart(digest: Digest, units_title: str, trend_title: str) -> bytes:
    """Two panels, stacked for a narrow screen; matplotlib loads only when a chart is drawn."""
    # Imported here so that starting the bot or the CLI does not pay matplotlib's import cost.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    units = digest.table.units
    height = 2.6 + 0.38 * max(len(units), 1) + 2.4
    figure = Figure(figsize=(WIDTH_INCHES, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    bars, trend = figure.subplots(2, 1, height_ratios=[0.6 + 0.38 * max(len(units), 1), 2.2])
    names = [_short(u.name) for u in units][::-1]
    values = [round((u.reporting_rate or 0) * 100) for u in units][::-1]
    colours = ["#2e7d32" if v >= 80 else "#f9a825" if v >= 50 else "#c62828" for v in values]
    bars.barh(names, values, color=colours)
    bars.set_xlim(0, 110)
    bars.set_title(units_title, fontsize=11, loc="left")
    bars.tick_params(labelsize=9)
    bars.spines[["top", "right"]].set_visible(False)
    for y, value in enumerate(values):
        bars.text(value + 1.5, y, f"{value}%", va="center", fontsize=9)
    # Months with no data are left out rather than drawn as 0%.
    known = [(p, r) for p, r in digest.trend if r is not None]
    labels = [period_text(p) for p, _ in known]
    points = [round(r * 100) for _, r in known]
    trend.plot(labels, points, marker="o", color="#1565c0")
    # Half a slot of room each side, so the first and last month labels are not cut off.
    trend.set_xlim(-0.5, max(len(labels), 1) - 0.5)
    trend.set_ylim(0, 110)
    trend.set_title(trend_title, fontsize=11, loc="left")
    trend.tick_params(labelsize=8)
    trend.grid(axis="y", alpha=0.3)
    trend.spines[["top", "right"]].set_visible(False)
    for x, value in enumerate(points):
        trend.annotate(
            f"{value}%",
            (x, value),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize=8,
        )
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
