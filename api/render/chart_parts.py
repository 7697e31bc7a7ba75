"""The pieces every chart of :mod:`.charts` is made of, in the manner of Our World in Data's charts:
lines named by direct labels at their right end (moved apart so no two touch), everything that is
not a line (observed points, other bases' projections, the first year's backlog) named one by one in a
key under the chart, the unit in the title (horizontal, never a rotated axis label), labels inside the
plot only in a strip of head room kept free of data, numbers in the number style of :mod:`.numbers`,
and 80% bands drawn smooth where the interval varies from year to year without a cause.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, MultipleLocator

from .numbers import TEN_THOUSAND, given, large, num, plain

#: Points between a line's end and its direct label, and between two labels.
LABEL_GAP = 5.0
#: Share of the value axis kept free of data at the top for the labels inside the plot.
HEAD_ROOM = 0.16


def get(obj: object, key: str, default: Any = None) -> Any:
    """``obj[key]`` of a mapping or ``obj.key`` of a result object: charts read both."""
    if isinstance(obj, Mapping):
        return obj.get(key, default)
    return getattr(obj, key, default)


def total_rows(result: object) -> list:
    """The sector's rows (not the education or occupation rows)."""
    return [r for r in get(result, "rows", []) if get(r, "education") is None and get(r, "occupation") is None]


