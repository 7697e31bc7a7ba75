"""Every cumulative figure carries its window, and the CLI, the API and the web UI agree on it: the
rows' cumulative gap sums from ``cumulative_from`` (the first year after the base year), the headline
sentence from its own stated first year."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from talentgap.api.cli import app
from talentgap.api.http.app import create_app
from talentgap.api.render.headline import headline
from talentgap.api.render.numbers import plain
from talentgap.api.service import SectorForecast
from talentgap.data.keys import create_key
from talentgap.data.store import Store

from .web_client import web_client

runner = CliRunner()


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    path = tmp_path_factory.mktemp("window") / "w.db"
    store = Store.open(f"sqlite:///{path}")
    key = create_key(store, role="admin", name="admin")
    api = TestClient(create_app(store), headers={"Authorization": f"Bearer {key}"})
    return f"sqlite:///{path}", api, web_client(store)


def test_cli_api_and_ui_state_the_same_windows(env):
    db, api, web = env
    cli = json.loads(runner.invoke(app, ["forecast", "--sector", "battery", "--format", "json", "--db", db]).output)
    served = api.get("/api/v1/forecasts/battery").json()
    assert cli["cumulative_from"] == served["cumulative_from"] == served["base_year"] + 1 == 2023
    last = {f["rows"][-1]["year"]: f["rows"][-1]["cumulative_gap"]["p50"] for f in (cli, served)}
    assert len(last) == 1 and list(last.values())[0] == pytest.approx(served["rows"][-1]["cumulative_gap"]["p50"])
    table = runner.invoke(app, ["forecast", "--sector", "battery", "--db", db]).output
    assert "cum. gap 누적 2023–" in table and "cum. gap = gap summed from 2023" in table
    assert f"{served['rows'][-1]['cumulative_gap']['p50']:,.0f}" in table
    for lang, label in (("ko", "2023년부터 누적 부족"), ("en", "Cumulative gap from 2023")):
        page = web.get(f"/ui/sectors/battery?lang={lang}").text
        assert label in page, "the table's cumulative column names its first year"
        sentence = headline(SectorForecast.model_validate(served)).sentence(lang)
        heads = [plain(unescape(h)) for h in re.findall(r'<p class="headline"[^>]*>([^<]+)</p>', page)]
        assert plain(sentence) in heads, "the headline is the API's numbers over the window it states"
        assert re.search(r"20\d\d ?(~|–|to) ?2035", plain(sentence)), "the headline names its window"
