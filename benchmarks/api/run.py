"""Throughput and latency of the HTTP API: a cached forecast against /health, with the same client.

Starts `talentgap serve` on a fresh SQLite database, creates a key, computes the forecast once (the
first request), then runs wrk (Debian package `wrk`) against both routes at 8 and 64 connections and
rewrites README.md with the table. Usage: python benchmarks/api/run.py [--seconds 10] [--sector battery]
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--sector", default="semiconductor")
    args = ap.parse_args()
    exe = str(Path(sys.executable).with_name("talentgap"))
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{tmp}/bench.db"
        key = subprocess.run([exe, "keys", "create", "--role", "reporter", "--name", "bench", "--db", db],
                             capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        server = subprocess.Popen([exe, "serve", "--port", str(PORT), "--db", db],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{PORT}/api/v1"
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            req = urllib.request.Request(f"{base}/forecasts/{args.sector}", headers={"Authorization": f"Bearer {key}"})
            t0 = time.perf_counter()
            urllib.request.urlopen(req, timeout=120).read()
            first = time.perf_counter() - t0
            rows = []
            for connections in (8, 64):
                for name, url in (("GET /health", f"{base}/health"),
                                  (f"GET /forecasts/{args.sector} (cached)", f"{base}/forecasts/{args.sector}")):
                    rows.append((name, connections, wrk(url, key, connections, args.seconds)))
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
        f"First request for the forecast (computed and stored): {first * 1000:.0f} ms.",
        "",
        "| route | connections | requests/s | p50 latency (ms) | p99 latency (ms) | non-2xx |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, c, r in rows:
        lines.append(f"| {name} | {c} | {r['rps']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['non2xx']} |")
    lines += ["", "Targets (issue: HTTP API): cached forecast within 2× the latency of /health, and at least "
              "1,000 requests/s at 8 connections.", ""]
    (HERE / "README.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
