"""Cost of reading hostile and large uploads with ``read_upload``; regenerates README.md.

Each case builds its file in memory (seeded, synthetic), writes it to a temporary folder, and reads it
in a fresh subprocess with the default limits (``Settings``), which reports the outcome, its wall time
and how far its peak resident memory rose above the baseline (interpreter, imports and the file's
bytes already loaded). Usage: python benchmarks/uploads/run.py
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = ["series_id", "sector", "metric", "definition", "occupation", "education", "region", "year", "value",
          "unit", "source_id"]
SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'


def _load_hostile():
    """The hostile-file builders of the security tests (tests/security/hostile.py), loaded by path."""
    spec = importlib.util.spec_from_file_location("hostile", HERE.parents[1] / "tests" / "security" / "hostile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hostile = _load_hostile()

CHILD = """
import json, resource, sys, time
from pathlib import Path
from talentgap.data.files import UploadError, read_upload
from talentgap.data.settings import Settings
s = Settings()
content = Path(sys.argv[1]).read_bytes()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
try:
    frame = read_upload(content, Path(sys.argv[1]).name, max_bytes=s.max_upload_bytes, max_rows=s.max_upload_rows)
    outcome = f"accepted, {len(frame):,} rows"
except UploadError as exc:
    outcome = "refused: " + str(exc.problems[0]).split(" (got")[0].split(";")[0].removeprefix("file: ")
