"""A small inline SVG of a programme's outlook: the openings in the occupations the programme matches and
the comparable graduates entering its sector, two named series in people a year, each a median line over
its 80 % range as a band. Each line is labelled at its end (labels pushed apart when the lines end close
together), and the unit is the axis title, written across. Text is 14 px (12 px or more at 350 px wide)
and the chart is an image with a title and a description for screen readers."""

from __future__ import annotations

import math
from html import escape

from talentgap.i18n import translator

from .numbers import num, plain

W, H = 400, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 96, 30, 36
#: Series in drawing order: the result's key, its label's catalogue id, line colour, band colour.
SERIES = (("graduates", "chart.graduates", "#b35c00", "#f4c28f"),
          ("openings", "chart.openings", "#1f5f99", "#9cc3e6"))
#: Closest two end labels may sit, in SVG px (one line of 14 px text and a little air).
LABEL_GAP = 18


def programme_chart_svg(outlook: list[dict], lang: str, *, desc: str = "", chart_id: str = "programme-chart") -> str:
    """The outlook (``[{year, openings: {p10, p50, p90}, graduates: {…}}]``) as an SVG string ("" if empty
    or without the two series)."""
    if not outlook or any(o.get(key) is None for o in outlook for key, *_ in SERIES):
        return ""
    t = translator(lang)
    years = [int(o["year"]) for o in outlook]
    highest = max(1.0, max(o[key]["p90"] for o in outlook for key, *_ in SERIES)) * 1.04
    step = nice_step(highest)
    top = step * math.ceil(highest / step)  # the top gridline is labelled
    span = max(1, years[-1] - years[0])

    def x(year: float) -> float:
        return LEFT + (W - LEFT - RIGHT) * (year - years[0]) / span

    def y(value: float) -> float:
        return TOP + (H - TOP - BOTTOM) * (1 - max(0.0, value) / top)

    ticks = [i * step for i in range(round(top / step) + 1)]
    parts = [f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e3e7ec"/>'
             f'<text x="{LEFT - 6}" y="{y(v) + 5:.1f}" text-anchor="end" font-size="14" fill="#444">'
             f'{escape(plain(num(v, lang)))}</text>' for v in ticks]
    parts.append(f'<text x="4" y="16" font-size="14" fill="#444" class="unit">{escape(t("persons_year_axis"))}</text>')
    every = max(1, round(len(years) / 4))
    shown = [yr for i, yr in enumerate(years) if i % every == 0 and years[-1] - yr >= every or yr == years[-1]]
    parts += [f'<text x="{x(yr):.1f}" y="{H - BOTTOM + 26}" text-anchor="middle" font-size="14" fill="#444">{yr}</text>'
              for yr in shown]
    ends = []
    for key, label, line, band in SERIES:
        q = [o[key] for o in outlook]
        edge = [f"{x(yr):.1f},{y(v['p90']):.1f}" for yr, v in zip(years, q)]
        edge += [f"{x(yr):.1f},{y(v['p10']):.1f}" for yr, v in reversed(list(zip(years, q)))]
        parts.append(f'<path d="M{" L".join(edge)} Z" fill="{band}" fill-opacity="0.45"/>')
        middle = " L".join(f"{x(yr):.1f},{y(v['p50']):.1f}" for yr, v in zip(years, q))
        parts.append(f'<path class="series" data-series="{key}" d="M{middle}" fill="none" stroke="{line}" '
                     f'stroke-width="2.5"/>')
        ends.append([y(q[-1]["p50"]), t(label), line])
    for (at, text, colour) in spread(ends):
        parts.append(f'<text x="{W - RIGHT + 6}" y="{at + 5:.1f}" font-size="14" fill="{colour}" '
                     f'class="series-label">{escape(text)}</text>')
    title = t("chart.programme_title")
    return (f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" viewBox="0 0 {W} {H}" width="100%" '
            f'style="max-width:{W}px" xmlns="http://www.w3.org/2000/svg" id="{chart_id}">'
            f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(plain(desc))}</desc>'
            + "".join(parts) + "</svg>")


def spread(ends: list[list]) -> list[list]:
    """End labels ``[y, text, colour]`` moved apart so that no two are closer than :data:`LABEL_GAP`,
    each as near its line's end as that allows, all within the plot's height."""
    ends = sorted(ends, key=lambda e: e[0])
    for i in range(1, len(ends)):
        if ends[i][0] - ends[i - 1][0] < LABEL_GAP:
            middle = (ends[i][0] + ends[i - 1][0]) / 2
            ends[i - 1][0], ends[i][0] = middle - LABEL_GAP / 2, middle + LABEL_GAP / 2
    low, high = TOP + 6, H - BOTTOM - 4
    shift = max(0.0, low - ends[0][0]) - max(0.0, ends[-1][0] - high)
    return [[at + shift, text, colour] for at, text, colour in ends]


def nice_step(top: float) -> float:
    """A tick step of 1, 2 or 5 times a power of ten giving at most five steps up to ``top``."""
    power = 1.0
    while top / power > 50:
        power *= 10
    for step in (1, 2, 5, 10, 20, 50):
        if top / (step * power) <= 5:
            return step * power
    return 100 * power
