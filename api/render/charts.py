"""Charts for pages and reports, one definition for both: matplotlib figures written as SVG with real
``<text>`` (``svg.fonttype = "none"``: the page's or report's NanumGothic draws the Korean, text can be
searched, scaled and read by a screen reader), a ``<title>`` and a ``<desc>`` holding the key numbers.

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
from matplotlib.ticker import FuncFormatter, MultipleLocator  # noqa: E402

from talentgap.i18n import translator  # noqa: E402

from .fonts import korean_font  # noqa: E402
from .numbers import compact, num  # noqa: E402

COLOURS = {"gap": "#b2392f", "demand": "#2f5d8c", "openings": "#d27b16", "supply": "#2e7d4f",
           "observed": "#111111", "other": "#8a8f96", "baseline": "#8a8f96", "nowcast": "#d9dde3"}


def _setup(size: float) -> None:
    family = ["NanumGothic"] if korean_font() else []
    plt.rcParams.update({"font.family": family + ["DejaVu Sans"], "axes.unicode_minus": True,
                         "svg.fonttype": "none", "font.size": size, "axes.titlesize": size,
                         "legend.fontsize": size, "xtick.labelsize": size, "ytick.labelsize": size,
                         "axes.spines.top": False, "axes.spines.right": False, "svg.hashsalt": "talentgap"})


def _rows(result: dict) -> list[dict]:
    return [r for r in result["rows"] if "education" not in r and "occupation" not in r]


def _axes(ax, years: list[int], lang: str, unit: str, result: dict, *, small: bool = False) -> None:
    """Even year ticks, compact numbers with the unit on the y axis, nowcast years shaded and the
    plan's end marked."""
    t = translator(lang)
    span = years[-1] - years[0]
    ax.xaxis.set_major_locator(MultipleLocator(2 if span <= 12 else 4))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{int(v)}"))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: num(v, lang)))
    ax.grid(axis="y", alpha=0.35, lw=0.6)
    if not small:
        ax.set_ylabel(unit)
    nowcast = [r["year"] for r in _rows(result) if r.get("period") == "nowcast"]
    if nowcast and not small:
        ax.axvspan(min(nowcast) - 0.5, max(nowcast) + 0.5, color=COLOURS["nowcast"], alpha=0.5, lw=0, zorder=0)
        ax.text((min(nowcast) + max(nowcast)) / 2, 0.02, t("nowcast_years"), transform=ax.get_xaxis_transform(),
                ha="center", va="bottom", color="#4a5561")
    end = result.get("plan_end_year")
    if end and end < years[-1] and not small:
        ax.axvline(end, color="#555555", ls=":", lw=1)
        ax.text(end + 0.15, 0.86, t("plan_ends"), transform=ax.get_xaxis_transform(), ha="left", va="top",
                color="#4a5561")


def _svg(fig, *, title: str, desc: str, chart_id: str) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    head_end = svg.index(">") + 1
    head = svg[:head_end].replace("<svg ", f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" ', 1)
    meta = f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(desc)}</desc>'
    return head + meta + svg[head_end:]


def _band(ax, years, rows, quantity, colour, label, *, lw=2.0, alpha=0.22, band_label=None):
    ax.fill_between(years, [r[quantity]["p10"] for r in rows], [r[quantity]["p90"] for r in rows],
                    color=colour, alpha=alpha, lw=0, label=band_label)
    ax.plot(years, [r[quantity]["p50"] for r in rows], color=colour, lw=lw, label=label)


def gap_chart_svg(result: dict, *, lang: str = "en", small: bool = False, baseline: dict | None = None,
                  desc: str = "", chart_id: str = "gap", annotate: bool = True) -> str:
    """The gap itself (openings − supply, persons a year) as a fan: the p10–p90 band and the median,
    zero marked; with ``baseline``, the baseline's band and median in grey behind it. A first-year
    jump (the current shortage added once) is annotated."""
    t = translator(lang)
    _setup(10 if small else 12)
    rows = _rows(result)
    years = [r["year"] for r in rows]
    fig, ax = plt.subplots(figsize=(3.4, 2.0) if small else (5.0, 3.5), layout="constrained")
    if baseline is not None:
        b = _rows(baseline)
        _band(ax, [r["year"] for r in b], b, "gap", COLOURS["baseline"], t("baseline"), lw=1.5, alpha=0.18)
    label = t("with_levers") if baseline is not None else t("median")
    _band(ax, years, rows, "gap", COLOURS["gap"], label, band_label=None if small else t("band"))
    ax.axhline(0, color="#333333", lw=0.8)
    _axes(ax, years, lang, t("persons_year"), result, small=small)
    gaps = [r["gap"]["p50"] for r in rows]
    highs = [r["gap"]["p90"] for r in rows]
    jump = len(gaps) > 2 and (gaps[0] > 1.25 * max(gaps[1], 1) or highs[0] > 1.5 * max(highs[1], 1))
    if not small and jump and annotate:
        backlog = any(str(n).startswith("backlog") for n in result.get("notes", []))
        ax.annotate(t("backlog_year") if backlog else t("first_year_jump"), (years[0], max(gaps[0], highs[0] * 0.8)), xytext=(0.25, 0.97), textcoords="axes fraction",
                    va="top", ha="left", arrowprops={"arrowstyle": "->", "color": "#4a5561", "lw": 0.8},
                    color="#4a5561")
    if small:
        ax.set_xlim(years[0] - 0.3, years[-1] + 0.3)
        ax.tick_params(length=2)
    else:
        fig.legend(loc="outside lower center", ncol=3, frameon=False)
        ax.set_title(t("chart_gap"), loc="left")
    return _svg(fig, title=t("chart_gap"), desc=desc, chart_id=chart_id)


