"""Crashes: the server is killed (SIGKILL, no clean-up) during a report job and during an upload, then
started again. No job may stay queued or running, no half-written report folder may stay behind, and
the store must hold whole versions only."""

from __future__ import annotations

import json
import threading
import time
import urllib.request

import pytest

from talentgap.data.store import Store

from .live import start_server

pytestmark = pytest.mark.slow
STALE = {"TALENTGAP_JOB_STALE_SECONDS": "2"}


def post_json(server, path: str, body: dict) -> dict:
    req = urllib.request.Request(server.url + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Authorization": f"Bearer {server.key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


def report(server, report_id: str) -> dict:
    return json.loads(server.get(f"/api/v1/reports/{report_id}")[1])


def test_report_jobs_killed_with_their_server_end_failed(tmp_path):
    server = start_server(tmp_path, env=STALE)
    running = post_json(server, "/api/v1/reports", {"formats": ["html", "pdf"]})["id"]
    queued = post_json(server, "/api/v1/reports", {"formats": ["html"], "sectors": ["quantum"]})["id"]
    deadline = time.monotonic() + 60
    while report(server, running)["status"] == "queued" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert report(server, running)["status"] == "running"
    time.sleep(0.5)  # into the work: the .part folder exists
    server.kill()
    assert report_status_in_store(server.db, running) == "running"

    again = start_server(tmp_path, db=server.db, key=server.key, env=STALE)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and {report(again, r)["status"] for r in (running, queued)} != {"failed"}:
            time.sleep(0.2)
        for r in (running, queued):
            got = report(again, r)
            assert got["status"] == "failed" and "interrupted" in got["error"], got
        assert not list(again.reports.glob(".*.part")), "a half-written report folder stayed behind"
        assert again.get(f"/api/v1/reports/{running}/download")[0] == 409
        # the service still writes reports afterwards
        fresh = post_json(again, "/api/v1/reports", {"formats": ["html"], "sectors": ["quantum"]})["id"]
        deadline = time.monotonic() + 120
        while report(again, fresh)["status"] in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert report(again, fresh)["status"] == "done"
    finally:
        again.stop()


def report_status_in_store(db: str, report_id: str) -> str:
    from talentgap.data.reports import get_report

    return get_report(Store.open(db), report_id)["status"]


def test_an_upload_killed_with_its_server_leaves_whole_versions(tmp_path):
    server = start_server(tmp_path)
    before = Store.open(server.db).export_frame()
    head = "series_id,sector,metric,definition,occupation,education,region,year,value,unit,source_id\n"
    rows = "".join(f"crash.s{i},battery,stock,kiat_emerging,,,,{2000 + i % 20},{1000 + i},persons,bat-w01\n"
                   for i in range(150_000))
    body, boundary = _multipart("big.csv", (head + rows).encode())
    req = urllib.request.Request(server.url + "/api/v1/datasets", data=body, method="POST",
                                 headers={"Authorization": f"Bearer {server.key}",
                                          "Content-Type": f"multipart/form-data; boundary={boundary}"})
    threading.Thread(target=lambda: _quietly(req), daemon=True).start()
    time.sleep(1.5)
    server.kill()

    store = Store.open(server.db)
    versions = store.versions()
    active = [v for v in versions if v.active]
    assert len(active) == 1
    frame = store.export_frame()
    if active[0].id == versions[0].id:
        assert len(frame) == len(before)
    else:  # the import had committed: the new version is whole
        assert len(frame) == len(before) + len(frame[frame["series_id"].str.startswith("crash.")])
        assert (frame["series_id"].str.startswith("crash.")).sum() in (0, 150_000)
    again = start_server(tmp_path, db=server.db, key=server.key)
    try:
        assert again.get("/api/v1/sectors")[0] == 200
    finally:
        again.stop()


def _multipart(name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "talentgapboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, boundary


def _quietly(req) -> None:
    try:
        urllib.request.urlopen(req, timeout=120).read()
    except OSError:
        pass
