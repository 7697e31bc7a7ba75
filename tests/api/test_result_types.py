"""The HTTP API's responses are its declared types: every route with a response model answers a real
request with a body that validates against that model (and, for the typed results, serialises back to
the same JSON), and ``/openapi.json`` describes forecasts and backtests with the result types' own
schemas (component names and field descriptions from :mod:`talentgap.models.results`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel, TypeAdapter

from talentgap.api.http.app import create_app
from talentgap.data.keys import create_key
from talentgap.data.store import Store
from talentgap.models.results import Backtest, SectorForecast

HEADER = "series_id,sector,metric,definition,occupation,education,region,year,value,unit,source_id\n"
UPLOAD = HEADER + ",battery,stock,kiat_emerging,,,,2023,60000,persons,bat-w01\n"
SERIES = [{"series_id": "a", "year": y, "value": v} for y, v in [(2016, 12), (2017, 13.5), (2018, 15), (2019, 18),
                                                                (2020, 19), (2021, 22)]]

#: One real request per route with a response model, writes first (later requests read what they made).
#: Several requests for one route check it in more than one shape (totals, breakdowns, levers, scenarios).
REQUESTS: list[tuple[str, str, str, dict]] = [
    ("POST", "/api/v1/scenarios", "/api/v1/scenarios",
     {"json": {"name": "more grads", "sector": "battery", "levers": {"extra_graduates": 1000}}}),
    ("POST", "/api/v1/datasets", "/api/v1/datasets", {"files": {"file": ("new.csv", UPLOAD, "text/csv")}}),
    ("POST", "/api/v1/datasets/{version}/activate", "/api/v1/datasets/1/activate", {}),
    ("POST", "/api/v1/reports", "/api/v1/reports", {"json": {"formats": ["html"], "sectors": ["security"]}}),
    ("POST", "/api/v1/keys", "/api/v1/keys", {"json": {"name": "portal", "role": "university"}}),
    ("DELETE", "/api/v1/keys/{name}", "/api/v1/keys/portal", {}),
    ("POST", "/api/v1/sectors", "/api/v1/sectors", {"json": {"id": "display", "name_ko": "디스플레이", "name_en": "Display"}}),
    ("DELETE", "/api/v1/sectors/{sector}", "/api/v1/sectors/display", {}),
    ("GET", "/api/v1/health", "/api/v1/health", {}),
    ("GET", "/api/v1/sectors", "/api/v1/sectors", {}),
    ("GET", "/api/v1/sectors/{sector}", "/api/v1/sectors/semiconductor", {}),
    ("GET", "/api/v1/sources/{source_id}", "/api/v1/sources/bat-w01", {}),
    ("GET", "/api/v1/datasets", "/api/v1/datasets", {}),
    ("GET", "/api/v1/forecasts/{sector}", "/api/v1/forecasts/semiconductor", {}),
    ("GET", "/api/v1/forecasts/{sector}", "/api/v1/forecasts/semiconductor?scenario=policy&horizon=2033", {}),
    ("GET", "/api/v1/forecasts/{sector}", "/api/v1/forecasts/battery?by=education", {}),
    ("GET", "/api/v1/forecasts/{sector}", "/api/v1/forecasts/quantum?by=occupation", {}),
    ("GET", "/api/v1/forecasts/{sector}", "/api/v1/forecasts/security?extra_graduates=3000&start_year=2028", {}),
    ("GET", "/api/v1/forecasts/{sector}", "/api/v1/forecasts/battery?scenario=more%20grads", {}),
    ("GET", "/api/v1/backtests", "/api/v1/backtests", {}),
    ("GET", "/api/v1/reconcile", "/api/v1/reconcile?sector=battery", {}),
    ("GET", "/api/v1/backcasts/{sector}", "/api/v1/backcasts/semiconductor?origin=2020", {}),
    ("POST", "/api/v1/series/forecast", "/api/v1/series/forecast", {"json": {"h": 2, "series": SERIES}}),
    ("GET", "/api/v1/skills", "/api/v1/skills?sector=quantum", {}),
    ("GET", "/api/v1/skills/gaps", "/api/v1/skills/gaps?sector=battery", {}),
    ("POST", "/api/v1/gaps", "/api/v1/gaps", {"json": {"skills": {"rtl_design": 1, "security_operations": 1}}}),
    ("POST", "/api/v1/programs/assess", "/api/v1/programs/assess",
     {"json": {"name": "Battery MS", "sector": "battery", "degree": "master", "seats_per_year": 30,
               "skills": {"production_engineering": 1}}}),
    ("GET", "/api/v1/scenarios", "/api/v1/scenarios", {}),
    ("GET", "/api/v1/scenarios/{scenario_id}", "/api/v1/scenarios/1", {}),
    ("GET", "/api/v1/scenarios/{scenario_id}", "/api/v1/scenarios/more%20grads?horizon=2031", {}),
    ("GET", "/api/v1/reports", "/api/v1/reports", {}),
    ("GET", "/api/v1/reports/{report_id}", "/api/v1/reports/{report}", {}),
    ("DELETE", "/api/v1/reports/{report_id}", "/api/v1/reports/{report}", {}),
    ("GET", "/api/v1/keys", "/api/v1/keys", {}),
]


def api_routes(routes: list, prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """Every API route of the app with its full path, through included routers."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from api_routes(inner.routes, prefix + route.include_context.prefix)
        elif isinstance(route, APIRoute):
            yield prefix + route.path, route


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('types') / 't.db'}")
    app = create_app(store)
    app.state.jobs.submit = lambda *args: None  # keep the report queued: its body is what is checked
    app.state.admin_key = create_key(store, role="admin", name="t")
    return app