seconds = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"outcome": outcome, "seconds": seconds, "rss_mb": (peak - base) / 1024}))
"""


def data_row(i: int) -> list[object]:
    return [f"semiconductor.stock.kiat_itw.r{i % 997}", "semiconductor", "stock", "kiat_itw", "", "",
            f"r{i % 997}", 1950 + i % 150, (i * 7919) % 300_000, "persons", "t-w01"]


def workbook(chunks: Iterable[bytes]) -> bytes:
    """An XLSX whose only sheet is the given row chunks (the tests' builder, without an XML declaration)."""
    return hostile.workbook_with_sheet(chunks, head=SHEET_HEAD)


def distinct_rows(n: int) -> Iterable[bytes]:
    yield hostile.inline_row(1, HEADER)
    for start in range(2, n + 2, 10_000):
        yield b"".join(hostile.inline_row(i, data_row(i)) for i in range(start, min(start + 10_000, n + 2)))


def bomb() -> bytes:
    """The issue's shape: a sheet of about 210 MB (420,000 identical rows, no row numbers) packed
    into well under a megabyte."""
    block = hostile.inline_row(None, data_row(1)) * 1000
    return workbook([hostile.inline_row(1, HEADER), *[block] * 420])


def declared() -> bytes:
    """A small workbook whose central directory says the sheet unpacks to 3,000,000,000 bytes."""
    return hostile.declare_size(workbook(distinct_rows(10)), SHEET, 3_000_000_000)


def csv_rows(n: int) -> bytes:
    lines = [",".join(HEADER)] + [",".join(str(v) for v in data_row(i)) for i in range(2, n + 2)]
    return ("\n".join(lines) + "\n").encode()


def shared_string_amplifier() -> bytes:
    """The issue's workbook: 1,100 cells all citing one 1,000,000-character shared string."""
    return hostile.shared_string_amplifier(HEADER, cells=1100, length=1_000_000)


CASES: list[tuple[str, str, Callable[[], bytes]]] = [
    ("XLSX bomb: 420,000 identical rows", "bomb.xlsx", bomb),
    ("XLSX: 1,100 cells citing one 1,000,000-character shared string", "shared.xlsx", shared_string_amplifier),
    ("XLSX bomb, declared: one member claims 3 GB", "declared.xlsx", declared),
    ("XLSX, 250,000 distinct rows (past the row cap)", "rows250k.xlsx", lambda: workbook(distinct_rows(250_000))),
    ("XLSX, 200,000 distinct rows (at the cap)", "rows200k.xlsx", lambda: workbook(distinct_rows(200_000))),
    ("CSV, 200,000 rows (at the cap)", "rows200k.csv", lambda: csv_rows(200_000)),
]


IMPORT_CHILD = """
import json, resource, sys, time
from pathlib import Path
from talentgap.data.store import Store
store = Store.open(sys.argv[2])
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
result = store.import_file(Path(sys.argv[1]))
seconds = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"outcome": f"version {result.version}, {result.added_rows:,} rows added", "seconds": seconds,
                  "rss_mb": (peak - base) / 1024}))
"""


def import_row(i: int) -> list[object]:
    """A row of a semiconductor stock series by region: 1,999 regions × 150 years, no key twice below
    299,850 rows (1,999 and 150 share no factor)."""
    return [f"semiconductor.stock.kiat_itw.r{i % 1999}", "semiconductor", "stock", "kiat_itw", "", "",
            f"r{i % 1999}", 1950 + i % 150, 80_000 + (i * 7919) % 30_000, "persons", "semi-w01"]


def import_csv(n: int) -> bytes:
    lines = [",".join(HEADER)] + [",".join(str(v) for v in import_row(i)) for i in range(2, n + 2)]
    return ("\n".join(lines) + "\n").encode()


IMPORTS = [("CSV, 50,000 rows", 50_000), ("CSV, 200,000 rows (at the cap)", 200_000)]


def run_imports(tmp: str) -> list[tuple[str, int, dict]]:
    """``Store.import_file`` of each file into a fresh SQLite store (read, validate, write, activate)."""
    rows = []
    for label, n in IMPORTS:
        path = Path(tmp) / f"import{n}.csv"
        path.write_bytes(import_csv(n))
        db = f"sqlite:///{tmp}/import{n}.db"
        res = subprocess.run([sys.executable, "-c", IMPORT_CHILD, str(path), db], capture_output=True, text=True,
                             check=True)
        result = json.loads(res.stdout)
        rows.append((label, path.stat().st_size, result))
        print(label, result, file=sys.stderr)
    return rows


def sheet_size(content: bytes) -> int:
    if content[:2] != b"PK":
        return len(content)
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return z.getinfo(SHEET).file_size


def pandas_version() -> str:
    from importlib.metadata import version

    return version("pandas")


def main() -> None:
    load = os.getloadavg()[0]
    rows = []
    with tempfile.TemporaryDirectory(prefix="talentgap-upload-bench-") as tmp:
        for label, name, build in CASES:
            content = build()
            path = Path(tmp) / name
            path.write_bytes(content)
            res = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,
                                 check=True, env={**os.environ, "TALENTGAP_DATABASE_URL": f"sqlite:///{tmp}/x.db"})
            result = json.loads(res.stdout)
            rows.append((label, len(content), sheet_size(content), result))
            print(label, result, file=sys.stderr)
        imports = run_imports(tmp)
    lines = [
        "# Benchmark: reading uploads",
        "",
        "Regenerate with `python benchmarks/uploads/run.py` (this file is written by it).",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
        f"pandas {pandas_version()}, load average {load:.1f} at the start (the machine is shared; times "
        "scale with it); "
        "`read_upload` with the default limits (20 MB file, 200,000 rows, 256 MiB unpacked), in a fresh "
        "process per case; memory is the rise of the peak resident set over the process with the file "
        "already read into memory.",
        "",
        "| file | size (MB) | unpacked sheet (MB) | outcome | seconds | + peak memory (MB) |",
        "|---|---:|---:|---|---:|---:|",
    ]
    for label, size, unpacked, r in rows:
        lines.append(f"| {label} | {size / 1e6:.2f} | {unpacked / 1e6:.0f} | {r['outcome']} | {r['seconds']:.2f} | "
                     f"{r['rss_mb']:.0f} |")
    lines += [
        "",
        "## Importing",
        "",
        "`Store.import_file` into a fresh SQLite store (the seed dataset loaded): read, validate, store the "
        "rows as a new version and activate it, in a fresh process per file; memory as above.",
        "",
        "| file | size (MB) | outcome | seconds | + peak memory (MB) |",
        "|---|---:|---|---:|---:|",
    ]
    for label, size, r in imports:
        lines.append(f"| {label} | {size / 1e6:.2f} | {r['outcome']} | {r['seconds']:.2f} | {r['rss_mb']:.0f} |")
    lines += [
        "",
        "Before (issue 21, item 5): validation wrote each row's cells back into the frame one at a time "
        "(``DataFrame.iat``, slow on pandas' object columns and slower still on Arrow-backed strings) and "
        "built its messages row by row (commit 395c4e0, measured once on this machine): the 50,000-row file "
        "took 13.1 s with pandas 2.3, and with pandas 3.1 (Arrow-backed strings) 25,000 rows took 45.1 s "
        "(the issue measured about 11 minutes at 200,000 rows). Each check now runs once per distinct "
        "value of its column, and rows are stored with one executemany per 5,000 (200,000 rows: 21.7 s "
        "with pandas 3.1, measured once).",
        "",
        "Before (hardening issue): the 921 KB bomb with a 210 MB sheet cost 85.6 s of CPU and +508 MB "
        "before its 422, because openpyxl's read-only mode parses a whole sheet that declares no "
        "dimension just to size it, then every row was read before the row cap was checked.",
        "",
        "Reading a real sheet costs a fraction of a millisecond a row (expat through ElementTree, one row "
        "at a time; openpyxl's read-only mode took 1.6 times as long on the same 20,000-row file), so a "
        "file at the row cap takes tens of seconds (table above): uploads are parsed off the event loop.",
        "",
    ]
    (HERE / "README.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
