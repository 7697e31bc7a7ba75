"""No request computes a backtest: a dataset version's activation queues the job that computes and
stores them; until it has run, the API, sector pages and reports serve the previous version's backtests
labelled with their version (or say they are being computed), and the job can be stopped."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from talentgap.api import service
from talentgap.api.http.app import create_app
from talentgap.api.jobs import Precompute
from talentgap.api.render.report import write_report
from talentgap.data.keys import create_key
from talentgap.data.store import Store
from talentgap.models import backtest as backtest_model

from ..api.web_client import sign_in
from ..conftest import write
from .live import start_server

HEADER = "series_id,sector,metric,definition,occupation,education,region,year,value,unit,source_id\n"


def six_years(source: str = "t-w01") -> str:
    """Six yearly points of a new series: enough for a backtest (5), so version 2's backtest differs."""
    return "".join(f",semiconductor,stock,backtest_probe,,,,{y},{1000 + 37 * (y - 2015) + (y % 3) * 11},persons,"
                   f"{source}\n" for y in range(2015, 2021))


SIX_YEARS = six_years()


@pytest.fixture
def no_request_backtests(monkeypatch):
    """The backtest function raises unless the activation's job (its thread, or a test calling the job
    directly) runs it: any request that computes a backtest fails."""
    real = backtest_model.run_backtest
    allowed = threading.local()

    def guarded(*args, **kwargs):
        if threading.current_thread().name != "talentgap-precompute" and not getattr(allowed, "on", False):
            raise AssertionError("a backtest was computed outside the activation's job")
        return real(*args, **kwargs)

    monkeypatch.setattr(service.forecasts, "run_backtest", guarded)

    def job(store: Store) -> int | None:
        allowed.on = True
        try:
            return Precompute(store).run_once()
        finally:
            allowed.on = False

    return job


def test_requests_serve_the_previous_versions_backtests_until_the_job_stores_the_new_ones(
        no_request_backtests, small_seed, tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'b.db'}", seed=small_seed)
    key = create_key(store, role="analyst", name="a")
    h = {"Authorization": f"Bearer {key}"}
    client = TestClient(create_app(store))  # no lifespan: the job runs only when the test says
    first = client.get("/api/v1/backtests", headers=h)
    assert first.status_code == 200
    assert first.json() | {"model_version": ""} == {"status": "computing", "dataset_version": None, "active_version": 1,
                                                    "table": [], "series": [], "default_model": "ensemble",
                                                    "model_version": ""}
    assert no_request_backtests(store) == 1
    assert client.get("/api/v1/backtests", headers=h).json()["status"] == "current"

    upload = client.post("/api/v1/datasets", headers=h, files={"file": ("six.csv", HEADER + SIX_YEARS, "text/csv")})
    assert upload.status_code == 201 and store.active_version() == 2
    served = client.get("/api/v1/backtests", headers=h).json()
    assert (served["status"], served["dataset_version"], served["active_version"]) == ("previous", 1, 2)
    assert not any(r["series_id"].startswith("semiconductor.stock.backtest_probe") for r in served["series"])

    assert no_request_backtests(store) == 2, "the job stores the new version's"
    now = client.get("/api/v1/backtests", headers=h).json()
    assert (now["status"], now["dataset_version"]) == ("current", 2)
    assert {r["series_id"] for r in now["series"]} == {"semiconductor.stock.backtest_probe"}
    assert no_request_backtests(store) is None, "nothing is pending any more"


def test_the_running_service_does_the_job_after_an_upload(no_request_backtests, small_seed, tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'b.db'}", seed=small_seed)
    key = create_key(store, role="analyst", name="a")
    h = {"Authorization": f"Bearer {key}"}
    with TestClient(create_app(store)) as client:  # the lifespan starts the service's job worker
        client.post("/api/v1/datasets", headers=h, files={"file": ("six.csv", HEADER + SIX_YEARS, "text/csv")})
        deadline = time.monotonic() + 120
        while client.get("/api/v1/backtests", headers=h).json()["dataset_version"] != 2:
            assert time.monotonic() < deadline, "the worker stored version 2's backtests"
            time.sleep(0.5)
    assert service.backtest_pending(store) is None


def test_a_stopped_job_stores_nothing_and_stays_pending(small_seed, tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'b.db'}", seed=small_seed)
    store.import_file(write(tmp_path / "six.csv", HEADER + SIX_YEARS))
    job = Precompute(store)
    job.stop()
    assert job.run_once() is None
    assert service.backtest_pending(store) == 2 and service.get_backtest(store=store).status == "computing"
    with pytest.raises(backtest_model.BacktestStopped):
        service.compute_backtest(store=store, stop=lambda: True)


@pytest.fixture(scope="module")
def seeded_v2(tmp_path_factory) -> Store:
    """The seed dataset with its backtests stored (version 1), then a new version 2 activated."""
    tmp = tmp_path_factory.mktemp("seeded")
    store = Store.open(f"sqlite:///{tmp / 's.db'}")
    assert Precompute(store).run_once() == 1
    store.import_file(write(tmp / "six.csv", HEADER + six_years("semi-w01")))
    return store


@pytest.mark.parametrize("lang, text", [("en", "These are the backtests of dataset version 1; those of the active "
                                                "version 2 are being computed."),
                                        ("ko", "데이터셋 버전 1의 예측 정확도입니다. 현재 버전 2의 예측 정확도는 계산 중입니다.")])
def test_sector_pages_and_reports_show_the_previous_backtests_with_their_version(no_request_backtests, seeded_v2,
                                                                                  tmp_path, lang, text):
    client = TestClient(create_app(seeded_v2))
    sign_in(client, create_key(seeded_v2, role="analyst", name=f"web {lang}"), lang)
    page = client.get("/ui/sectors/semiconductor")
    assert page.status_code == 200
    assert re.search(r'id="backtest-status">([^<]*)<', page.text).group(1) == text
    assert 'id="backtest"' in page.text, "the previous version's table is shown"
    info = write_report(store=seeded_v2, out_dir=tmp_path, formats=["html"], sectors=["security"], lang=lang)
    html = (Path(info["directory"]) / "report.html").read_text(encoding="utf-8")
    assert re.search(r'id="backtest-status">([^<]*)<', html).group(1) == text
    assert 'id="coverage"' in html and service.backtest_pending(seeded_v2) == 2


def test_sigterm_stops_a_service_in_the_middle_of_the_job(tmp_path):
    """A new database activates the seed dataset: the service starts on its backtests at once, and a
    SIGTERM still ends it promptly (the job stops between series)."""
    server = start_server(tmp_path)
    time.sleep(1.0)  # the worker has started on version 1's backtests
    started = time.monotonic()
    server.proc.terminate()
    server.proc.wait(timeout=20)
    assert time.monotonic() - started < 15