def quantiles(rows: list, quantity: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """p10, p50 and p90 of ``quantity`` over ``rows``, as arrays."""
    qs = [get(r, quantity) for r in rows]
    low, mid, high = (np.array([float(get(q, p)) for q in qs]) for p in ("p10", "p50", "p90"))
    return low, mid, high


def backlog_of(result: object) -> tuple[int, float, int] | None:
    """The current shortage the model adds once to the first year's openings, from the result's notes:
    ``(first year, persons, survey year)``, or ``None`` when none was added."""
    for entry in get(result, "note_ids") or []:
        if isinstance(entry, Mapping) and entry.get("key") == "backlog.added":
            params = entry.get("params") or {}
            rows = total_rows(result)
            if rows and float(params.get("backlog") or 0) > 0:
                return int(get(rows[0], "year")), float(params["backlog"]), int(params.get("year") or 0)
    return None


def smooth_band(p10: np.ndarray, p50: np.ndarray, p90: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The band's edges for drawing: the distances from the median to p10 and to p90 averaged with the
    neighbouring years (weights 1, 2, 3, 2, 1), the first year kept as simulated. The simulated edges
    move from year to year with the horizon-by-horizon interval calibration of the demand forecast
    (not with the number of draws: 100,000 draws move them by under 1%), which reads as a signal that
    is not there; the tables keep the simulated values."""
    if len(p50) < 4:
        return p10, p90
    weights = np.array([1.0, 2.0, 3.0, 2.0, 1.0])

    def smooth(offset: np.ndarray) -> np.ndarray:
        out = offset.copy()
        rest = offset[1:]
        for i in range(len(rest)):
            lo, hi = max(0, i - 2), min(len(rest), i + 3)
            w = weights[lo - i + 2:hi - i + 2]
            out[i + 1] = float(np.dot(w, rest[lo:hi]) / w.sum())
        return out

    return p50 - smooth(p50 - p10), p50 + smooth(p90 - p50)


def value_axis(ax, lang: str) -> None:
    """Tick labels all in one unit: Korean 만 when the axis reaches 10,000 (``0``, ``0.5만``, ``1만``),
    else the digits with separators (the ticks themselves: :func:`head_room`)."""

    def tick(v: float, _pos: int) -> str:
        top = max(abs(x) for x in ax.get_ylim())
        if top >= TEN_THOUSAND and abs(v) >= 1e-9:  # the language's way with large numbers (``large``)
            return plain(large(num(v, lang), given(v / TEN_THOUSAND, lang), lang))
        return plain(num(v, lang))

    ax.yaxis.set_major_formatter(FuncFormatter(tick))
    ax.grid(axis="y", alpha=0.35, lw=0.6)


def year_axis(ax, first: int, last: int) -> None:
    """Even year ticks, every two years up to a twelve-year span, else every four."""
    ax.xaxis.set_major_locator(MultipleLocator(2 if last - first <= 12 else 4))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{int(v)}"))


def head_room(ax, low: float, high: float, *, rows: int = 1) -> None:
    """Value limits from ``low`` to ``high`` (0 always inside) plus ``rows`` strips of head room, with
    ticks and grid lines only up to ``high``: the head room stays clear for labels."""
    low, high = min(low, 0.0), max(high, 0.0)
    span = (high - low) or 1.0
    ax.set_ylim(low - 0.03 * span, high + span * HEAD_ROOM * rows / (1 - HEAD_ROOM * rows))
    ticks = MaxNLocator(nbins=5, steps=[1, 2, 5, 10]).tick_values(low, high)
    ax.yaxis.set_major_locator(FixedLocator([v for v in ticks if low - 1e-9 <= v <= high + 1e-9]))


def top_label(ax, x: float, text: str, *, row: int = 0, ha: str = "center"):
    """A label in the head room (``row`` 0 at the very top), at data ``x``."""
    y = 0.985 - row * HEAD_ROOM
    return ax.text(x, y, text, transform=ax.get_xaxis_transform(), ha=ha, va="top", color="#4a5561")


def direct_labels(fig, ax, items: list[tuple[float, str, str]]) -> list:
    """Name lines at the right edge of the plot, each at its last value, moved apart so that no two
    labels touch and none leaves the plot's height. ``items``: ``(value, text, colour)``."""
    texts = [ax.annotate(text, xy=(1.0, y), xycoords=("axes fraction", "data"), xytext=(LABEL_GAP, 0),
                         textcoords="offset points", ha="left", va="center", color=colour, annotation_clip=False,
                         )
             for y, text, colour in items]
    if len(texts) < 2:
        return texts
    fig.canvas.draw()  # lay the figure out, so label sizes and the axes' place are known
    to_px = ax.transData.transform
    from_px = ax.transData.inverted().transform
    heights = [t.get_window_extent().height + LABEL_GAP * fig.dpi / 72 * 0.4 for t in texts]
    order = sorted(range(len(texts)), key=lambda i: items[i][0])
    ys = {i: to_px((0, items[i][0]))[1] for i in order}
    bottom, top = ax.get_window_extent().y0, ax.get_window_extent().y1
    for a, b in zip(order, order[1:]):  # upwards: each label clear of the one below
        ys[b] = max(ys[b], ys[a] + (heights[a] + heights[b]) / 2)
    ys[order[-1]] = min(ys[order[-1]], top - heights[order[-1]] / 2)
    for a, b in zip(order[::-1], order[::-1][1:]):  # then down from the top if pushed out of the plot
        ys[b] = min(ys[b], ys[a] - (heights[a] + heights[b]) / 2)
    ys[order[0]] = max(ys[order[0]], bottom + heights[order[0]] / 2)
    for i, t in enumerate(texts):
        t.xy = (1.0, from_px((0, ys[i]))[1])
    return texts


def wrap(fig, text: str, width_pt: float, size: float) -> str:
    """``text`` broken between words into lines no wider than ``width_pt`` points at font ``size``, as
    the chart's own font measures them."""
    renderer = fig.canvas.get_renderer()
    probe = fig.text(0, 0, "", fontsize=size)

    def width(s: str) -> float:
        probe.set_text(s)
        return probe.get_window_extent(renderer).width * 72 / fig.dpi

    lines, line = [], ""
    for word in text.split(" "):
        trial = f"{line} {word}".strip()
        if line and width(trial) > width_pt:
            lines.append(line)
            line = word
        else:
            line = trial
    probe.remove()
    return "\n".join([*lines, line])


def key(fig, handles: list, labels: list[str], size: float) -> None:
    """The key under the chart: one entry per mark that is not a directly labelled line, each wrapped
    to the figure's width; the figure grows by the key's height, so the plot keeps its size."""
    if not handles:
        return
    width = fig.get_figwidth() * 72 - 4.2 * size
    legend = fig.legend(handles, [wrap(fig, plain(x), width, size) for x in labels], loc="outside lower left",
                        ncol=1, frameon=False, handlelength=1.6, borderaxespad=0.2, labelspacing=0.35,
                        alignment="left")
    for text in legend.get_texts():  # wrapped lines apart enough that the browser's boxes do not touch
        text.set_linespacing(1.45)
    fig.canvas.draw()
    grow = legend.get_window_extent().height / fig.dpi
    fig.set_figheight(fig.get_figheight() + grow)
