"""Every JSON route's body passes through its response model (a ``…Public`` model or a typed result)
unchanged: same keys in the same order, same types (an int stays an int), same values. Run on the real
app and the full seed dataset."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from talentgap.api.http import public, public_skills
from talentgap.api.http.app import create_app
from talentgap.data.keys import create_key
from talentgap.data.store import Store
from talentgap.models import results

#: Every response model by name.
s = SimpleNamespace(**{**vars(public), **vars(public_skills), **vars(results)})

HEADER = "series_id,sector,metric,definition,occupation,education,region,year,value,unit,source_id\n"
SERIES = [{"series_id": "a", "year": y, "value": v}
          for y, v in [(2015, 10), (2016, 12), (2017, 13.5), (2018, 15), (2019, 18), (2020, 19), (2021, 22)]]
SERIES += [{"series_id": "one", "year": 2020, "value": 5}]  # one point: falls back


def difference(a: Any, b: Any, path: str = "$") -> str | None:
    """Where two JSON values differ in type, keys, key order or value; None when identical."""
    if type(a) is not type(b):
        return f"{path}: {type(a).__name__} {a!r:.60} became {type(b).__name__} {b!r:.60}"
    if isinstance(a, dict):
        if list(a) != list(b):
            return f"{path}: keys {list(a)} became {list(b)}"
        return next((d for k in a if (d := difference(a[k], b[k], f"{path}.{k}"))), None)
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items became {len(b)}"
        return next((d for i, (x, y) in enumerate(zip(a, b)) if (d := difference(x, y, f"{path}[{i}]"))), None)
    return None if a == b else f"{path}: {a!r:.60} became {b!r:.60}"


def through(model: Any, body: Any) -> Any:
    adapter = TypeAdapter(model)
    return json.loads(adapter.dump_json(adapter.validate_python(body)))


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """One app and store for the module; the write routes are called once, in order, here."""
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('schemas') / 's.db'}")
    headers = {"Authorization": f"Bearer {create_key(store, role='admin', name='t')}"}
    app = create_app(store)
    app.state.jobs.submit = lambda *args: None  # keep the report queued: its body is what is checked
    client = TestClient(app)

    def call(method: str, url: str, **kw) -> Any:
        r = client.request(method, url, headers=headers, **kw)
        assert r.status_code in (200, 201, 202), r.text
        return r.json()

    written = {
        "scenario_create": call("POST", "/api/v1/scenarios", json={
            "name": "more grads", "sector": "battery", "levers": {"extra_graduates": 1000}}),
        "dataset_upload": call("POST", "/api/v1/datasets", files={"file": (
            "new.csv", HEADER + ",battery,stock,kiat_emerging,,,,2023,60000,persons,bat-w01\n", "text/csv")}),
        "dataset_activate": call("POST", "/api/v1/datasets/1/activate"),
        "report_start": call("POST", "/api/v1/reports", json={"formats": ["html"], "sectors": ["security"]}),
        "key_create": call("POST", "/api/v1/keys", json={"name": "portal", "role": "university"}),
        "key_revoke": call("DELETE", "/api/v1/keys/portal"),
    }
    return call, written


WRITES = {
    "scenario_create": s.ScenarioPublic,
    "dataset_upload": s.DatasetUploadPublic,
    "dataset_activate": s.DatasetActivatePublic,
    "report_start": s.ReportPublic,
    "key_create": s.KeyCreatedPublic,
    "key_revoke": s.KeyRevokedPublic,
}

READS = [
    ("GET", "/api/v1/health", {}, s.HealthPublic),
    ("GET", "/api/v1/sectors", {}, list[s.SectorPublic]),
    ("GET", "/api/v1/sectors/semiconductor", {}, s.SectorDetailPublic),
    ("GET", "/api/v1/skills?sector=quantum", {}, list[s.SkillPublic]),
    ("GET", "/api/v1/skills/gaps?sector=battery", {}, list[s.SkillGapRowPublic]),
    ("GET", "/api/v1/forecasts/semiconductor", {}, s.SectorForecast),
    ("GET", "/api/v1/forecasts/semiconductor?scenario=policy&horizon=2033", {}, s.SectorForecast),
    ("GET", "/api/v1/forecasts/battery?by=education", {}, s.SectorForecast),
    ("GET", "/api/v1/forecasts/security?extra_graduates=3000", {}, s.SectorForecast),
    ("GET", "/api/v1/forecasts/battery?scenario=more%20grads", {}, s.SectorForecast),
    ("GET", "/api/v1/sources/bat-w01", {}, s.SourcePublic),
    pytest.param("GET", "/api/v1/backtests", {}, s.Backtest, marks=pytest.mark.slow),  # every series, 7 models
    ("POST", "/api/v1/series/forecast", {"json": {"h": 3, "series": SERIES}}, s.SeriesForecastPublic),
    ("POST", "/api/v1/series/forecast", {"json": {"horizon": 2030, "level": 95.5, "series": SERIES}},
     s.SeriesForecastPublic),
    ("POST", "/api/v1/gaps", {"json": {"skills": {"rtl_design": 1, "security_operations": 1}}}, s.GapPublic),
    ("POST", "/api/v1/programs/assess", {"json": {"name": "Battery MS", "sector": "battery", "degree": "master",
                                                  "seats_per_year": 30, "skills": {"production_engineering": 1}}},
     s.ProgrammeAssessmentPublic),
    ("GET", "/api/v1/scenarios", {}, list[s.ScenarioPublic]),
    ("GET", "/api/v1/scenarios/1", {}, s.ScenarioDetailPublic),
    ("GET", "/api/v1/datasets", {}, list[s.DatasetVersionPublic]),
    ("GET", "/api/v1/reports", {}, list[s.ReportPublic]),
    ("GET", "/api/v1/keys", {}, list[s.KeyPublic]),
]

_ids = [f"{r.values[0]} {r.values[1]}" if hasattr(r, "values") else f"{r[0]} {r[1]}" for r in READS]


@pytest.mark.parametrize("name", list(WRITES))
def test_write_bodies_pass_through_unchanged(api, name):
    _, written = api
    body = written[name]
    assert difference(body, through(WRITES[name], body)) is None


@pytest.mark.parametrize(("method", "url", "kw", "model"), READS, ids=_ids)
def test_read_bodies_pass_through_unchanged(api, method, url, kw, model):
    call, _ = api
    body = call(method, url, **kw)
    assert body, "an empty body would check nothing"
    assert difference(body, through(model, body)) is None


def test_report_detail_passes_through_unchanged(api):
    call, written = api
    body = call("GET", f"/api/v1/reports/{written['report_start']['id']}")
    assert "directory" not in body and "directory" not in written["report_start"]
    assert difference(body, through(s.ReportPublic, body)) is None


def test_education_rows_keep_their_key_and_total_rows_do_not_gain_it(api):
    call, _ = api
    edu = through(s.SectorForecast, call("GET", "/api/v1/forecasts/battery?by=education"))
    total = through(s.SectorForecast, call("GET", "/api/v1/forecasts/battery"))
    assert all("education" in r for r in edu["rows"]) and not any("education" in r for r in total["rows"])


def test_the_checker_sees_an_int_turned_float():
    assert difference({"level": 80}, {"level": 80.0}) is not None
    assert difference({"a": 1, "b": 2}, {"b": 2, "a": 1}) is not None
