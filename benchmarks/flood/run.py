"""Memory and connection time under unauthenticated body floods, against a live ``talentgap serve``;
regenerates README.md.

Each case opens its connections at once against a fresh server (SQLite, default settings) and reports
the server's peak resident memory above where it started, the longest time any connection stayed
open, and what the clients got back. The flood client is the security tests' (tests/security/live.py).
Usage: python benchmarks/flood/run.py
"""

from __future__ import annotations

import importlib.util
import os
import platform
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load_live():
    spec = importlib.util.spec_from_file_location("live", HERE.parents[1] / "tests" / "security" / "live.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["live"] = module
    spec.loader.exec_module(module)
    return module


live = _load_live()

CASES = [
    ("120 × POST /ui/login, Content-Length 21,000,000, 19 MiB sent", "/ui/login", {"declared": 21_000_000}),
    ("120 × POST /ui/login, chunked, 19 MiB sent", "/ui/login", {"declared": None}),
    ("120 × POST /ui/login, 1,000 of 8,000 bytes sent, then nothing", "/ui/login",
     {"declared": 8000, "stall_after": 1000}),
    ("120 × POST /ui/data/upload without a session, 19 MiB", "/ui/data/upload", {"declared": 19 * 1024 * 1024}),
]


def main() -> None:
    rows = []
    for label, path, kw in CASES:
        with tempfile.TemporaryDirectory(prefix="talentgap-flood-") as tmp:
            server = live.start_server(Path(tmp))
            try:
                result = live.flood(server, path, connections=120, body_mb=19, **kw)
                health = server.get("/api/v1/health", timeout=10)[0]
            finally:
                server.stop()
        rows.append((label, result, health))
        print(label, result, file=sys.stderr)
    lines = [
        "# Benchmark: body floods without a key",
        "",
        "Regenerate with `python benchmarks/flood/run.py` (this file is written by it).",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}; one "
        "`talentgap serve` (uvicorn, SQLite) per case, default settings; 120 client connections opened at "
        "once on loopback, none with a key or session. Memory is the server's peak resident set above its "
        "resident set before the flood (sampled every 0.1 s).",
        "",
        "| case | server + peak memory (MB) | longest open connection (s) | answers | /health after |",
        "|---|---:|---:|---|---:|",
    ]
    for label, r, health in rows:
        answers = ", ".join(f"{n} × {s}" for s, n in sorted(r.statuses.items(), key=lambda kv: str(kv[0])))
        lines.append(f"| {label} | {r.rss_growth:.0f} | {r.longest_open:.1f} | {answers} | {health} |")
    lines += [
        "",
        "`reset`: the server closed the connection while the client was still sending (after its 413 or "
        "303, which the client had not read yet). The limits: the sign-in form 8 KiB, other forms 256 KiB, "
        "JSON bodies 1 MiB, uploads 20 MiB; a body has 20 s to arrive (uploads more, in proportion to their "
        "size) and is dropped after 10 s without a byte; a form other than sign-in needs a session before "
        "its body is read.",
        "",
        "Before (commit 395c4e0, the same flood client on this machine): the guard read every body up to "
        "the upload limit on paths it did not key-check, with no time limit. The first case grew the server "
        "by 2,310 MB and no connection was answered before the clients gave up after 60 s (71 s open); the "
        "stalled connections were still open when the clients gave up at 60 s.",
        "",
    ]
    (HERE / "README.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
