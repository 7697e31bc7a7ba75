"""Speed and size of the versioned store, in process; regenerates README.md.

Two datasets: the built-in seed, and a synthetic one of 1,000,000 observations (5 sectors × 4,000
series × 50 years, seeded). For each: p50/p99 of the reads behind ``GET /sectors`` (sector counts)
and ``GET /sectors/{sector}`` (series list), of a one-sector snapshot (a forecast's input), of the
cheapest read (the active version id, a floor comparable to ``/health``) and of the way the routes
answered before (every observation of the active version, grouped in pandas). Then imports into the
large dataset: 1,000 changed rows, and the same 1,000 rows again (nothing changes), with the rows
each version stored and the database size before and after.

Usage: python benchmarks/store/run.py [--postgres URL] [--observations 1000000] [--repeat 50]
(``--postgres`` runs everything on that database as well; its tables are dropped first.)
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import create_engine, text

from talentgap.data.store import Store
from talentgap.seeds.loader import SeedDataset, seed_dataset
from talentgap.seeds.validate import series_id_for

HERE = Path(__file__).resolve().parent
SECTORS = ("semiconductor", "battery", "quantum", "6g", "security")
METRICS = ("stock", "openings", "hires", "separations")
EDUCATION = ("high_school", "junior_college", "bachelor", "master")
YEARS = 50


def synthetic(n_obs: int, seed: int = 0) -> SeedDataset:
    """``n_obs`` observations (rounded to whole series of 50 years) as a seed dataset."""
    per_sector = n_obs // (len(SECTORS) * YEARS)
    regions = max(1, per_sector // (len(METRICS) * len(EDUCATION) * 10))
    keys = [(s, m, "bench", f"occ{o:02d}", e, f"r{r:03d}") for s in SECTORS for m in METRICS for o in range(10)
            for e in EDUCATION for r in range(regions)][: per_sector * len(SECTORS)]
    series = pd.DataFrame(keys, columns=["sector", "metric", "definition", "occupation", "education", "region"])
    series["series_id"] = [series_id_for(*k) for k in keys]
    frame = series.loc[series.index.repeat(YEARS)].reset_index(drop=True)
    frame["year"] = np.tile(np.arange(2024 - YEARS + 1, 2025), len(series))
    frame["value"] = np.random.default_rng(seed).integers(100, 100_000, len(frame)).astype(float)
    frame["unit"], frame["source_id"] = "persons", "bench"
    sources = pd.DataFrame([{"source_id": "bench", "kind": "url", "ref": "https://example.org/bench", "lines": "",
                             "publisher": "", "published": "", "description": "synthetic benchmark data"}])
    definitions = pd.DataFrame([{"sector": s, "definition": "bench", "label_en": "Synthetic", "label_ko": "합성",
                                 "description": "benchmark"} for s in SECTORS])
    return SeedDataset(observations=frame, sources=sources, definitions=definitions,
                       categories=pd.DataFrame(columns=["kind", "id", "label_en", "label_ko", "source_id", "sector"]))


def timed(fn: Callable[[], object], repeat: int, *, warm: bool = True) -> tuple[float, float]:
    """p50 and p99 wall time of ``fn`` in milliseconds (after one warm-up call, if ``warm``)."""
    if warm:
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.99 * len(times)))]


def old_sectors(store: Store) -> object:
    """How ``GET /sectors`` answered before: all observations of the active version, grouped in pandas."""
    obs = store.observations()
    return obs.groupby("sector").agg(series=("series_id", "nunique"), observations=("year", "size"))


def reads(store: Store, sector: str, repeat: int) -> list[tuple[str, float, float]]:
    rows = [("active version id (floor)", *timed(store.active_version, repeat)),
            ("sector counts (`GET /sectors`)", *timed(store.sector_summaries, repeat)),
            (f"series list of {sector} (`GET /sectors/{{sector}}`)",
             *timed(lambda: store.sector_detail(sector), repeat)),
            (f"snapshot of {sector}'s observations", *timed(lambda: store.snapshot(sector=sector), max(3, repeat // 10)))]
    rows.append(("before: all observations + pandas (`GET /sectors`)",
                 *timed(lambda: old_sectors(store), 3, warm=False)))
    return rows


def db_bytes(store: Store) -> int:
    if store.engine.dialect.name == "sqlite":
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return os.path.getsize(store.url.removeprefix("sqlite:///"))
    with store.engine.connect() as conn:
        return int(conn.scalar(text("SELECT pg_database_size(current_database())")))


def changed_rows(store: Store, n: int, bump: float) -> pd.DataFrame:
    """``n`` existing observations of the active version with their value raised by ``bump``, as upload text."""
    obs = store.snapshot(sector="battery").observations.iloc[:: max(1, 200_000 // n)].head(n).copy()
    obs["value"] = (obs["value"] + bump).map(lambda v: f"{v:g}")
    obs["year"] = obs["year"].astype(str)
    return obs.astype(str)


def imports(store: Store) -> list[dict]:
    out = []
    upload = changed_rows(store, 1000, 1)
    for label, frame in (("1,000 changed rows", upload), ("the same 1,000 rows again (no change)", upload)):
        before = db_bytes(store)
        t0 = time.perf_counter()
        result = store.import_frame(frame, origin=f"benchmark: {label}")
        seconds = time.perf_counter() - t0
        after = db_bytes(store)
        out.append({"import": label, "seconds": seconds, "version": result.version, "row_count": result.row_count,
                    "stored_rows": result.stored_rows, "before_mb": before / 1e6, "growth_kb": (after - before) / 1e3})
    return out


def fresh_postgres(url: str) -> str:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    return url


def bench(database: str, url_for: Callable[[str], str], n_obs: int, repeat: int) -> tuple[list, list, dict]:
    results = []
    seed_store = Store.open(url_for("seed"), seed=seed_dataset())
    results += [(database, "seed", *r) for r in reads(seed_store, "semiconductor", repeat)]
    seed_store.engine.dispose()
    t0 = time.perf_counter()
    big = synthetic(n_obs)
    store = Store.open(url_for("large"), seed=big)
    load = {"database": database, "observations": len(big.observations), "seconds": time.perf_counter() - t0,
            "mb": db_bytes(store) / 1e6}
    results += [(database, f"{len(big.observations):,} observations", *r) for r in reads(store, "battery", repeat)]
    rows = [{"database": database, **r} for r in imports(store)]
    store.engine.dispose()
    return results, rows, load


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--postgres", default="", help="also run on this PostgreSQL URL (its tables are dropped)")
    ap.add_argument("--observations", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()
    tables, imported, loads = [], [], []
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        runs = [("SQLite", lambda name: f"sqlite:///{tmp}/{name}.db")]
        if args.postgres:
            runs.append(("PostgreSQL", lambda name: fresh_postgres(args.postgres)))
        for database, url_for in runs:
            r, i, load = bench(database, url_for, args.observations, args.repeat)
            tables += r
            imported += i
            loads.append(load)
            print(database, "done", file=sys.stderr)
    write_readme(tables, imported, loads, args, (load_before, os.getloadavg()[0]))


def write_readme(tables: list, imported: list, loads: list, args, load: tuple[float, float]) -> None:
    lines = ["# Benchmark: the versioned store", "",
             "Regenerate with `python benchmarks/store/run.py [--postgres URL]` (this file is written by it).", "",
             f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}; "
             "in process (no HTTP), one thread; SQLite file in WAL mode"
             + (", PostgreSQL on loopback" if args.postgres else "") + ". "
             "The large dataset is synthetic: 5 sectors × 4,000 series × 50 years (`synthetic()` in run.py). "
             f"Load average (1 min) at the start and end of the run: {load[0]:.1f} and {load[1]:.1f} "
             "(other work shared the cores: a quiet machine gives lower numbers).", "",
             "## Reads", "",
             "| database | dataset | read | p50 (ms) | p99 (ms) |", "|---|---|---|---:|---:|"]
    lines += [f"| {db} | {ds} | {what} | {p50:.2f} | {p99:.2f} |" for db, ds, what, p50, p99 in tables]
    lines += ["", "## Imports into the large dataset", "",
              "| database | import | seconds | rows in the version | rows stored | database before (MB) "
              "| growth (kB) |", "|---|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['database']} | {r['import']} | {r['seconds']:.2f} | {r['row_count']:,} | {r['stored_rows']:,} "
              f"| {r['before_mb']:.1f} | {r['growth_kb']:,.0f} |" for r in imported]
    lines += ["", "Loading the large dataset as version 1: "
              + "; ".join(f"{x['database']} {x['observations']:,} rows in {x['seconds']:.0f} s, {x['mb']:.0f} MB"
                          for x in loads) + ".", "",
              "Targets (issue 11 item 9): the list and detail reads within 2× of the floor on the seed data and "
              "under 50 ms p50 on the large dataset; an import of 1,000 changed rows stores about 1,000 rows "
              "(before, every version stored a full copy: a million rows here)."]
    (HERE / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
