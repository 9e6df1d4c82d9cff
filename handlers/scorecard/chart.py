"""The scorecard chart (PNG): criteria met per unit as a grid, and each unit's score and the bar."""

from __future__ import annotations

import io
from collections.abc import Callable

from handlers.digest.chart import WIDTH_INCHES
from handlers.scorecard.model import Scorecard

MET, NOT_MET = "#2e7d32", "#c62828"
LABEL_CHARS = 26


def _short(name: str) -> str:
    """A unit name cut to fit the row labels."""
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def scorecard_chart(card: Scorecard, t: Callable[..., str]) -> bytes:
    """Left: a green/red cell per unit and criterion. Right: the unit's score, the bar drawn.

    `t(key, **values)` gives the words in the reader's language.
    """
    # Imported here so that starting the bot or the CLI does not pay matplotlib's import cost.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure

    units = list(card.units)
    keys = [c.key for c in units[0].criteria] if units else []
    rows = max(len(units), 1)
    figure = Figure(figsize=(WIDTH_INCHES, 1.9 + 0.34 * rows), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    grid, scores = figure.subplots(1, 2, width_ratios=[3.2, 1], sharey=True)
    cells = [[1 if c.met else 0 for c in u.criteria] for u in units] or [[0] * max(len(keys), 1)]
    grid.imshow(cells, cmap=ListedColormap([NOT_MET, MET]), vmin=0, vmax=1, aspect="auto")
    # A mark as well as a colour, for readers who do not tell red from green; drawn as two
    # scatter layers, far cheaper than a text per cell once there are 40 units.
    for met, mark in ((True, "$✓$"), (False, "$✗$")):
        points = [
            (x, y)
            for y, unit in enumerate(units)
            for x, criterion in enumerate(unit.criteria)
            if criterion.met is met
        ]
        if points:
            xs, ys = zip(*points, strict=True)
            grid.scatter(xs, ys, marker=mark, color="white", s=60, linewidths=0)
    grid.set_xticks(range(len(keys)), [t(f"scorecard.short.{k}") for k in keys])
    grid.tick_params(axis="x", labelrotation=45, labelsize=8, top=True, bottom=False)
    grid.tick_params(axis="x", labeltop=True, labelbottom=False)
    for label in grid.get_xticklabels():
        label.set_horizontalalignment("left")
    grid.set_yticks(range(len(units)), [_short(u.name) for u in units])
    # White lines between cells, so a row of red reads as separate criteria.
    grid.set_xticks([x - 0.5 for x in range(1, len(keys))], minor=True)
    grid.set_yticks([y - 0.5 for y in range(1, len(units))], minor=True)
    grid.grid(which="minor", color="white", linewidth=2)
    grid.tick_params(which="minor", length=0)
    grid.tick_params(axis="y", labelsize=9)
    grid.set_title(t("scorecard.chart_title"), fontsize=10, loc="left")
    values = [round(u.score) for u in units]
    scores.barh(range(len(units)), values, color=[MET if u.met else NOT_MET for u in units])
    scores.axvline(card.min_score, color="#424242", linestyle="--", linewidth=1)
    scores.set_xlim(0, 118)
    scores.set_title(t("scorecard.chart_score", min_score=round(card.min_score)), fontsize=10)
    scores.tick_params(labelsize=8)
    scores.spines[["top", "right"]].set_visible(False)
    for y, value in enumerate(values):
        scores.text(value + 2, y, str(value), va="center", fontsize=8)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
