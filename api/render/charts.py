"""Charts for pages and reports, one definition for both: matplotlib figures written as SVG with real
``<text>`` (``svg.fonttype = "none"``: the page's or report's NanumGothic draws the Korean, text can be
searched, scaled and read by a screen reader), a ``<title>`` and a ``<desc>`` holding the key numbers.

Each chart follows :mod:`.chart_parts`: the unit in the title, lines named at their right end, other
marks named in a key under the chart, no text over a line or over other text (the browser tests check
the text boxes), 80% bands drawn smooth, and the current shortage that the first year carries once
drawn as its own hatched bar, so the drop after the first year does not read as the shortage easing.

Sizes are chosen so that no chart text is under 11 CSS px when a chart is as narrow as a phone allows
(about 340 px): a chart is 5 in (360 pt) wide with 12 pt text, a card chart 3.4 in with 10 pt text.
One colour per quantity on every chart (:data:`COLOURS`); other bases' published projections are grey.
"""

from __future__ import annotations

import io
from html import escape

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from talentgap.i18n import translator  # noqa: E402

from .chart_parts import (  # noqa: E402
    backlog_of,
    direct_labels,
    get,
    head_room,
    key,
    quantiles,
    smooth_band,
    top_label,
    total_rows,
    value_axis,
    year_axis,
)
from .fonts import korean_font  # noqa: E402
from .numbers import compact, people, plain, spaced  # noqa: E402

COLOURS = {"gap": "#b2392f", "demand": "#2f5d8c", "openings": "#b8650a", "supply": "#2e7d4f",
           "observed": "#111111", "other": "#6f757c", "baseline": "#6f757c", "nowcast": "#d9dde3"}
#: Line styles of other bases' projections, one per series, so no two share a key entry's look.
OTHER_STYLES = [("o", "--"), ("s", "-."), ("^", ":"), ("D", (0, (5, 1, 1, 1)))]
BIG, SMALL = (5.0, 3.6), (3.4, 2.0)


def _setup(size: float) -> None:
    family = ["NanumGothic"] if korean_font() else []
    plt.rcParams.update({"font.family": family + ["DejaVu Sans"], "axes.unicode_minus": True,
                         "svg.fonttype": "none", "font.size": size, "axes.titlesize": size,
                         "legend.fontsize": size, "xtick.labelsize": size, "ytick.labelsize": size,
                         "axes.spines.top": False, "axes.spines.right": False, "svg.hashsalt": "talentgap",
                         "hatch.linewidth": 0.8})


def _svg(fig, *, title: str, desc: str, chart_id: str) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    head_end = svg.index(">") + 1
    head = svg[:head_end].replace("<svg ", f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" ', 1)
    meta = f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(plain(desc))}</desc>'
    return head + meta + svg[head_end:]


def _fan(ax, years, rows, quantity, colour, *, backlog=None, lw=2.0, alpha=0.22):
    """A smoothed 80% band and the median of ``quantity``; with ``backlog`` ``(year, persons, _)`` the
    first year is drawn without it and the backlog as a hatched bar on top. Returns the last median
    and the last p90 as drawn, and the highest and lowest values drawn."""
    p10, p50, p90 = quantiles(rows, quantity)
    if backlog is not None:
        p10, p50, p90 = (a.copy() for a in (p10, p50, p90))
        for a in (p10, p50, p90):
            a[0] -= backlog[1]
        ax.bar(years[0], backlog[1], bottom=p50[0], width=0.45, color="white", edgecolor=colour, hatch="////",
               lw=0.8, zorder=4)
    lo, hi = smooth_band(p10, p50, p90)
    ax.fill_between(years, lo, hi, color=colour, alpha=alpha, lw=0)
    ax.plot(years, p50, color=colour, lw=lw, zorder=3)
    top = max(hi.max(), p50[0] + (backlog[1] if backlog else 0))
    return float(p50[-1]), float(hi[-1]), float(top), float(lo.min())


def _backlog_entry(colour: str, backlog, lang: str) -> tuple[Patch, str]:
    t = translator(lang)
    year, persons, survey = backlog
    label = t("backlog_bar").format(backlog=people(persons, lang), survey=survey, year=year)
    return Patch(facecolor="white", edgecolor=colour, hatch="////", lw=0.8), label


