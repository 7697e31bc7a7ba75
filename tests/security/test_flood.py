"""Memory without a key, against a real server: 120 connections each posting 19 MiB to the sign-in
form (declared or chunked), or starting a body and never finishing it, grow the server by less than
200 MB and are all closed within 30 seconds; the server answers /health throughout and afterwards."""

from __future__ import annotations

import pytest

from .live import flood, start_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = start_server(tmp_path_factory.mktemp("flood"))
    yield s
    s.stop()


@pytest.mark.parametrize("case", [
    {"declared": 21_000_000},
    {"declared": None},
    {"declared": 8000, "stall_after": 1000},
], ids=["declared-length", "chunked", "never-finishes"])
def test_unauthenticated_bodies_cannot_fill_memory(server, case):
    result = flood(server, "/ui/login", connections=120, body_mb=19, **case)
    assert result.rss_growth < 200, result
    assert result.longest_open < 30, result
    assert "timeout" not in result.statuses, result
    assert server.get("/api/v1/health", timeout=10)[0] == 200


def test_an_upload_without_a_session_is_refused_unread(server):
    result = flood(server, "/ui/data/upload", connections=40, body_mb=19, declared=19 * 1024 * 1024 + 10)
    assert result.rss_growth < 100, result
    assert result.longest_open < 30, result
