"""Speed of `talentgap series forecast` for 100, 1,000 and 10,000 series; regenerates README.md.

Synthetic annual series (seeded): 3–15 points each, log-normal growth paths, one year in ten missing.
Each size runs the real command end to end in a subprocess; wall time and the child's peak memory are
recorded. Usage: python benchmarks/forecast/run.py [--sizes 100 1000 10000]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent


def synthetic(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        length = int(rng.integers(3, 16))
        start = int(rng.integers(2000, 2015))
        level = float(rng.uniform(100, 100_000))
        growth = rng.normal(0.04, 0.03)
        values = level * np.exp(np.cumsum(rng.normal(growth, 0.05, length)))
        for k, v in enumerate(values):
            if k not in (0, length - 1) and rng.random() < 0.1:
                continue  # a gap year
            rows.append((f"s{i:05d}", start + k, round(float(v), 1)))
    return pd.DataFrame(rows, columns=["series_id", "year", "value"])


def run(n: int, workdir: Path) -> dict:
    src, out = workdir / f"in_{n}.csv", workdir / f"out_{n}.csv"
    synthetic(n).to_csv(src, index=False)
    exe = Path(sys.executable).with_name("talentgap")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run([str(exe), "series", "forecast", "--input", str(src), "--horizon", "10", "--output", str(out)],
                   check=True, capture_output=True)
    seconds = time.perf_counter() - t0
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    result = pd.read_csv(out)
    assert result["series_id"].nunique() == n and len(result) == 10 * n
    return {"series": n, "seconds": seconds, "series_per_s": n / seconds, "peak_mb": peak,
            "models": result.drop_duplicates("series_id")["model"].value_counts().to_dict()}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = [run(n, Path(tmp)) for n in args.sizes]
    lines = [
        "# Benchmark: `talentgap series forecast`",
        "",
        "Regenerate with `python benchmarks/forecast/run.py` (this file is written by it).",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}. "
        "Synthetic series of 3–15 annual points with gap years, 10-year horizon, 80 % intervals, "
        "end to end (CSV in, CSV out, process start included).",
        "",
        "| series | seconds | series/s | peak memory (MB) | models used |",
        "|---:|---:|---:|---:|---|",
    ]
    for r in results:
        models = ", ".join(f"{k} {v}" for k, v in sorted(r["models"].items()))
        lines.append(f"| {r['series']:,} | {r['seconds']:.1f} | {r['series_per_s']:,.0f} | {r['peak_mb']:.0f} | {models} |")
    lines += ["", "Target (PRODUCT.md §6): 10,000 series in under a minute on 2 cores.", ""]
    (HERE / "README.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