def typed_routes(app) -> dict[tuple[str, str], Any]:
    return {(method, path): route.response_model for path, route in api_routes(app.routes)
            if route.response_model is not None for method in route.methods}


def test_every_route_with_a_response_model_is_requested(app):
    assert {(m, p) for m, p, _, _ in REQUESTS} == set(typed_routes(app))


def test_real_responses_validate_against_their_models(app):
    models = typed_routes(app)
    client = TestClient(app)
    headers = {"Authorization": f"Bearer {app.state.admin_key}"}
    report = None
    checked = 0
    for method, path, url, kw in REQUESTS:
        r = client.request(method, url.replace("{report}", str(report)), headers=headers, **kw)
        assert r.status_code in (200, 201, 202), (method, url, r.text)
        body = r.json()
        assert body not in ({}, []), f"{method} {url}: an empty body would check nothing"
        model = models[(method, path)]
        value = TypeAdapter(model).validate_python(body)
        if isinstance(value, BaseModel) and type(value).__module__ == SectorForecast.__module__:
            assert json.loads(value.model_dump_json()) == body, f"{method} {url}: the type changes the JSON"
        if path == "/api/v1/reports" and method == "POST":
            report = body["id"]
        checked += 1
    assert checked == len(REQUESTS)


def test_a_forecast_body_is_a_sector_forecast_with_typed_parts(app):
    client = TestClient(app)
    headers = {"Authorization": f"Bearer {app.state.admin_key}"}
    f = SectorForecast.model_validate(client.get("/api/v1/forecasts/battery?by=education", headers=headers).json())
    assert f.by == "education" and f.breakdown is not None and f.breakdown.levels and f.breakdown.occupations is None
    assert all(r.education is not None for r in f.rows) and f.totals() == []
    assert f.sources and all(s.source_id for s in f.sources)
    with pytest.raises(ValueError):
        SectorForecast.model_validate({**client.get("/api/v1/forecasts/quantum", headers=headers).json(), "rows": [{}]})


def _schema(app) -> dict:
    return app.openapi()


def _json_body(op: dict) -> dict:
    return op["responses"]["200"]["content"]["application/json"]["schema"]


@pytest.mark.parametrize(("path", "model"), [("/api/v1/forecasts/{sector}", SectorForecast),
                                             ("/api/v1/backtests", Backtest)])
