"""A sector added through ``POST /api/v1/sectors`` or the data page's form, then its figures uploaded:
its sector page in Korean and English, its report, and removal through ``DELETE``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from talentgap.api import service
from talentgap.api.cli import app as cli
from talentgap.api.http.app import create_app
from talentgap.data.keys import create_key
from talentgap.data.store import Store

from .web_client import csrf, web_client

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "display"


pytestmark = pytest.mark.usefixtures("shipped_sectors_after")


def upload_example(client: TestClient, headers: dict) -> None:
    with open(EXAMPLE / "observations.csv", "rb") as f:
        res = client.post("/api/v1/datasets", headers=headers, files={"file": ("display.csv", f, "text/csv")})
    assert res.status_code == 201, res.text


def test_a_sector_added_over_http_shows_everywhere(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'h.db'}")
    client = TestClient(create_app(store))
    admin = {"Authorization": f"Bearer {create_key(store, role='admin', name='admin')}"}
    analyst = {"Authorization": f"Bearer {create_key(store, role='analyst', name='analyst')}"}
    body = {"id": "display", "name_ko": "디스플레이", "name_en": "Display"}
    assert client.post("/api/v1/sectors", headers=analyst, json=body).status_code == 403
    res = client.post("/api/v1/sectors", headers=admin, json=body)
    assert res.status_code == 201, res.text
    assert res.json()["forecastable"] is False, "no figures yet: it says so rather than failing"
    again = client.post("/api/v1/sectors", headers=admin, json=body)
    assert again.status_code == 409 and "already exists" in again.text
    nameless = client.post("/api/v1/sectors", headers=admin, json={"id": "robotics", "name_en": "Robotics"})
    assert nameless.status_code == 422 and "name_ko" in nameless.text
    upload_example(client, admin)
    listed = client.get("/api/v1/sectors", headers=analyst).json()
    assert [s["sector"] for s in listed][-1] == "display" and listed[-1]["series"] > 0
    f = client.get("/api/v1/forecasts/디스플레이?horizon=2035", headers=analyst)
    assert f.status_code == 200, f.text
    rows = f.json()["rows"]
    assert rows[-1]["year"] == 2035 and all(r["gap"]["p10"] <= r["gap"]["p50"] <= r["gap"]["p90"] for r in rows)
    for role, lang, words in (("analyst", "ko", ("디스플레이", "가정: ")),
                              ("reporter", "en", ("Display", "assumed: no published figure"))):
        page = web_client(store, role=role, lang=lang).get(f"/ui/sectors/display?lang={lang}")
        assert page.status_code == 200, page.text[:500]
        assert all(w in page.text for w in words), lang
    home = web_client(store, role="university", lang="en").get("/ui/")
    assert 'href="/ui/sectors/display"' in home.text, "the dashboard has its card"
    out = tmp_path / "reports"
    res = CliRunner().invoke(cli, ["report", "--sector", "display", "--format", "html", "--lang", "en",
                                   "--out", str(out), "--db", store.url])
    assert res.exit_code == 0, res.output
    html = next(out.rglob("*.html")).read_text(encoding="utf-8")
    assert "Display" in html and "assumed: no published figure" in html
    gone = client.delete("/api/v1/sectors/display", headers=admin)
    assert gone.status_code == 200 and gone.json()["removed"] is True
    assert client.get("/api/v1/forecasts/display", headers=analyst).status_code == 404


def test_the_data_page_form_adds_a_sector(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'w.db'}")
    admin = web_client(store, role="admin", lang="en")
    page = admin.get("/ui/data")
    assert 'id="sector-form"' in page.text
    assert 'id="sector-form"' not in web_client(store, role="analyst").get("/ui/data").text, "admins only"
    token = csrf(admin)
    with open(EXAMPLE / "display.toml", "rb") as f:
        res = admin.post("/ui/data/sector", data={"csrf": token, "sector_id": "display", "name_ko": "",
                                                  "name_en": ""}, files={"spec": ("display.toml", f)})
    assert res.status_code == 200 and 'id="sector-added"' in res.text, res.text[-2000:]
    again = admin.post("/ui/data/sector", data={"csrf": token, "sector_id": "display", "name_ko": "디스플레이",
                                                "name_en": "Display"})
    assert again.status_code == 422 and "already exists" in again.text
    with open(EXAMPLE / "observations.csv", "rb") as f:
        up = admin.post("/ui/data/upload", data={"csrf": token}, files={"file": ("display.csv", f, "text/csv")})
    assert up.status_code == 200 and 'id="imported"' in up.text
    page = admin.get("/ui/sectors/display")
    assert page.status_code == 200 and re.search(r"Display", page.text)


def test_the_form_links_a_sector_to_ticked_occupations_and_programmes(tmp_path):
    """The add-a-sector form lists the taxonomy's occupations and programmes by name; ticked ones are stored
    as the sector's links, and an id the taxonomy does not hold is refused with the field named, nothing stored."""
    store = Store.open(f"sqlite:///{tmp_path / 'w.db'}")
    admin = web_client(store, role="admin", lang="ko")
    page = admin.get("/ui/data").text
    assert 'name="occupations"' in page and 'name="feeder_fields"' in page
    assert '<option value="equipment_engineer"' in page and "장비 엔지니어" in page
    token = csrf(admin)
    bad = admin.post("/ui/data/sector", data={"csrf": token, "sector_id": "automation", "name_ko": "자동화",
                                              "name_en": "Automation", "occupations": ["robot_whisperer"]})
    assert bad.status_code == 422 and "occupations" in bad.text and "robot_whisperer" in bad.text
    assert 'value="robot_whisperer"' not in bad.text
    assert "automation" not in {s["id"] for s in service.sectors.list_sectors(store=store)}
    res = admin.post("/ui/data/sector", data={"csrf": token, "sector_id": "automation", "name_ko": "자동화",
                                              "name_en": "Automation",
                                              "occupations": ["equipment_engineer", "smart_factory_data_engineer"],
                                              "feeder_fields": ["korea_battery_academy"]})
    assert res.status_code == 200 and 'id="sector-added"' in res.text, res.text[-2000:]
    shown = service.sectors.get_sector(store=store, sector="automation")
    assert shown["occupations"] == ["equipment_engineer", "smart_factory_data_engineer"]
    assert shown["feeder_fields"] == ["korea_battery_academy"]
