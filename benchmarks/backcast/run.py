"""Backcast of the stock-flow model on every sector and origin of the seed dataset; regenerates README.md.

For each sector with an observed stock series and each year of it that later figures follow
(:func:`talentgap.models.backcast.origins`), the trend model is fitted on the observations up to that
origin and its p10–p90 set beside every later observed stock (현원), shortage (부족인원) and shortage rate
(부족률) (:func:`talentgap.models.backcast.backcast`). An origin the model cannot be fitted from (e.g. a
growth-rates model before any growth rate is published) is listed as such. Writes ``results.csv`` (one row
per figure) and ``README.md``.

Usage: python benchmarks/backcast/run.py
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import pandas as pd

from talentgap.errors import TalentgapError
from talentgap.models.backcast import backcast, origins
from talentgap.models.sector import MODEL_VERSION
from talentgap.seeds.loader import seed_dataset
from talentgap.seeds.specs import sector_specs
from talentgap.seeds.vocab import SECTORS

HERE = Path(__file__).resolve().parent
TARGET = 0.75


def run() -> tuple[pd.DataFrame, list[str]]:
    obs = seed_dataset().observations
    specs = sector_specs()
    rows, skipped = [], []
    for sector in SECTORS:
        spec = specs[sector]
        own = obs[obs["sector"] == sector]
        found = origins(spec, own)
        if not found:
            skipped.append(f"{sector}: no observed stock with later figures (demand is an assumed level or one count)")
        for origin in found:
            try:
                b = backcast(spec=spec, observations=own, origin=origin)
            except TalentgapError as exc:
                skipped.append(f"{sector}, origin {origin}: not computable ({exc})")
                continue
            rows += [{"sector": sector, "origin": origin, **r.model_dump()} for r in b.rows]
    return pd.DataFrame(rows), skipped


def _n(v: float, metric: str) -> str:
    return f"{v:.1f}" if metric == "shortage_rate" else f"{v:,.0f}"


def readme(frame: pd.DataFrame, skipped: list[str]) -> str:
    total = frame["inside"].mean()
    lines = [
        "# Benchmark: backcast of the stock-flow model",
        "",
        "Regenerate with `python benchmarks/backcast/run.py` (this file and `results.csv` are written by it).",
        "",
        f"Python {platform.python_version()}, {MODEL_VERSION}, the seed dataset. For every sector and origin "
        "year, the trend model is fitted on the observations dated up to the origin (demand path, other inflow "
        "from the stock path, last 부족률) and its p10–p90 is set beside every stock (현원), shortage "
        "(부족인원) and shortage rate (부족률) observed after it on the series the model reads. A calibrated "
        "model has about 80 % of the figures inside. A stock series of fewer than four points reads its growth "
        "rate from few changes or none: its range k years ahead is σ·√(k(1 + k/T)), T the years it spans (1 for "
        "one point) and σ the thin-series spread of 10 % a year, the interval of a random walk with drift "
        "(FPP3 §5.2).",
        "",
        f"**Coverage: {frame['inside'].sum()} of {len(frame)} figures inside p10–p90 ({total:.0%}); target "
        f"≥ {TARGET:.0%}: {'met' if total >= TARGET else 'not met'}.**",
        "",
        "## By sector and metric",
        "",
        "| sector | metric | figures | inside | coverage |",
        "|---|---|---:|---:|---:|",
    ]
    for (sector, metric), g in frame.groupby(["sector", "metric"], sort=False):
        lines.append(f"| {sector} | {metric} | {len(g)} | {int(g['inside'].sum())} | {g['inside'].mean():.0%} |")
    lines += ["", "## Every figure", "",
              "| sector | origin | year | metric | observed | p10 | p50 | p90 | inside |",
              "|---|---:|---:|---|---:|---:|---:|---:|---|"]
    for r in frame.itertuples():
        lines.append(f"| {r.sector} | {r.origin} | {r.year} | {r.metric} | {_n(r.observed, r.metric)} | "
                     f"{_n(r.p10, r.metric)} | {_n(r.p50, r.metric)} | {_n(r.p90, r.metric)} | "
                     f"{'yes' if r.inside else 'no'} |")
    if skipped:
        lines += ["", "## Not backcast", ""] + [f"- {s}" for s in skipped]
    lines.append("")
    return "\n".join(lines)


def main() -> int:
    frame, skipped = run()
    frame.to_csv(HERE / "results.csv", index=False)
    (HERE / "README.md").write_text(readme(frame, skipped), encoding="utf-8")
    print(f"{frame['inside'].sum()} of {len(frame)} inside ({frame['inside'].mean():.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