def _marks(ax, result, years, lang: str, rows: int = 1) -> None:
    """The nowcast years shaded and named, and the plan's end marked, both in the head room."""
    t = translator(lang)
    nowcast = [get(r, "year") for r in total_rows(result) if get(r, "period") == "nowcast"]
    if nowcast:
        ax.axvspan(min(nowcast) - 0.5, max(nowcast) + 0.5, color=COLOURS["nowcast"], alpha=0.5, lw=0, zorder=0)
        top_label(ax, min(nowcast) - 0.4, t("nowcast_years"), ha="left")
    end = get(result, "plan_end_year")
    if end and end < years[-1]:
        ax.axvline(end, color="#555555", ls=":", lw=1)
        top_label(ax, end + 0.15, t("plan_ends"), row=rows - 1, ha="left")


def _rows_of_labels(result, years) -> int:
    """Two strips of head room when the nowcast label and the plan's end would share one."""
    nowcast = [get(r, "year") for r in total_rows(result) if get(r, "period") == "nowcast"]
    end = get(result, "plan_end_year")
    near = bool(nowcast and end and end < years[-1] and end - max(nowcast) < 0.3 * (years[-1] - years[0]))
    return 2 if near else 1


def gap_chart_svg(result, *, lang: str = "en", small: bool = False, baseline=None,
                  desc: str = "", chart_id: str = "gap", annotate: bool = True) -> str:
    """The gap itself (openings − supply, persons a year) as a fan: the 80% band and the median, zero
    marked; with ``baseline``, the baseline's band and median in grey behind it. The first year's
    current shortage is its own hatched bar, named in the key (on a card: in the card's note)."""
    t = translator(lang)
    _setup(10 if small else 12)
    rows = total_rows(result)
    years = [int(get(r, "year")) for r in rows]
    fig, ax = plt.subplots(figsize=SMALL if small else BIG, layout="constrained")
    backlog = backlog_of(result) if annotate else None
    labels, highs, lows = [], [], []
    if baseline is not None:
        b = total_rows(baseline)
        mid, _, high, low = _fan(ax, [int(get(r, "year")) for r in b], b, "gap", COLOURS["baseline"],
                                 backlog=backlog_of(baseline) if annotate else None, lw=1.5, alpha=0.16)
        labels.append((mid, t("baseline"), COLOURS["baseline"]))
        highs.append(high)
        lows.append(low)
    mid, edge, high, low = _fan(ax, years, rows, "gap", COLOURS["gap"], backlog=backlog)
    highs.append(high)
    lows.append(low)
    ax.axhline(0, color="#333333", lw=0.8, zorder=2)
    value_axis(ax, lang)
    year_axis(ax, years[0], years[-1])
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    if small:
        head_room(ax, min(lows), max(highs), rows=0)
        ax.tick_params(length=2)
        return _svg(fig, title=t("chart_gap"), desc=desc, chart_id=chart_id)
    n = _rows_of_labels(result, years)
    head_room(ax, min(lows), max(highs), rows=n)
    _marks(ax, result, years, lang, n)
    ax.set_title(t("chart_gap"), loc="left")
    labels += [(mid, t("with_levers") if baseline is not None else t("median"), COLOURS["gap"]),
               (edge, t("band"), COLOURS["gap"])]
    if backlog:
        patch, text = _backlog_entry(COLOURS["gap"], backlog, lang)
        key(fig, [patch], [text], 12)
    direct_labels(fig, ax, labels)
    return _svg(fig, title=t("chart_gap"), desc=desc, chart_id=chart_id)


