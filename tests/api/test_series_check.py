"""Series input is checked in one place, :func:`talentgap.api.service.series.check_series`: the HTTP body
and the CLI's files go through it, so the same bad input is refused with the same code and message."""

from __future__ import annotations

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from talentgap.api import service
from talentgap.api.cli import app as cli
from talentgap.api.errors import TooLarge, classify
from talentgap.api.http.app import create_app
from talentgap.api.service import series as series_service
from talentgap.models.panel import SeriesInputError

from ..conftest import write

POINTS = [("a", 2016, 86525.0), ("a", 2020, 99285.0), ("a", 2024, 118721.0), ("b", 2022, 10.0), ("b", 2023, 12.0)]


def frame(points=POINTS) -> pd.DataFrame:
    return pd.DataFrame(points, columns=["series_id", "year", "value"])


@pytest.fixture
def client(store):
    return TestClient(create_app(store))


@pytest.fixture
def analyst(store):
    return {"Authorization": f"Bearer {service.keys.create(store=store, role='analyst', name='analyst')}"}


def test_checked_series_resolve_the_horizon_per_series():
    run = series_service.check_series(frame(), horizon=2026, level=90)
    assert (run.h, run.until, run.level, len(run.panel)) == (3, 2026, 90.0, 2)
    run = series_service.check_series(frame(), h=2)
    assert (run.h, run.until, run.level) == (2, None, 80.0)


def test_limits_are_checked_before_the_rows():
    bad_rows = frame([("a", 2020, 1.0), ("a", 2020, 2.0), ("b", 2020.5, 1.0)])
    with pytest.raises(TooLarge, match="at most 2"):
        series_service.check_series(bad_rows, h=1, max_points=2)
    with pytest.raises(TooLarge, match="at most 1"):
        series_service.check_series(bad_rows, h=1, max_series=1)
    with pytest.raises(SeriesInputError, match="duplicate year"):
        series_service.check_series(bad_rows, h=1, max_points=3, max_series=2)
    with pytest.raises(SeriesInputError) as caught:
        series_service.check_series(frame(), h=1, max_panel=1)
    assert classify(caught.value).code == "series.bad_input"


@pytest.mark.parametrize("options, body", [
    ([], {}),
    (["--h", "2", "--horizon", "2030"], {"h": 2, "horizon": 2030}),
    (["--h", "0"], {"h": 0}),
    (["--h", "2", "--level", "150"], {"h": 2, "level": 150}),
    (["--horizon", "2020"], {"horizon": 2020}),
])
def test_cli_and_http_refuse_the_same_input_with_the_same_message(tmp_path, client, analyst, options, body):
    path = write(tmp_path / "in.csv", "series_id,year,value\n" + "".join(f"{s},{y},{v}\n" for s, y, v in POINTS))
    res = CliRunner().invoke(cli, ["series", "forecast", "--input", str(path), *options])
    r = client.post("/api/v1/series/forecast", headers=analyst,
                    json={"series": [{"series_id": s, "year": y, "value": v} for s, y, v in POINTS], **body})
    assert res.exit_code == 2 and r.status_code == 422, (res.output, r.text)
    error = r.json()["error"]
    assert error["code"] == "series.bad_input"
    assert f"error: {error['message']}" in res.output


def test_both_interfaces_go_through_the_one_check(tmp_path, client, analyst, monkeypatch):
    calls = []
    check = series_service.check_series

    def spy(data, **kw):
        calls.append((len(data), kw.get("items", False)))
        return check(data, **kw)

    monkeypatch.setattr(series_service, "check_series", spy)
    path = write(tmp_path / "in.csv", "series_id,year,value\n" + "".join(f"{s},{y},{v}\n" for s, y, v in POINTS))
    res = CliRunner().invoke(cli, ["series", "forecast", "--input", str(path), "--h", "1"])
    assert res.exit_code == 0, res.output
    r = client.post("/api/v1/series/forecast", headers=analyst,
                    json={"series": [{"series_id": s, "year": y, "value": v} for s, y, v in POINTS], "h": 1})
    assert r.status_code == 200, r.text
    assert calls == [(len(POINTS), False), (len(POINTS), True)]
