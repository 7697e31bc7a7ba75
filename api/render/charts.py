"""Charts for reports and pages: matplotlib figures rendered to inline SVG, with a Korean font."""

from __future__ import annotations

import io
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402


@lru_cache(maxsize=1)
def korean_font() -> str | None:
    """Path of the NanumGothic font shipped by the ``koreanize-matplotlib`` package (registered with
    matplotlib); ``None`` when it is not installed."""
    try:
        from importlib.resources import files

        path = files("koreanize_matplotlib") / "fonts" / "NanumGothic.ttf"
    except ModuleNotFoundError:
        return None
    if not path.is_file():
        return None
    font_manager.fontManager.addfont(str(path))
    return str(path)


def _setup() -> None:
    family = ["NanumGothic"] if korean_font() else []
    plt.rcParams.update({"font.family": family + ["DejaVu Sans"], "axes.unicode_minus": False,
                         "svg.fonttype": "path", "font.size": 9})


def fan_chart_svg(result: dict, *, title: str) -> str:
    """Two panels: the demand stock (p10–p90 band, p50, observed points, published projections) and
    openings against supply (bands and medians). Returns an ``<svg>`` string."""
    _setup()
    rows = [r for r in result["rows"] if "education" not in r and "occupation" not in r]
    years = [r["year"] for r in rows]
    fig, (a, b) = plt.subplots(1, 2, figsize=(9.2, 3.4), dpi=100)
    q = lambda name, p: [r[name][p] for r in rows]  # noqa: E731
    a.fill_between(years, q("demand", "p10"), q("demand", "p90"), color="#4C78A8", alpha=0.25, label="p10–p90")
    a.plot(years, q("demand", "p50"), color="#4C78A8", lw=2, label="demand p50 수요")
    obs = result.get("observed", [])
    if obs:
        a.plot([o["year"] for o in obs], [o["value"] for o in obs], "o", color="black", ms=4, label="observed 실적")
    for ref in result.get("reference_lines", []):
        pts = ref["points"]
        if ref["metric"] == "projection":
            parts = [ref["definition"]] + [x for x in ref["series_id"].split(".")[3:]]
            a.plot([p["year"] for p in pts], [p["value"] for p in pts], "--", marker="D", ms=4, lw=1,
                   label="published " + " · ".join(parts))
    a.set_title("Demand stock 수요(현원)")
    a.legend(fontsize=7, loc="upper left")
    b.fill_between(years, q("openings", "p10"), q("openings", "p90"), color="#F58518", alpha=0.25)
    b.plot(years, q("openings", "p50"), color="#F58518", lw=2, label="openings 구인수요")
    b.fill_between(years, q("supply", "p10"), q("supply", "p90"), color="#54A24B", alpha=0.25)
    b.plot(years, q("supply", "p50"), color="#54A24B", lw=2, label="supply 공급")
    b.set_title("Openings vs supply 구인수요·공급 (per year)")
    b.legend(fontsize=7, loc="upper left")
    nowcast = [r["year"] for r in rows if r.get("period") == "nowcast"]
    for ax in (a, b):
        if nowcast:  # years after the last observation up to the current year
            ax.axvspan(min(nowcast) - 0.5, max(nowcast) + 0.5, color="#999999", alpha=0.12, lw=0)
        if result.get("plan_end_year") and result["plan_end_year"] < years[-1]:
            ax.axvline(result["plan_end_year"], color="#555555", ls=":", lw=1)
            ax.annotate("plan ends 계획 종료", (result["plan_end_year"], 1), xycoords=("data", "axes fraction"),
                        fontsize=6, ha="right", va="top", rotation=90)
        ax.grid(alpha=0.3)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.set_xlabel("year 연도")
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


@lru_cache(maxsize=1)
def web_font_bytes() -> bytes | None:
    """The Korean font for web pages: the same file with its empty VTT source tables (``TSI*``)
    removed, which browsers' font sanitizers reject; ``None`` when no font is installed."""
    path = korean_font()
    if path is None:
        return None
    from fontTools.ttLib import TTFont

    font = TTFont(path)
    for tag in [t for t in font.keys() if t.startswith("TSI")]:
        del font[tag]
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def embedded_font_css(text: str) -> str:
    """An ``@font-face`` rule carrying NanumGothic subset to the characters of ``text`` as a data URI,
    so a page shows its Korean on machines without Korean fonts and still fetches nothing."""
    path = korean_font()
    if path is None:
        return ""
    import base64

    from fontTools import subset

    options = subset.Options()
    options.drop_tables += ["TSI0", "TSI1", "TSI2", "TSI3", "TSI5"]
    font = subset.load_font(path, options)
    sub = subset.Subsetter(options)
    sub.populate(text="".join(sorted(set(text))))
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    data = base64.b64encode(buf.getvalue()).decode()
    return f"@font-face {{ font-family: 'NanumGothic'; src: url(data:font/ttf;base64,{data}) format('truetype'); }}"