def demand_chart_svg(result, *, lang: str = "en", names=None, desc: str = "", chart_id: str = "demand") -> str:
    """The workforce (demand stock, persons): the 80% band and median from the last observation on,
    observed points on top, each other basis's published projection in grey with its own mark and
    name. A projection far above the forecast is named in the key with its value instead of
    stretching the axis."""
    t = translator(lang)
    _setup(12)
    rows = total_rows(result)
    years = [int(get(r, "year")) for r in rows]
    fig, ax = plt.subplots(figsize=BIG, layout="constrained")
    obs = sorted(get(result, "observed") or [], key=lambda o: get(o, "year"))
    mid, edge, high, low = _fan(ax, years, rows, "demand", COLOURS["demand"])
    if obs and get(obs[-1], "year") < years[0]:
        first = quantiles(rows[:1], "demand")[1][0]
        ax.plot([get(obs[-1], "year"), years[0]], [get(obs[-1], "value"), first], color=COLOURS["demand"], lw=2.0)
    top = high * 1.15
    spans, handles, entries = years + [get(o, "year") for o in obs], [], []
    refs = [r for r in get(result, "reference_lines") or [] if get(r, "metric") == "projection"]
    for i, ref in enumerate(refs):
        pts = [p for p in get(ref, "points") if get(p, "value") is not None]
        shown = [p for p in pts if get(p, "value") <= top]
        name = names.reference_line(ref, lang) if names is not None else get(ref, "definition", "")
        marker, dash = OTHER_STYLES[i % len(OTHER_STYLES)]
        if shown:
            ax.plot([get(p, "year") for p in shown], [get(p, "value") for p in shown], ls=dash, marker=marker,
                    ms=4, lw=1.2, color=COLOURS["other"], zorder=2)
            spans += [get(p, "year") for p in shown]
            handles.append(Line2D([], [], ls=dash, marker=marker, ms=4, lw=1.2, color=COLOURS["other"]))
            entries.append(t("other_named").format(name=name))
        for p in pts:
            if get(p, "value") > top:
                handles.append(Line2D([], [], ls="none", marker=r"$\uparrow$", ms=8, color=COLOURS["other"]))
                entries.append(spaced(t("other_off_scale").format(name=name, year=get(p, "year"),
                                                                 value=compact(get(p, "value"), lang))))
    if obs:
        ax.plot([get(o, "year") for o in obs], [get(o, "value") for o in obs], "o", color=COLOURS["observed"], ms=5,
                zorder=5)
        handles.insert(0, Line2D([], [], ls="none", marker="o", ms=5, color=COLOURS["observed"]))
        entries.insert(0, t("observed_key"))
    span = sorted(set(spans))
    drawn = [get(p, "value") for r in refs for p in get(r, "points") if get(p, "value") is not None
             and get(p, "value") <= top] + [get(o, "value") for o in obs]
    head_room(ax, 0.0, max([high, *drawn]))
    year_axis(ax, span[0], span[-1])
    ax.set_xlim(span[0] - 0.5, span[-1] + 0.5)
    value_axis(ax, lang)
    _marks(ax, result, years, lang)
    ax.set_title(t("chart_demand"), loc="left")
    key(fig, handles, entries, 12)
    direct_labels(fig, ax, [(mid, t("median"), COLOURS["demand"]), (edge, t("band"), COLOURS["demand"])])
    return _svg(fig, title=t("chart_demand"), desc=desc, chart_id=chart_id)


def flows_chart_svg(result, *, lang: str = "en", desc: str = "", chart_id: str = "flows") -> str:
    """Openings against supply (persons a year): two fans, each named at its end; the gap is the
    distance between them. The first year's current shortage is a hatched bar on the openings."""
    t = translator(lang)
    _setup(12)
    rows = total_rows(result)
    years = [int(get(r, "year")) for r in rows]
    fig, ax = plt.subplots(figsize=BIG, layout="constrained")
    backlog = backlog_of(result)
    o_mid, _, o_high, o_low = _fan(ax, years, rows, "openings", COLOURS["openings"], backlog=backlog)
    s_mid, _, s_high, s_low = _fan(ax, years, rows, "supply", COLOURS["supply"])
    value_axis(ax, lang)
    year_axis(ax, years[0], years[-1])
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    n = _rows_of_labels(result, years)
    head_room(ax, min(o_low, s_low, 0.0), max(o_high, s_high), rows=n)
    _marks(ax, result, years, lang, n)
    ax.set_title(t("chart_flows"), loc="left")
    if backlog:
        patch, text = _backlog_entry(COLOURS["openings"], backlog, lang)
        key(fig, [patch], [text], 12)
    direct_labels(fig, ax, [(o_mid, t("openings"), COLOURS["openings"]), (s_mid, t("supply"), COLOURS["supply"])])
    return _svg(fig, title=t("chart_flows"), desc=desc, chart_id=chart_id)