def demand_chart_svg(result: dict, *, lang: str = "en", names=None, desc: str = "", chart_id: str = "demand") -> str:
    """The workforce (demand stock, persons): the p10–p90 band and median from the last observation
    on, observed points on top, other bases' published projections in grey. Lines far above the
    forecast are noted at the top instead of stretching the axis."""
    t = translator(lang)
    _setup(12)
    rows = _rows(result)
    years = [r["year"] for r in rows]
    fig, ax = plt.subplots(figsize=(5.0, 3.5), layout="constrained")
    obs = sorted(result.get("observed", []), key=lambda o: o["year"])
    _band(ax, years, rows, "demand", COLOURS["demand"], t("median"), band_label=t("band"))
    if obs and obs[-1]["year"] < years[0]:
        ax.plot([obs[-1]["year"], years[0]], [obs[-1]["value"], rows[0]["demand"]["p50"]], color=COLOURS["demand"],
                lw=2.0)
    top = max(r["demand"]["p90"] for r in rows) * 1.15
    all_years = years + [o["year"] for o in obs]
    off_scale = []
    other_label = t("other_basis")
    for ref in result.get("reference_lines", []):
        if ref.get("metric") != "projection":
            continue
        pts = [p for p in ref["points"] if p["value"] is not None]
        shown = [p for p in pts if p["value"] <= top]
        if shown:
            ax.plot([p["year"] for p in shown], [p["value"] for p in shown], ls="--", marker="o", ms=3, lw=1,
                    color=COLOURS["other"], label=other_label, zorder=2)
            other_label = None
            all_years += [p["year"] for p in shown]
        if len(shown) < len(pts):
            hi = max(pts, key=lambda p: p["value"])
            name = names.reference_line(ref, lang) if names is not None else ref.get("definition", "")
            off_scale.append(f"↑ {t('other_basis')} {compact(hi['value'], lang)} ({hi['year']}):\n{name}")
    if obs:
        ax.plot([o["year"] for o in obs], [o["value"] for o in obs], "o", color=COLOURS["observed"], ms=5,
                label=t("observed"), zorder=5)
    ax.set_ylim(bottom=0, top=top)
    span = sorted(set(all_years))
    _axes(ax, span, lang, t("persons"), result)
    ax.set_xlim(span[0] - 0.5, span[-1] + 0.5)
    ax.set_title(t("chart_demand"), loc="left")
    fig.legend(loc="outside lower center", ncol=2, frameon=False)
    text = "\n".join(off_scale[:2])
    if text:
        ax.text(0.01, 0.9, text, transform=ax.transAxes, va="top", ha="left", color="#5b6168")
    return _svg(fig, title=t("chart_demand"), desc=desc, chart_id=chart_id)


def flows_chart_svg(result: dict, *, lang: str = "en", desc: str = "", chart_id: str = "flows") -> str:
    """Openings against supply (persons a year): two fans; the gap is the distance between them."""
    t = translator(lang)
    _setup(12)
    rows = _rows(result)
    years = [r["year"] for r in rows]
    fig, ax = plt.subplots(figsize=(5.0, 3.5), layout="constrained")
    _band(ax, years, rows, "openings", COLOURS["openings"], t("openings"))
    _band(ax, years, rows, "supply", COLOURS["supply"], t("supply"))
    _axes(ax, years, lang, t("persons_year"), result)
    ax.set_ylim(bottom=min(0, min(r["supply"]["p10"] for r in rows)))
    ax.set_title(t("chart_flows"), loc="left")
    fig.legend(loc="outside lower center", ncol=2, frameon=False)
    return _svg(fig, title=t("chart_flows"), desc=desc, chart_id=chart_id)


def fan_chart_svg(result: dict, *, title: str = "", lang: str = "en", names=None) -> str:
    """The three sector charts (gap, workforce, openings and supply) in one ``<div>`` of SVGs; kept
    for callers that want them together."""
    return "".join([gap_chart_svg(result, lang=lang, desc=title, chart_id=f"gap-{result['sector']}"),
                    demand_chart_svg(result, lang=lang, names=names, desc=title, chart_id=f"demand-{result['sector']}"),
                    flows_chart_svg(result, lang=lang, desc=title, chart_id=f"flows-{result['sector']}")])
