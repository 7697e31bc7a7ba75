"""The report queue is bounded per key (429 with Retry-After past it), a queued report can be cancelled
by its key or an admin (and is then never written), and the archive is listed a page at a time."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from talentgap.api.http.app import create_app
from talentgap.data.keys import create_key
from talentgap.data.reports import claim_report, get_report
from talentgap.data.store import Store

from .web_client import csrf, sign_in


class Idle:
    """A job queue that keeps everything queued (nothing runs while the test looks)."""

    def __init__(self):
        self.submitted = []

    def submit(self, report_id: str, params: dict) -> None:
        self.submitted.append(report_id)


@pytest.fixture
def env(tmp_path, small_seed):
    store = Store.open(f"sqlite:///{tmp_path / 'q.db'}", seed=small_seed)
    app = create_app(store)
    app.state.jobs = Idle()
    keys = {name: create_key(store, role=role, name=name)
            for name, role in (("one", "reporter"), ("two", "reporter"), ("admin", "admin"))}
    return store, TestClient(app), {k: {"Authorization": f"Bearer {v}"} for k, v in keys.items()}, keys


def start(client, auth):
    return client.post("/api/v1/reports", json={"formats": ["html"], "sectors": ["semiconductor"]}, headers=auth)


def test_a_key_may_have_five_reports_waiting_and_no_more(env):
    store, client, auth, _ = env
    ids = [start(client, auth["one"]).json()["id"] for _ in range(5)]
    r = start(client, auth["one"])
    assert r.status_code == 429 and r.json()["error"]["code"] == "report.queue_full"
    assert r.headers["retry-after"] == "60" and "5 reports queued or running" in r.json()["error"]["message"]
    assert start(client, auth["two"]).status_code == 202  # another key is not held up
    assert client.delete(f"/api/v1/reports/{ids[0]}", headers=auth["one"]).json()["status"] == "cancelled"
    assert start(client, auth["one"]).status_code == 202


def test_only_its_key_or_an_admin_cancels_a_queued_report_and_it_is_never_run(env):
    store, client, auth, _ = env
    report_id = start(client, auth["one"]).json()["id"]
    r = client.delete(f"/api/v1/reports/{report_id}", headers=auth["two"])
    assert r.status_code == 403 and r.json()["error"]["code"] == "report.not_yours"
    assert client.delete(f"/api/v1/reports/{report_id}", headers=auth["admin"]).status_code == 200
    assert get_report(store, report_id)["status"] == "cancelled"
    assert claim_report(store, report_id) is False  # the worker skips it
    r = client.delete(f"/api/v1/reports/{report_id}", headers=auth["admin"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "report.not_cancellable"


def test_a_report_already_running_cannot_be_cancelled(env):
    store, client, auth, _ = env
    report_id = start(client, auth["one"]).json()["id"]
    assert claim_report(store, report_id) is True
    assert client.delete(f"/api/v1/reports/{report_id}", headers=auth["one"]).status_code == 409


def test_the_archive_is_listed_a_page_at_a_time(env):
    _, client, auth, _ = env
    made = [start(client, a).json()["id"] for a in (auth["one"], auth["two"], auth["admin"])]
    first = client.get("/api/v1/reports?limit=2", headers=auth["one"]).json()
    rest = client.get("/api/v1/reports?limit=2&offset=2", headers=auth["one"]).json()
    assert [r["id"] for r in first + rest] == made[::-1]
    assert client.get("/api/v1/reports?limit=201", headers=auth["one"]).status_code == 422


def test_the_reports_page_cancels_a_queued_report(env):
    store, client, auth, keys = env
    report_id = start(client, auth["one"]).json()["id"]
    web = TestClient(client.app)
    sign_in(web, keys["one"], "en")
    page = web.get("/ui/reports").text
    assert f'action="/ui/reports/{report_id}/cancel"' in page
    r = web.post(f"/ui/reports/{report_id}/cancel", data={"csrf": csrf(web)}, follow_redirects=False)
    assert r.status_code == 303 and get_report(store, report_id)["status"] == "cancelled"
    assert "cancelled" in web.get("/ui/reports").text
