"""A real ``talentgap serve`` process on a loopback port, for tests that need the HTTP server itself
(streamed bodies, memory, crashes): started with its own SQLite file and reports folder."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    proc: subprocess.Popen
    port: int
    key: str
    db: str
    reports: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rss_mb(self) -> float:
        """Resident memory of the server process, in MB (Linux /proc)."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")

    def get(self, path: str, key: str | None = None, timeout: float = 30) -> tuple[int, bytes]:
        req = urllib.request.Request(self.url + path, headers={"Authorization": f"Bearer {key or self.key}"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as in a crash."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def start_server(tmp: Path, *, db: str | None = None, key: str | None = None, env: dict | None = None) -> LiveServer:
    """Start ``talentgap serve`` and wait until ``/health`` answers; the admin key is read from its
    first-start output (or passed in for a database that already has one)."""
    port = free_port()
    db = db or f"sqlite:///{tmp / 'live.db'}"
    reports = tmp / "reports"
    full_env = {**os.environ, "TALENTGAP_REPORTS_DIR": str(reports), **(env or {})}
    proc = subprocess.Popen([sys.executable, "-m", "talentgap.api.cli", "serve", "--port", str(port), "--db", db],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=full_env)
    deadline = time.monotonic() + 120
    while key is None and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            raise RuntimeError("server exited before printing a key")
        if line.startswith("admin key: "):
            key = line.split(": ", 1)[1].strip()
    # drain the rest of the output so the server never blocks on a full pipe
    import threading

    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
    server = LiveServer(proc, port, key or "", db, reports)
    while time.monotonic() < deadline:
        try:
            if server.get("/api/v1/health", timeout=2)[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError("server did not answer /health in time")


@dataclass
class FloodResult:
    """What ``connections`` hostile clients met: the server's statuses, the longest time a connection
    stayed open, and the server's resident memory before and at its peak (MB)."""

    statuses: dict
    longest_open: float
    rss_before: float
    rss_peak: float

    @property
    def rss_growth(self) -> float:
        return self.rss_peak - self.rss_before


def flood(server: LiveServer, path: str, *, connections: int = 120, body_mb: float = 19, declared: int | None = None,
          stall_after: int | None = None, timeout: float = 60) -> FloodResult:
    """Open ``connections`` at once, each posting ``body_mb`` MiB to ``path`` without a key (with
    ``Content-Length: declared``, or chunked when ``declared`` is None); with ``stall_after``, each sends
    that many body bytes and then nothing. Memory is sampled every 0.1 s while they run."""
    import threading

    block = b"k" * 65536
    statuses: dict = {}
    open_for: list[float] = []
    lock = threading.Lock()
    stop = threading.Event()
    peak = [server.rss_mb()]
    before = peak[0]

    def sample() -> None:
        while not stop.is_set():
            try:
                peak[0] = max(peak[0], server.rss_mb())
            except (OSError, RuntimeError):
                pass
            time.sleep(0.1)

    def one() -> None:
        start = time.monotonic()
        status = "closed"
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
                length = f"Content-Length: {declared}\r\n" if declared is not None else "Transfer-Encoding: chunked\r\n"
                sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded"
                             f"\r\n{length}\r\n".encode())
                total = int(body_mb * 1024 * 1024) if stall_after is None else stall_after
                sent = 0
                while sent < total:
                    part = block[:min(len(block), total - sent)]
                    sock.sendall(part if declared is not None else f"{len(part):x}\r\n".encode() + part + b"\r\n")
                    sent += len(part)
                reply = b""
                while True:  # read until the server closes the connection
                    data = sock.recv(65536)
                    if not data:
                        break
                    reply += data
                if reply.startswith(b"HTTP/1.1 "):
                    status = int(reply.split(b" ", 2)[1])
        except (BrokenPipeError, ConnectionResetError):
            status = "reset"
        except TimeoutError:
            status = "timeout"
        with lock:
            statuses[status] = statuses.get(status, 0) + 1
            open_for.append(time.monotonic() - start)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    threads = [threading.Thread(target=one, daemon=True) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout + 10)
    stop.set()
    sampler.join()
    return FloodResult(statuses, max(open_for, default=0.0), before, peak[0])
