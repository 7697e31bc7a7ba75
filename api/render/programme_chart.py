"""A small inline SVG of a programme's outlook: openings per graduate by year, the 80 % range as a band
and the median as a line, against the line of one opening per graduate (balance). Text is 14 px (12 px or more at 350 px wide) and the
chart is an image with a title and a description for screen readers."""

from __future__ import annotations

from html import escape

from talentgap.i18n import translator

from .numbers import num, plain

W, H = 400, 230
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 14, 40


def programme_chart_svg(outlook: list[dict], lang: str, *, desc: str = "", chart_id: str = "programme-chart") -> str:
    """The outlook (``[{year, openings_per_graduate: {p10, p50, p90}}]``) as an SVG string ("" if empty)."""
    if not outlook:
        return ""
    t = translator(lang)
    years = [o["year"] for o in outlook]
    q = [o["openings_per_graduate"] for o in outlook]
    top = max(1.2, max(v["p90"] for v in q)) * 1.08
    span = max(1, years[-1] - years[0])

    def x(year: float) -> float:
        return LEFT + (W - LEFT - RIGHT) * (year - years[0]) / span

    def y(value: float) -> float:
        return TOP + (H - TOP - BOTTOM) * (1 - max(0.0, value) / top)

    step = _step(top)
    ticks = [i * step for i in range(int(top / step) + 1)]
    parts = [f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#e3e7ec"/>'
             f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="14" fill="#444">'
             f'{escape(num(v, lang, 0 if step >= 1 else 2 if step < 0.5 else 1))}</text>' for v in ticks]
    every = max(1, round(len(years) / 6))
    parts += [f'<text x="{x(yr):.1f}" y="{H - BOTTOM + 16}" text-anchor="middle" font-size="14" fill="#444">{yr}</text>'
              for i, yr in enumerate(years) if i % every == 0 or yr == years[-1]]
    band = [f"{x(yr):.1f},{y(v['p90']):.1f}" for yr, v in zip(years, q)]
    band += [f"{x(yr):.1f},{y(v['p10']):.1f}" for yr, v in reversed(list(zip(years, q)))]
    parts.append(f'<path d="M{" L".join(band)} Z" fill="#9cc3e6" fill-opacity="0.45"/>')
    line = " L".join(f"{x(yr):.1f},{y(v['p50']):.1f}" for yr, v in zip(years, q))
    parts.append(f'<path d="M{line}" fill="none" stroke="#1f5f99" stroke-width="2.5"/>')
    parts.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(1):.1f}" y2="{y(1):.1f}" stroke="#7a1c1c" '
                 f'stroke-dasharray="5 4" stroke-width="1.5"/>')
    parts.append(f'<text x="{W - RIGHT}" y="{y(1) - 6:.1f}" text-anchor="end" font-size="14" fill="#7a1c1c">'
                 f'{escape(t("chart.balance_line"))}</text>')
    last = q[-1]["p50"]
    parts.append(f'<text x="{x(years[-1]) - 4:.1f}" y="{y(last) - 8:.1f}" text-anchor="end" font-size="14" '
                 f'fill="#1f5f99">{escape(t("chart.openings_per_graduate"))}</text>')
    parts.append(f'<text x="{LEFT}" y="{H - 6}" font-size="14" fill="#444">{escape(t("chart.band_80"))}</text>')
    title = t("chart.programme_title")
    return (f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" viewBox="0 0 {W} {H}" width="100%" '
            f'style="max-width:{W}px" xmlns="http://www.w3.org/2000/svg" id="{chart_id}">'
            f'<title id="{chart_id}-t">{escape(title)}</title><desc id="{chart_id}-d">{escape(plain(desc))}</desc>'
            + "".join(parts) + "</svg>")


def _step(top: float) -> float:
    for step in (0.25, 0.5, 1, 2, 5, 10, 20, 50):
        if top / step <= 6:
            return step
    return 100.0
