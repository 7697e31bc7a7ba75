"""Throughput and latency of the HTTP API against /health, with the same client: the sector list and a
sector's series (on the seed data and on a 1,000,000-observation dataset) and a cached forecast.

Starts `talentgap serve` on a fresh SQLite database, creates a key, computes the forecast once (the
first request), then runs wrk (Debian package `wrk`) against each route at 8 and 64 connections; then
builds the large synthetic dataset (`synthetic()` of benchmarks/store) and runs the sector routes on it.
Rewrites README.md with the table. Usage: python benchmarks/api/run.py [--seconds 10] [--large 1000000]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
PORT = 8765


def wrk(url: str, key: str, connections: int, seconds: int) -> dict:
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency",
                          "-H", f"Authorization: Bearer {key}", url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p: str) -> float:
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": pct("50"), "p99": pct("99"), "non2xx": int(errors.group(1)) if errors else 0}


def serve(exe: str, db: str) -> tuple[subprocess.Popen, str]:
    key = subprocess.run([exe, "keys", "create", "--role", "reporter", "--name", "bench", "--db", db],
                         capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    server = subprocess.Popen([exe, "serve", "--port", str(PORT), "--db", db],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/v1/health", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    return server, key


def synthetic(n_obs: int):
    """The store benchmark's synthetic dataset (5 sectors × series × years)."""
    spec = importlib.util.spec_from_file_location("store_bench", HERE.parent / "store" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.synthetic(n_obs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--sector", default="semiconductor")
    ap.add_argument("--large", type=int, default=1_000_000, help="observations in the large dataset (0: skip)")
    args = ap.parse_args()
    exe = str(Path(sys.executable).with_name("talentgap"))
    base = f"http://127.0.0.1:{PORT}/api/v1"
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        server, key = serve(exe, f"sqlite:///{tmp}/bench.db")
        try:
            req = urllib.request.Request(f"{base}/forecasts/{args.sector}", headers={"Authorization": f"Bearer {key}"})
            t0 = time.perf_counter()
            urllib.request.urlopen(req, timeout=120).read()
            first = time.perf_counter() - t0
            for connections in (8, 64):
                for name, url in (("GET /health", f"{base}/health"), ("GET /sectors", f"{base}/sectors"),
                                  (f"GET /sectors/{args.sector}", f"{base}/sectors/{args.sector}"),
                                  (f"GET /forecasts/{args.sector} (cached)", f"{base}/forecasts/{args.sector}")):
                    rows.append(("seed", name, connections, wrk(url, key, connections, args.seconds)))
        finally:
            server.terminate()
            server.wait(timeout=10)
        if args.large:
            from talentgap.data.store import Store

            db = f"sqlite:///{tmp}/large.db"
            t0 = time.perf_counter()
            Store.open(db, seed=synthetic(args.large)).engine.dispose()
            built = time.perf_counter() - t0
            server, key = serve(exe, db)
            label = f"{args.large:,} observations"
            try:
                for name, url in (("GET /health", f"{base}/health"), ("GET /sectors", f"{base}/sectors"),
                                  ("GET /sectors/battery", f"{base}/sectors/battery")):
                    rows.append((label, name, 8, wrk(url, key, 8, args.seconds)))
            finally:
                server.terminate()
                server.wait(timeout=10)
    lines = [
        "# Benchmark: HTTP API",
        "",
        "Regenerate with `python benchmarks/api/run.py` (this file is written by it).",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}; one "
        f"`talentgap serve` process (uvicorn) on SQLite; client: wrk, 2 threads, {args.seconds} s per row, on the "
        "same machine (server and client share the 2 cores).",
        "",
        f"First request for the forecast (computed and stored): {first * 1000:.0f} ms."
        + (f" The large dataset (synthetic, benchmarks/store) was loaded in {built:.0f} s." if args.large else ""),
        "",
        "| dataset | route | connections | requests/s | p50 latency (ms) | p99 latency (ms) | non-2xx |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for data, name, c, r in rows:
        lines.append(f"| {data} | {name} | {c} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['non2xx']} |")
    lines += ["", "Targets: cached forecast, sector list and sector series within 2× the latency of /health at 8 "
              "connections on the seed data; the sector routes under 50 ms p50 on the large dataset (issue: "
              "hardening). Storage per version: benchmarks/store.", ""]
    (HERE / "README.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
