"""Stored XSS through a source link, and a stale cached forecast after a scenario is saved again."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from talentgap.api.cli import app as cli
from talentgap.api.http.app import create_app
from talentgap.api.render.formatting import is_web_url
from talentgap.api.render.report import build, render_html
from talentgap.data.keys import create_key
from talentgap.data.store import Store

from ..api.web_client import sign_in

HEADER = "series_id,sector,metric,definition,occupation,education,region,year,value,unit,source_id,source_kind,source_ref\n"


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('inj') / 'i.db'}"
    store = Store.open(db)
    key = create_key(store, role="analyst", name="analyst")
    return TestClient(create_app(store)), {"Authorization": f"Bearer {key}"}, store, db


@pytest.mark.parametrize("ref", ["javascript:alert(document.domain)", "JAVASCRIPT:alert(1)", "data:text/html,<b>x",
                                 "//evil.example/x", "vbscript:msgbox(1)", "http:/nohost"])
def test_a_url_source_must_be_http_or_https(env, ref):
    client, auth, store, _ = env
    before = store.versions()
    row = f"battery.stock.x,battery,stock,kiat_emerging,,,,2024,1,persons,evil,url,\"{ref}\"\n"
    r = client.post("/api/v1/datasets", headers=auth, files={"file": ("x.csv", HEADER + row, "text/csv")})
    assert r.status_code == 422 and "source_ref" in r.text
    assert store.versions() == before


@pytest.mark.parametrize("ref,ok", [("https://www.kiat.or.kr/x", True), ("http://a.b", True),
                                    ("javascript:alert(1)", False), (" javascript:x", False), ("https:///x", False)])
def test_links_are_drawn_only_for_web_urls(ref, ok):
    assert is_web_url(ref) is ok


def test_a_stored_javascript_link_is_not_a_link_in_the_report(env):
    """Validation on import is one wall; rendering checks again (a database from before the rule)."""
    _, _, store, _ = env
    report = build(store=store, sectors=["quantum"])
    report.update(id="t", changes={"previous": None, "revisions": []})
    part = report["sectors"][0]
    f = part["forecast"]
    bad = f.sources[0].model_copy(update={"kind": "url", "ref": "javascript:alert(document.domain)"})
    part["forecast"] = f.model_copy(update={"sources": [bad, *f.sources[1:]]})
    html = render_html(report)
    assert "javascript:alert(document.domain)" in html  # shown as text
    assert 'href="javascript:' not in html.lower()


def test_a_scenario_saved_again_is_not_served_from_a_stale_cache(env):
    client, auth, _, db = env
    run = CliRunner().invoke
    assert run(cli, ["scenario", "create", "cachetest", "--sector", "battery", "--set", "extra_graduates=0",
                     "--db", db]).exit_code == 0
    first = client.get("/api/v1/forecasts/battery?scenario=cachetest", headers=auth).json()
    assert run(cli, ["scenario", "delete", "cachetest", "--db", db]).exit_code == 0
    assert run(cli, ["scenario", "create", "cachetest", "--sector", "battery", "--set", "extra_graduates=100000",
                     "--db", db]).exit_code == 0
    again = client.get("/api/v1/forecasts/battery?scenario=cachetest", headers=auth).json()
    shown = client.get("/api/v1/scenarios/cachetest", headers=auth).json()["forecast"]
    assert again["levers"]["extra_graduates"] == 100000
    assert again["rows"][-1]["supply"]["p50"] > first["rows"][-1]["supply"]["p50"]
    assert again["rows"][-1]["supply"]["p50"] == shown["rows"][-1]["supply"]["p50"]


def test_forecast_csv_neutralises_formula_text_and_keeps_numbers():
    from talentgap.api.render.formatting import forecast_csv
    from talentgap.models.results import Quantiles, SectorForecast, SectorRow

    q = Quantiles(p10=-1.5, p50=2.0, p90=3.0)
    row = SectorRow(year=2030, period="projection", beyond_plan=False, gap_above_zero=0.5,
                    **{k: q for k in ("demand", "openings", "supply", "gap", "cumulative_gap", "gap_rate", "shortage_rate")})
    text = forecast_csv(SectorForecast.model_construct(
        sector="battery", scenario="=HYPERLINK(\"http://x\")", definition="@SUM(A1)", rows=[row], levers={},
        lever_effects=[]))
    line = text.splitlines()[1]
    assert "'=HYPERLINK" in line and "'@SUM(A1)" in line and ",-1.5," in line


def test_the_ui_xlsx_download_has_no_formula_cells(env):
    import io
    import re

    from openpyxl import load_workbook

    client, _, store, _ = env
    key = create_key(store, role="reporter", name="xlsx-reader")
    sign_in(client, key)
    assert re.search(r'name="csrf"', client.get("/ui/data").text)
    r = client.get("/ui/download/battery?format=xlsx")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert cells and not any(c.data_type == "f" for c in cells)
    assert any(isinstance(c.value, float | int) for c in cells)
