"""Hostile requests against a real server: bodies streamed without a length, huge values echoed in
errors, non-finite numbers, and the security headers of every page and report."""

from __future__ import annotations

import json
import socket
import time

import pytest

from .live import LiveServer, start_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = start_server(tmp_path_factory.mktemp("live"))
    yield s
    s.stop()


def chunked_post(server: LiveServer, path: str, total_mb: int, key: str | None = None,
                 timeout: float = 60) -> tuple[int, float]:
    """POST ``total_mb`` MB as a chunked body (no Content-Length); returns (status, seconds). Stops
    sending as soon as the server answers or closes the connection."""
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Transfer-Encoding: chunked\r\n" + (f"Authorization: Bearer {key}\r\n" if key else "") + "\r\n")
    chunk = b'{"skills": {"' + b"a" * (1024 * 1024 - 16) + b'": 1}}'
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
        sock.sendall(head.encode())
        sock.setblocking(False)
        reply = b""
        for _ in range(total_mb):
            try:
                reply += sock.recv(65536)
            except BlockingIOError:
                pass
            if reply:
                break
            try:
                sock.setblocking(True)
                sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                sock.setblocking(False)
            except (BrokenPipeError, ConnectionResetError):
                break
        sock.setblocking(True)
        while b"\r\n" not in reply:
            data = sock.recv(65536)
            if not data:
                break
            reply += data
    return int(reply.split(b" ", 2)[1]), time.monotonic() - start


def test_a_chunked_body_without_a_key_is_refused_before_it_is_read(server):
    before = server.rss_mb()
    status, seconds = chunked_post(server, "/api/v1/gaps", total_mb=200)
    assert status == 401
    assert seconds < 10
    assert server.rss_mb() - before < 100


def test_a_chunked_body_with_a_key_stops_at_the_cap(server):
    before = server.rss_mb()
    status, _ = chunked_post(server, "/api/v1/gaps", total_mb=200, key=server.key)
    assert status == 413
    assert server.rss_mb() - before < 100


def test_a_huge_value_is_cut_in_the_error_it_causes(server):
    import urllib.request

    body = json.dumps({"skills": {"x" * 1_000_000: 1}}).encode()  # within the 1 MiB JSON limit
    req = urllib.request.Request(server.url + "/api/v1/gaps", data=body, method="POST",
                                 headers={"Authorization": f"Bearer {server.key}", "Content-Type": "application/json"})
    try:
        urllib.request.urlopen(req, timeout=60)
        raise AssertionError("a skill id of 5 million characters was accepted")
    except urllib.error.HTTPError as e:
        reply = e.read()
        assert e.code == 422 and len(reply) < 10_000 and b"cut" in reply


@pytest.mark.parametrize("body", [
    b'{"series": [{"series_id": "a", "year": 2020, "value": NaN}], "h": 2}',
    b'{"series": [{"series_id": "a", "year": 2020, "value": Infinity}], "h": 2}',
    b'{"name": "p", "sector": "battery", "degree": "master", "seats_per_year": NaN, "skills": {"cell_design": 1}}',
], ids=["series-nan", "series-inf", "programme-nan"])
def test_non_finite_numbers_are_a_422_naming_the_field(server, body):
    import urllib.request

    path = "/api/v1/programs/assess" if b"seats" in body else "/api/v1/series/forecast"
    req = urllib.request.Request(server.url + path, data=body, method="POST",
                                 headers={"Authorization": f"Bearer {server.key}", "Content-Type": "application/json"})
    try:
        urllib.request.urlopen(req, timeout=60)
        raise AssertionError("accepted")
    except urllib.error.HTTPError as e:
        err = json.loads(e.read())["error"]
        assert e.code == 422 and ("value" in err["message"] or "seats_per_year" in err["message"])


def test_security_headers(server):
    import urllib.request

    with urllib.request.urlopen(server.url + "/ui/login", timeout=30) as r:
        policy = r.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in \
            policy.split("script-src")[1].split(";")[0]
        assert r.headers["X-Content-Type-Options"] == "nosniff"
    status, _ = server.get("/api/v1/sectors")
    req = urllib.request.Request(server.url + "/api/v1/health")
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.headers["X-Content-Type-Options"] == "nosniff"
