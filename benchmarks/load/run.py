"""A mixed load against a live ``talentgap serve``: 32 clients for 60 seconds asking for cached and
uncached forecasts, uploading, asking for reports and signing in, while a probe asks ``/health`` ten
times a second; regenerates README.md.

Passes when no answer is a 5xx, ``/health`` answers within 250 ms at the 99th percentile throughout,
the server's memory is flat after the warm-up (the last third's mean within 10 % of the first's), and the store
holds what the writes meant and nothing else: one version per upload that changed something, one
archived report per accepted request, the seed version's rows as they were, scratch results within
their bound. Exit status 1 when a check fails.

Usage: python benchmarks/load/run.py [--clients 32] [--seconds 60] [--warmup 15]
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import importlib.util
import json
import os
import platform
import random
import re
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SECTORS = ("semiconductor", "battery", "quantum", "6g", "security")
HEADER = "series_id,sector,metric,definition,occupation,education,region,year,value,unit,source_id\n"
#: The share of each kind of request in the mix (the rest of a client's turn is a cached forecast).
MIX = (("forecast_uncached", 0.12), ("upload", 0.05), ("report", 0.03), ("sign_in", 0.10), ("sectors", 0.10))


def _load_live():
    spec = importlib.util.spec_from_file_location("live", HERE.parents[1] / "tests" / "security" / "live.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["live"] = module
    spec.loader.exec_module(module)
    return module


live = _load_live()


class Client:
    """One keep-alive connection; returns (status, body bytes, headers, seconds)."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None):
        start = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                r = self.conn.getresponse()
                data = r.read()
                break
            except (http.client.HTTPException, ConnectionError, TimeoutError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 2:
                    return "error", b"", {}, time.perf_counter() - start
        hdrs = {k.lower(): v for k, v in r.getheaders()}
        if hdrs.get("connection", "").lower() == "close":
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        return r.status, data, hdrs, time.perf_counter() - start


def multipart(name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "talentgapload" + hashlib.sha1(content).hexdigest()[:12]
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


class Load:
    """The clients' shared record: latencies and statuses by kind, and what the writes did."""

    def __init__(self):
        self.lock = threading.Lock()
        self.results: dict[str, list[tuple[object, float]]] = defaultdict(list)
        self.new_versions = 0
        self.unchanged_uploads = 0
        self.reports_accepted: list[str] = []
        self.upload_seq = 0

    def record(self, kind: str, status: object, seconds: float) -> None:
        with self.lock:
            self.results[kind].append((status, seconds))


def run_client(port: int, keys: dict, load: Load, stop: threading.Event, seed: int) -> None:
    rng = random.Random(seed)
    c = Client(port)
    read = {"Authorization": f"Bearer {keys['university']}"}
    write = {"Authorization": f"Bearer {keys['analyst']}"}
    reporter = {"Authorization": f"Bearer {keys['reporter']}"}
    while not stop.is_set():
        roll, kind = rng.random(), "forecast_cached"
        for name, share in MIX:
            if roll < share:
                kind = name
                break
            roll -= share
        if kind == "forecast_cached":
            status, *_, s = c.request("GET", f"/api/v1/forecasts/{rng.choice(SECTORS)}", headers=read)
        elif kind == "forecast_uncached":
            lever = rng.randint(1, 999_999)  # a value no one asked for yet: computed, stored as scratch
            status, *_, s = c.request("GET", f"/api/v1/forecasts/{rng.choice(SECTORS)}?extra_graduates={lever}",
                                      headers=read)
        elif kind == "sectors":
            status, *_, s = c.request("GET", "/api/v1/sectors", headers=read)
        elif kind == "upload":
            with load.lock:
                load.upload_seq += 1
                seq = load.upload_seq
            # one upload in ten adds a row; the others send a row already there (no version is made)
            year = 2000 + (seq // 10 if seq % 10 == 0 else 0)
            row = f",battery,hires,load_test,,,,{year},{100 + year % 7},persons,bat-w01\n"
            body, ctype = multipart("load.csv", (HEADER + row).encode())
            status, data, _, s = c.request("POST", "/api/v1/datasets", body=body,
                                           headers={**write, "Content-Type": ctype})
            if status in (200, 201):
                with load.lock:
                    if json.loads(data).get("unchanged"):
                        load.unchanged_uploads += 1
                    else:
                        load.new_versions += 1
        elif kind == "report":
            body = json.dumps({"formats": ["html"], "sectors": [rng.choice(SECTORS)], "lang": "en"}).encode()
            status, data, _, s = c.request("POST", "/api/v1/reports", body=body,
                                           headers={**reporter, "Content-Type": "application/json"})
            if status == 202:
                with load.lock:
                    load.reports_accepted.append(json.loads(data)["id"])
        else:  # sign in through the form, as a browser does: the page, then the post with its token
            page_status, page, hdrs, s1 = c.request("GET", "/ui/login")
            token = re.search(rb'name="login_token" value="([^"]+)"', page)
            cookie = hdrs.get("set-cookie", "").split(";")[0]
            if page_status != 200 or token is None:
                status, s = page_status, s1
            else:
                form = f"key={keys['reporter']}&lang=en&login_token={token.group(1).decode()}".encode()
                status, _, _, s2 = c.request("POST", "/ui/login", body=form, headers={
                    "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
                    "Origin": f"http://127.0.0.1:{port}"})
                s = s1 + s2
        load.record(kind, status, s)


def probe_health(port: int, stop: threading.Event, samples: list) -> None:
    c = Client(port)
    while not stop.is_set():
        status, _, _, s = c.request("GET", "/api/v1/health")
        samples.append((time.monotonic(), status, s))
        time.sleep(0.1)


def sample_memory(server, stop: threading.Event, samples: list) -> None:
    while not stop.is_set():
        samples.append((time.monotonic(), server.rss_mb()))
        time.sleep(1.0)


def store_fingerprint(db: str) -> dict:
    """What the checks compare: versions, the seed version's rows, reports, stored results."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db)
    with engine.connect() as conn:
        seed_rows = conn.execute(text("SELECT series_id, year, value, unit, source_id FROM observation "
                                      "WHERE version_id = 1 ORDER BY series_id, year")).all()
        out = {"versions": conn.execute(text("SELECT count(*) FROM dataset_version")).scalar(),
               "seed_hash": hashlib.sha256(repr(seed_rows).encode()).hexdigest(),
               "reports": conn.execute(text("SELECT count(*) FROM report")).scalar(),
               "scratch": conn.execute(text("SELECT count(*) FROM stored_result WHERE NOT kept")).scalar(),
               "kept": conn.execute(text("SELECT count(*) FROM stored_result WHERE kept")).scalar(),
               "sessions": conn.execute(text("SELECT count(*) FROM ui_session")).scalar()}
    engine.dispose()
    return out


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def create_keys(server) -> dict:
    c = Client(server.port)
    keys = {}
    for role in ("analyst", "university", "reporter"):
        status, data, *_ = c.request("POST", "/api/v1/keys", body=json.dumps({"role": role, "name": f"load {role}"}).encode(),
                                     headers={"Authorization": f"Bearer {server.key}", "Content-Type": "application/json"})
        assert status == 201, (status, data)
        keys[role] = json.loads(data)["key"]
    return keys


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=15)
    args = parser.parse_args()
    load_avg = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="talentgap-load-") as tmp:
        server = live.start_server(Path(tmp))
        try:
            keys = create_keys(server)
            warm = Client(server.port)
            for sector in SECTORS:  # the cached forecasts, computed once
                warm.request("GET", f"/api/v1/forecasts/{sector}", headers={"Authorization": f"Bearer {keys['university']}"})
            # one report written before the clients start: the report libraries are loaded once per process
            auth = {"Authorization": f"Bearer {server.key}", "Content-Type": "application/json"}
            _, data, *_ = warm.request("POST", "/api/v1/reports", headers=auth,
                                       body=json.dumps({"formats": ["html"], "sectors": ["battery"]}).encode())
            report_id = json.loads(data)["id"]
            for _ in range(600):
                if json.loads(warm.request("GET", f"/api/v1/reports/{report_id}", headers=auth)[1])["status"] in (
                        "done", "failed"):
                    break
                time.sleep(0.5)
            before = store_fingerprint(server.db)
            stop = threading.Event()
            health: list = []
            memory: list = []
            load = Load()
            start = time.monotonic()
            threads = [threading.Thread(target=probe_health, args=(server.port, stop, health), daemon=True),
                       threading.Thread(target=sample_memory, args=(server, stop, memory), daemon=True)]
            threads += [threading.Thread(target=run_client, args=(server.port, keys, load, stop, i), daemon=True)
                        for i in range(args.clients)]
            for t in threads:
                t.start()
            time.sleep(args.warmup + args.seconds)
            stop.set()
            for t in threads:
                t.join(180)
            time.sleep(1.0)
            after = store_fingerprint(server.db)
            rss_end = server.rss_mb()
        finally:
            server.stop()
    measured_from = start + args.warmup
    rows = []
    for kind in ("forecast_cached", "forecast_uncached", "sectors", "upload", "report", "sign_in"):
        res = load.results.get(kind, [])
        statuses = defaultdict(int)
        for status, _ in res:
            statuses[status] += 1
        rows.append((kind, len(res), dict(statuses), percentile([s for _, s in res], 50),
                     percentile([s for _, s in res], 99)))
    five_xx = sum(n for _, _, st, _, _ in rows for s, n in st.items() if s == "error" or (isinstance(s, int) and s >= 500))
    health_after = [s for t, st, s in health if t >= measured_from]
    health_all = [s for _, _, s in health]
    health_bad = sum(1 for _, st, _ in health if st != 200)
    p99_health = percentile(health_after, 99)
    steady = [m for t, m in memory if t >= measured_from]
    third = max(1, len(steady) // 3)
    rss_warm, rss_last = (sum(steady[:third]) / third, sum(steady[-third:]) / third) if steady else (float("nan"),) * 2
    growth = (rss_last - rss_warm) / rss_warm * 100
    checks = {
        "no 5xx or dropped connection": five_xx == 0,
        "/health p99 < 250 ms after warm-up, and always 200": p99_health < 0.25 and health_bad == 0,
        "memory flat after warm-up (last third's mean < 10 % above the first's)": growth < 10,
        "versions: one per upload that changed something": after["versions"] == before["versions"] + load.new_versions,
        "the seed version's rows unchanged": after["seed_hash"] == before["seed_hash"],
        "reports: one per accepted request": after["reports"] == before["reports"] + len(load.reports_accepted),
        "scratch results within their bound (200)": after["scratch"] <= 200,
    }
    lines = [
        "# Benchmark: mixed load on a live server",
        "",
        "Regenerate with `python benchmarks/load/run.py` (this file is written by it; exit status 1 when a check "
        "fails).",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, load average "
        f"{load_avg:.1f} at the start (the machine is shared). One `talentgap serve` (uvicorn, one process, SQLite), "
        f"{args.clients} clients for {args.warmup:g} s of warm-up and {args.seconds:g} s measured, each on a "
        "keep-alive connection, choosing at random: a cached forecast (the rest of the mix), an uncached one "
        "(a lever value no one asked before, 12 %), the sector list (10 %), an upload (5 %: one in ten adds a "
        "row, the others send a row already there), a report request (3 %) and a sign-in through the form "
        "(10 %). A probe asks `/health` ten times a second throughout.",
        "",
        "| request | count | answers | p50 (ms) | p99 (ms) |",
        "|---|---:|---|---:|---:|",
    ]
    for kind, n, statuses, p50, p99 in rows:
        answers = ", ".join(f"{c} × {s}" for s, c in sorted(statuses.items(), key=lambda kv: str(kv[0])))
        lines.append(f"| {kind.replace('_', ' ')} | {n} | {answers} | {p50 * 1000:.0f} | {p99 * 1000:.0f} |")
    lines += [
        f"| /health (probe, after warm-up) | {len(health_after)} | {health_bad} not 200 over the whole run | "
        f"{percentile(health_after, 50) * 1000:.0f} | {p99_health * 1000:.0f} |",
        "",
        f"/health over the whole run, warm-up included: p99 {percentile(health_all, 99) * 1000:.0f} ms, slowest "
        f"{max(health_all) * 1000:.0f} ms. Server memory: {rss_warm:.0f} MB on average over the first third after "
        f"warm-up, {rss_last:.0f} MB over the last third ({growth:+.1f} %), {rss_end:.0f} MB at the end "
        f"(every 10 s after warm-up: {', '.join(f'{m:.0f}' for m in steady[::10])} MB). "
        f"Store: {before['versions']} → {after['versions']} versions ({load.new_versions} uploads changed something, "
        f"{load.unchanged_uploads} were already there), {after['reports'] - before['reports']} reports archived "
        f"({len(load.reports_accepted)} accepted; the rest 429 once the key had 5 waiting), {after['scratch']} "
        f"scratch and {after['kept']} kept results, {after['sessions']} web sessions.",
        "",
        "| check | result |",
        "|---|---|",
    ]
    lines += [f"| {name} | {'pass' if ok else 'FAIL'} |" for name, ok in checks.items()]
    lines.append("")
    (HERE / "README.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
