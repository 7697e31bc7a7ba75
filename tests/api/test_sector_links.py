"""A stored sector's links to the skill taxonomy (issue 20, build item 1): ``occupations`` and
``feeder_fields`` in a sector file, workbook or POST body; unknown ids refused by name with nothing
stored; the links shown, and used by ``--by occupation``, the skill gap and the skills list."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from talentgap.api.cli import app
from talentgap.api.http.app import create_app
from talentgap.data.keys import create_key
from talentgap.data.store import Store
from talentgap.seeds.sectors import entry_from_mapping, link_problems, shipped_entries, use_sectors
from talentgap.seeds.taxonomy import taxonomy, with_links

from .web_client import csrf, web_client

runner = CliRunner()
# two occupations of different shipped sectors and one programme, all in seeds/taxonomy
OCCUPATIONS = ["equipment_engineer", "smart_factory_data_engineer"]
PROGRAMMES = ["korea_battery_academy"]
STOCK = ("sector,metric,definition,year,value,unit,source_id,source_kind,source_ref,source_description,"
         "source_description_ko\n"
         "automation,stock,survey,2021,10000,persons,aut-w01,url,https://example.org/a,Survey,조사\n"
         "automation,stock,survey,2022,10400,persons,aut-w01,,,,\n"
         "automation,stock,survey,2023,10900,persons,aut-w01,,,,\n")
SPEC = ('name_ko = "자동화"\nname_en = "Automation"\n'
        f'occupations = {json.dumps(OCCUPATIONS)}\nfeeder_fields = {json.dumps(PROGRAMMES)}\n')


pytestmark = pytest.mark.usefixtures("shipped_sectors_after")


def run(db, *args):
    return runner.invoke(app, [*map(str, args), "--db", db])


def test_with_links_adds_the_sectors_rows_and_leaves_the_taxonomy_as_it_was():
    tax = taxonomy()
    linked = with_links(tax, (("automation", tuple(OCCUPATIONS), tuple(PROGRAMMES)),))
    own = linked.occupations[linked.occupations["sector"] == "automation"]
    assert own["id"].tolist() == OCCUPATIONS
    assert own["share"].sum() == pytest.approx(1.0) and (own["share"] == 0.5).all(), "equal shares"
    assert (own["low"] <= own["share"]).all() and (own["share"] <= own["high"]).all()
    assert own["rationale"].str.startswith("assumed: no published figure").all() and (own["source_id"] == "").all()
    home = tax.occupations.set_index("id").loc[OCCUPATIONS, "skills"].tolist()
    assert own["skills"].tolist() == home, "a linked occupation keeps its skill profile"
    assert linked.programmes[linked.programmes["sector"] == "automation"]["id"].tolist() == PROGRAMMES
    pd.testing.assert_frame_equal(linked.occupations.iloc[:len(tax.occupations)], tax.occupations)
    assert "equipment_engineering" in linked.skill_ids("automation"), "skills of the linked rows"
    assert "equipment_engineering" not in tax.skill_ids("automation")
    assert with_links(tax, ()) is tax


def test_link_lists_are_read_from_a_list_or_a_cell_and_unknown_ids_are_named():
    entry = entry_from_mapping({"id": "automation", "occupations": "equipment_engineer; smart_factory_data_engineer;",
                                "feeder_fields": ["korea_battery_academy", "korea_battery_academy"]})
    assert entry.occupations == tuple(OCCUPATIONS) and entry.feeder_fields == tuple(PROGRAMMES)
    assert link_problems(entry) == []
    bad = entry_from_mapping({"occupations": ["robot_engineer"], "feeder_fields": ["mechanical_engineering"]})
    problems = link_problems(bad)
    assert len(problems) == 2
    assert problems[0].startswith("occupations: 'robot_engineer' not in the skill taxonomy")
    assert problems[1].startswith("feeder_fields: 'mechanical_engineering' not in the skill taxonomy")
    assert "equipment_engineer" in problems[0] and "korea_battery_academy" in problems[1], "the known ids listed"


def test_a_linked_sector_is_stored_shown_and_broken_down_by_its_occupations(tmp_path):
    db = f"sqlite:///{tmp_path / 'links.db'}"
    versions = run(db, "data", "versions").stdout
    bad = tmp_path / "bad.toml"
    bad.write_text(SPEC.replace("equipment_engineer", "robot_engineer"), encoding="utf-8")
    refused = run(db, "sector", "add", "automation", "--file", bad)
    assert refused.exit_code == 2 and "occupations: 'robot_engineer' not in the skill taxonomy" in refused.output
    assert run(db, "data", "versions").stdout == versions and "automation" not in run(db, "sector", "list").stdout
    spec = tmp_path / "automation.toml"
    spec.write_text(SPEC, encoding="utf-8")
    res = run(db, "sector", "add", "automation", "--file", spec)
    assert res.exit_code == 0, res.output
    shown = json.loads(run(db, "sector", "show", "자동화", "--format", "json").stdout)
    assert shown["occupations"] == OCCUPATIONS and shown["feeder_fields"] == PROGRAMMES
    assert "equipment_engineer" in run(db, "sector", "show", "automation").stdout
    (tmp_path / "a.csv").write_text(STOCK, encoding="utf-8")
    assert run(db, "data", "import", tmp_path / "a.csv").exit_code == 0
    total = json.loads(run(db, "forecast", "--sector", "automation", "--horizon", 2030, "--format", "json").stdout)
    res = run(db, "forecast", "--sector", "automation", "--horizon", 2030, "--by", "occupation", "--format", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    table = out["breakdown"]["occupations"]
    assert [r["occupation"] for r in table] == OCCUPATIONS
    assert [r["demand_share"] for r in table] == [0.5, 0.5]
    assert sum(r["supply_share"] for r in table) == pytest.approx(1.0)
    # the battery academy teaches production engineering: its supply maps to the smart-factory engineer
    assert table[1]["supply_share"] > table[0]["supply_share"]
    for year in (2024, 2030):
        parts = [r for r in out["rows"] if r["year"] == year and r.get("occupation")]
        whole = next(r for r in total["rows"] if r["year"] == year)
        assert len(parts) == 2
        assert sum(r["demand"]["p50"] for r in parts) == pytest.approx(whole["demand"]["p50"], rel=1e-6)
    assert any("assumed: no published split" in n and "equipment_engineer" in n for n in out["notes"])
    use_sectors(shipped_entries())  # as in a new process: the command reads the store's sectors itself
    res = run(db, "skills", "--sector", "automation", "--format", "json")
    assert res.exit_code == 0, res.output
    skills = json.loads(res.stdout)
    assert {"equipment_engineering", "production_engineering"} <= {s["id"] for s in skills}
    by_name = json.loads(run(db, "skills", "--sector", "자동화", "--format", "json").stdout)
    assert by_name == skills, "the Korean name lists the same skills as the id"
    gap = run(db, "gap", "--skills", "equipment_engineering=1,embedded_sw=0.3", "--sector", "automation",
              "--horizon", 2030, "--format", "json")
    assert gap.exit_code == 0, gap.output
    matched = json.loads(gap.stdout)["matches"]
    by_name = run(db, "gap", "--skills", "equipment_engineering=1,embedded_sw=0.3", "--sector", "자동화",
                  "--horizon", 2030, "--format", "json")
    assert by_name.exit_code == 0 and json.loads(by_name.stdout)["matches"] == matched, by_name.output
    assert matched[0]["occupation"] == "equipment_engineer" and matched[0]["sector"] == "automation"
    assert all(math.isfinite(r["demand"]["p50"]) and r["demand"]["p50"] > 0 for r in json.loads(gap.stdout)["rows"])
    store = Store.open(db)
    for role, lang, label in (("analyst", "ko", "장비 엔지니어"), ("reporter", "en", "Smart-factory software")):
        page = web_client(store, role=role, lang=lang).get(f"/ui/sectors/automation?lang={lang}")
        assert page.status_code == 200 and label in page.text, (lang, page.text[:300])
    web = web_client(store, role="admin", lang="en")
    form = web.get("/ui/gap?sector=automation").text
    assert 'name="w_equipment_engineering"' in form, "the skill-gap form offers the linked occupations' skills"
    answer = web.post("/ui/gap", data={"csrf": csrf(web), "sector": "automation", "w_equipment_engineering": "1"})
    assert answer.status_code == 200 and "Equipment engineer" in answer.text, answer.text[:500]


def test_links_through_post_and_a_workbook(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'h.db'}")
    client = TestClient(create_app(store))
    admin = {"Authorization": f"Bearer {create_key(store, role='admin', name='admin')}"}
    body = {"id": "automation", "name_ko": "자동화", "name_en": "Automation", "occupations": ["nope"]}
    res = client.post("/api/v1/sectors", headers=admin, json=body)
    assert res.status_code == 422 and "occupations" in res.text and "nope" in res.text, res.text
    assert client.get("/api/v1/sectors", headers=admin).json()[-1]["sector"] != "automation", "nothing stored"
    res = client.post("/api/v1/sectors", headers=admin, json={**body, "occupations": OCCUPATIONS,
                                                              "feeder_fields": PROGRAMMES})
    assert res.status_code == 201, res.text
    assert res.json()["occupations"] == OCCUPATIONS
    detail = client.get("/api/v1/sectors/automation", headers=admin).json()
    assert detail["occupations"] == OCCUPATIONS and detail["feeder_fields"] == PROGRAMMES
    book = tmp_path / "spec.xlsx"
    with pd.ExcelWriter(book) as xw:
        pd.DataFrame([{"field": "name_ko", "value": "로봇"}, {"field": "name_en", "value": "Robotics"},
                      {"field": "occupations", "value": "equipment_engineer;pack_bms_engineer"}]).to_excel(
            xw, sheet_name="sector", index=False)
    res = run(store.url, "sector", "add", "robotics", "--file", book)
    assert res.exit_code == 0, res.output
    shown = json.loads(run(store.url, "sector", "show", "robotics", "--format", "json").stdout)
    assert shown["occupations"] == ["equipment_engineer", "pack_bms_engineer"] and shown["feeder_fields"] == []


def test_a_data_workbooks_sectors_sheet_carries_links_checked_by_row_and_column(tmp_path):
    import io

    db = f"sqlite:///{tmp_path / 'book.db'}"
    rows = pd.read_csv(io.StringIO(STOCK), dtype=str, keep_default_na=False)
    book = tmp_path / "automation.xlsx"

    def write(occupations: str) -> None:
        with pd.ExcelWriter(book) as xw:
            rows.to_excel(xw, sheet_name="observations", index=False)
            pd.DataFrame([{"id": "automation", "name_ko": "자동화", "name_en": "Automation",
                           "occupations": occupations, "feeder_fields": "korea_battery_academy"}]).to_excel(
                xw, sheet_name="sectors", index=False)

    versions = run(db, "data", "versions").stdout
    write("equipment_engineer;robot_engineer")
    bad = run(db, "data", "import", book)
    assert bad.exit_code == 2 and "row 2, column sectors!occupations" in bad.output and "robot_engineer" in bad.output
    assert run(db, "data", "versions").stdout == versions, "nothing changed"
    write("equipment_engineer; smart_factory_data_engineer")
    assert run(db, "data", "import", book).exit_code == 0
    out = json.loads(run(db, "forecast", "--sector", "automation", "--by", "occupation", "--format", "json").stdout)
    assert [r["occupation"] for r in out["breakdown"]["occupations"]] == OCCUPATIONS
