"""One sector whose model cannot run fails alone: the dashboard, the other sectors' pages and forecasts
(API and CLI) and a report of the other sectors keep working, and the failing sector is shown with its
reason in words, in the page's language, instead of an error for everyone."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from talentgap.api import service
from talentgap.api.cli import app as cli
from talentgap.api.http.app import create_app
from talentgap.api.render.report import write_report
from talentgap.data.keys import create_key
from talentgap.data.results import list_results
from talentgap.data.store import Store

from ..api.web_client import csrf, sign_in
from ..conftest import write

HEADER = "series_id,sector,metric,definition,occupation,education,region,year,value,unit,source_id\n"
#: A battery stock the plausibility override lets in, far past anything the model can carry: the
#: battery forecast overflows (not finite) while every other sector is untouched.
BAD_ROW = ",battery,stock,kiat_emerging,,,,2023,1e200,persons,bat-w01\n"
OTHERS = ("semiconductor", "quantum", "6g", "security")
#: The battery card's reason, in each language (the errors catalogue's ``sector.not_computed``).
REASON = {"en": "the Secondary batteries forecast cannot be computed from this dataset version",
          "ko": "이 데이터셋 버전으로는 이차전지 전망을 계산할 수 없습니다"}


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Store:
    """The seed dataset with the battery row imported past the plausibility checks (version 2)."""
    tmp = tmp_path_factory.mktemp("broken")
    store = Store.open(f"sqlite:///{tmp / 'b.db'}")
    store.import_file(write(tmp / "bad.csv", HEADER + BAD_ROW), allow_implausible=True)
    assert store.active_version() == 2
    return store


def web_client(store: Store, *, role: str, lang: str) -> TestClient:
    """A client signed in with a new key of ``role`` (each with its own name: the store is shared)."""
    client = TestClient(create_app(store))
    sign_in(client, create_key(store, role=role, name=f"{role} {lang} {next(_names)}"), lang)
    return client


_names = iter(range(1_000_000))


def card(html: str, sector: str) -> str:
    return re.search(rf'<section class="card sector-card" id="card-{sector}".*?</section>', html, re.S).group()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_dashboard_shows_every_other_sector_and_the_failing_ones_reason(broken, lang):
    r = web_client(broken, role="reporter", lang=lang).get("/ui/")
    assert r.status_code == 200
    for sector in OTHERS:
        assert '<p class="headline">' in card(r.text, sector) and "<svg" in card(r.text, sector)
    battery = card(r.text, "battery")
    assert REASON[lang] in battery and "<svg" not in battery
    assert "rows[0]" in battery, "the reason says where the forecast stopped being a number"
    messages = re.search(r'<ul class="messages">(.*?)</ul>', r.text, re.S).group(1).split("<li>")[1:]
    name = {"en": "Secondary batteries", "ko": "이차전지"}[lang]
    assert name in messages[-1] and name not in messages[0], "the messages name the failing sector as not computed"
    ranked = re.search(r'<table id="ranking".*?</table>', r.text, re.S).group()
    assert name not in ranked and all(f"#card-{s}" in ranked for s in OTHERS)


def test_other_sector_pages_and_forecasts_answer_and_the_failing_one_says_why(broken):
    web = web_client(broken, role="analyst", lang="ko")
    assert web.get("/ui/sectors/security").status_code == 200
    page = web.get("/ui/sectors/battery")
    assert page.status_code == 422 and "유한한 수가 아닙니다" in page.text, "its own page: the reason, in Korean"
    key = create_key(broken, role="reporter", name="api reader")
    api = TestClient(create_app(broken))
    h = {"Authorization": f"Bearer {key}"}
    for sector in OTHERS:
        assert api.get(f"/api/v1/forecasts/{sector}", headers=h).status_code == 200, sector
    bad = api.get("/api/v1/forecasts/battery", headers=h)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "forecast.not_finite"


def test_the_cli_forecasts_the_other_sectors(broken):
    r = CliRunner().invoke(cli, ["forecast", "--sector", "quantum", "--format", "json", "--db", broken.url])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["dataset_version"] == 2
    r = CliRunner().invoke(cli, ["forecast", "--sector", "battery", "--db", broken.url])
    assert r.exit_code == 2 and "not a finite number" in r.output


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_report_of_every_sector_shows_the_others_and_the_reason(broken, tmp_path, lang):
    info = write_report(store=broken, out_dir=tmp_path, formats=["html"], lang=lang)
    assert info["status"] == "done"
    folder = Path(info["directory"])
    html = (folder / "report.html").read_text(encoding="utf-8")
    summary = html[html.index('id="summary"'):html.index('class="sector"')]
    assert summary.count('class="headline"') == len(OTHERS)
    failed = re.search(r'<section class="not-computed" id="not-computed-battery">.*?</section>', summary, re.S)
    assert failed and REASON[lang] in failed.group()
    data = (folder / "data.csv").read_text(encoding="utf-8")
    assert {"semiconductor", "quantum", "6g", "security"} <= set(re.findall(r"^forecast,(\w+),", data, re.M))
    assert not re.search(r"^forecast,battery,", data, re.M)
    assert "not_computed,battery" in data


def test_an_internal_failure_is_logged_with_an_id_the_card_gives(broken, monkeypatch, caplog):
    """A sector whose model raises something uncoded (a defect, not the data): the card gives an error id
    and the log holds the details under it; the other sectors are still drawn."""
    real = service.forecasts.get_forecast

    def quantum_breaks(**kwargs):
        if kwargs["sector"] == "quantum":
            raise TypeError("a defect in the quantum model")
        return real(**kwargs)

    monkeypatch.setattr(service.forecasts, "get_forecast", quantum_breaks)
    with caplog.at_level(logging.ERROR, logger="talentgap.service"):
        r = web_client(broken, role="reporter", lang="en").get("/ui/")
    assert r.status_code == 200
    error_id = re.search(r"internal error \(error id ([0-9a-f]{8})\)", card(r.text, "quantum")).group(1)
    assert "a defect in the quantum model" not in r.text, "no internals on the page"
    assert any(error_id in rec.getMessage() and rec.exc_info for rec in caplog.records)
    assert '<p class="headline">' in card(r.text, "security")


#: A profile matching battery and semiconductor occupations alike.
MIXED = {"cell_design": 1.0, "rtl_design": 1.0}


def test_a_skill_gap_over_all_sectors_leaves_the_failing_sector_out_and_says_why(broken):
    """POST /gaps without a sector: the battery model cannot run, so the answer covers the other matched
    sectors and lists battery with its reason; nothing partial is kept for the next request."""
    client = TestClient(create_app(broken))
    headers = {"Authorization": f"Bearer {create_key(broken, role='analyst', name='gap-all')}"}
    r = client.post("/api/v1/gaps", json={"skills": MIXED}, headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [x["sector"] for x in body["left_out"]] == ["battery"]
    assert REASON["en"] in body["left_out"][0]["reason"] and REASON["ko"] in body["left_out"][0]["reason_ko"]
    assert {m["sector"] for m in body["matches"]} == {"semiconductor"}
    assert body["rows"] and all(row["gap"]["p10"] <= row["gap"]["p50"] <= row["gap"]["p90"] for row in body["rows"])
    assert list_results(broken, kind="gap") == []  # the partial answer was not stored


def test_a_skill_gap_of_the_failing_sector_alone_is_its_error(broken):
    client = TestClient(create_app(broken))
    headers = {"Authorization": f"Bearer {create_key(broken, role='analyst', name='gap-one')}"}
    r = client.post("/api/v1/gaps", json={"skills": MIXED, "sector": "battery"}, headers=headers)
    assert r.status_code == 422 and r.json()["error"]["code"] == "forecast.not_finite"
    only = client.post("/api/v1/gaps", json={"skills": {"cell_design": 1.0}}, headers=headers)
    assert only.status_code == 422 and only.json()["error"]["code"] == "skills.not_computed"
    assert REASON["en"] in only.json()["error"]["message"]
    fine = client.post("/api/v1/gaps", json={"skills": MIXED, "sector": "semiconductor"}, headers=headers)
    assert fine.status_code == 200 and fine.json()["left_out"] == []


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_skill_gap_page_names_the_sector_left_out(broken, lang):
    client = web_client(broken, role="analyst", lang=lang)
    page = client.post("/ui/gap", data={"csrf": csrf(client), "w_cell_design": "1", "w_rtl_design": "1"})
    assert page.status_code == 200, page.text[:500]
    assert 'id="left-out"' in page.text and REASON[lang] in page.text and 'id="gap-summary"' in page.text