def test_openapi_describes_results_with_the_result_types(app, path, model):
    schema = _schema(app)
    assert _json_body(schema["paths"][path]["get"]) == {"$ref": f"#/components/schemas/{model.__name__}"}
    own = model.model_json_schema(mode="serialization", ref_template="#/components/schemas/{model}")
    published = schema["components"]["schemas"][model.__name__]
    assert published["properties"].keys() == own["properties"].keys()
    for name, field in own["properties"].items():
        assert published["properties"][name].get("description") == field.get("description"), name
    for name, part in own.get("$defs", {}).items():  # the parts under their own names, with their descriptions
        assert schema["components"]["schemas"][name]["properties"].keys() == part["properties"].keys(), name


def test_openapi_documents_the_forecast_fields(app):
    published = _schema(app)["components"]["schemas"]
    forecast = published["SectorForecast"]["properties"]
    assert "source_ids" not in forecast  # resolved into sources by the service, never sent
    for name in ("horizon_limit", "quality_grade", "rows", "lever_effects", "breakdown", "note_ids", "ex_post"):
        assert forecast[name].get("description"), name
    row = published["SectorRow"]["properties"]
    assert row["openings"]["description"].startswith("job openings")
    assert published["SectorRow"]["properties"]["demand"]["$ref"] == "#/components/schemas/Quantiles"
    assert published["ScenarioDetailPublic"]["properties"]["forecast"] == {"$ref": "#/components/schemas/SectorForecast"}


def test_a_stored_forecast_is_read_back_into_its_type(tmp_path, monkeypatch):
    from sqlalchemy import update
    from sqlalchemy.orm import Session

    from talentgap.api import service
    from talentgap.data.results import get_result, list_results
    from talentgap.data.schema import StoredResult
    from talentgap.models.sector import MODEL_VERSION

    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    first = service.get_forecast(store=store, sector="quantum")
    stored = list_results(store, kind="forecast")
    assert [r["model_version"] for r in stored] == [MODEL_VERSION] and MODEL_VERSION.endswith("+typed")
    params, version = stored[0]["params"], stored[0]["dataset_version"]
    payload = get_result(store, kind="forecast", params=params, dataset_version=version, model_version=MODEL_VERSION)
    assert "source_ids" not in payload and payload["sources"], "stored as the JSON clients get"

    def not_again(**kwargs):
        raise AssertionError("a stored forecast is served, not computed again")

    monkeypatch.setattr(service.forecasts, "sector_forecast", not_again)
    again = service.get_forecast(store=store, sector="quantum")
    assert isinstance(again, SectorForecast) and again == first
    # a stored payload that is not a forecast is refused by the type, not passed on
    with Session(store.engine) as s, s.begin():
        s.execute(update(StoredResult).values(payload=json.dumps({**payload, "rows": [{"year": "soon"}]})))
    with pytest.raises(ValueError, match="rows"):
        service.get_forecast(store=store, sector="quantum")


def test_a_forecast_stored_by_the_untyped_model_version_is_recomputed(tmp_path):
    from talentgap.api import service
    from talentgap.data.results import list_results, put_result
    from talentgap.models.sector import MODEL_VERSION

    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    first = service.get_forecast(store=store, sector="6g")
    params = list_results(store, kind="forecast")[0]["params"]
    old = MODEL_VERSION.removesuffix("+typed")
    fresh = Store.open(f"sqlite:///{tmp_path / 'f.db'}")
    put_result(fresh, kind="forecast", params=params, dataset_version=fresh.active_version(), model_version=old,
               payload={"rows": "an older shape"})
    assert service.get_forecast(store=fresh, sector="6g") == first
    assert sorted(r["model_version"] for r in list_results(fresh, kind="forecast")) == sorted([old, MODEL_VERSION])


def test_an_earlier_backtest_of_another_shape_is_not_served(tmp_path):
    from talentgap.api import service
    from talentgap.data.results import put_result

    store = Store.open(f"sqlite:///{tmp_path / 's.db'}")
    put_result(store, kind="backtest", params=service.forecasts.BACKTEST, dataset_version=store.active_version(),
               model_version="stockflow-0.1+older", payload={"table": "an older shape"})
    bt = service.get_backtest(store=store)
    assert isinstance(bt, Backtest) and (bt.status, bt.table, bt.series) == ("computing", [], [])
