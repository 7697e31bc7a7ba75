"""Sectors as data (issue 20): a sector added by its id and names, its observations imported, forecast
with named default assumptions; refused bad input; removal; and no shipped sector id in the code."""

from __future__ import annotations

import io
import json
import math
import re
import tokenize
from pathlib import Path

import pytest
from typer.testing import CliRunner

from talentgap.api.cli import app
from talentgap.seeds.defaults import NEEDED
from talentgap.seeds.vocab import SHIPPED_SECTORS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "display"
runner = CliRunner()


pytestmark = pytest.mark.usefixtures("shipped_sectors_after")


def run(db, *args):
    return runner.invoke(app, [*map(str, args), "--db", db])


def check_forecast(out: dict, horizon: int = 2035) -> None:
    assert out["rows"][-1]["year"] == horizon
    for row in out["rows"]:
        for q in ("demand", "openings", "supply", "gap"):
            p10, p50, p90 = (row[q][k] for k in ("p10", "p50", "p90"))
            assert all(math.isfinite(v) for v in (p10, p50, p90)), (row["year"], q)
            assert p10 <= p50 <= p90, (row["year"], q)


STOCK = ("sector,metric,definition,year,value,unit,source_id,source_kind,source_ref,source_description,"
         "source_description_ko\n"
         "display,stock,kdia_tech,2022,45463,persons,dis-w01,url,https://example.org/d,KDIA survey,디스플레이 조사\n"
         "display,stock,kdia_tech,2023,50723,persons,dis-w01,,,,\n")


def test_a_sector_added_by_name_then_imported_forecasts_with_named_defaults(tmp_path):
    db = f"sqlite:///{tmp_path / 'fresh.db'}"
    res = run(db, "sector", "add", "display", "--name-ko", "디스플레이", "--name-en", "Display")
    assert res.exit_code == 0, res.output
    (tmp_path / "d.csv").write_text(STOCK, encoding="utf-8")
    assert run(db, "data", "import", tmp_path / "d.csv").exit_code == 0
    for code in ("display", "디스플레이", "Display"):
        res = run(db, "forecast", "--sector", code, "--horizon", 2035, "--format", "json")
        assert res.exit_code == 0, res.output
        out = json.loads(res.stdout)
        assert out["sector"] == "display"
        check_forecast(out)
    notes = " ".join(out["notes"])
    for name in NEEDED:  # every default is named, with the words that say it is assumed
        assert f"assumed: no published figure for {name}" in notes
    assert out["quality_grade"] == "C", "supply on assumed flows and two points: the thinnest grade"
    listed = json.loads(run(db, "sector", "list", "--format", "json").stdout)
    assert [s["id"] for s in listed] == [*SHIPPED_SECTORS, "display"]


def test_the_readme_example_runs_end_to_end(tmp_path):
    db = f"sqlite:///{tmp_path / 'readme.db'}"
    res = run(db, "sector", "add", "display", "--file", EXAMPLE / "display.toml")
    assert res.exit_code == 0, res.output
    res = run(db, "data", "import", EXAMPLE / "observations.csv")
    assert res.exit_code == 0, res.output
    res = run(db, "forecast", "--sector", "디스플레이", "--horizon", 2035, "--format", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    check_forecast(out)
    used = {a["name"]: a for a in out["assumptions"]}
    assert used["separation_rate"]["value"] == 0.07, "the file's own assumption, not the default"
    assert "separation_rate" not in " ".join(out["notes"])
    assert "assumed: no published figure for entry_rate" in " ".join(out["notes"])
    shown = run(db, "sector", "show", "display")
    assert "kiat_nextgen" in shown.stdout and "(default)" in shown.stdout


ROBOTICS = ROOT / "docs" / "examples" / "robotics"


def _robot_figures() -> tuple[dict[int, float], dict[int, float]]:
    """The example's stock and published growth rates (%) on the survey's current coverage, read from its
    upload (Korean headers), so the test checks the forecast against the cited figures themselves."""
    import csv

    stock, growth = {}, {}
    with open(ROBOTICS / "observations.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["정의"] == "kiria_robot_survey" and r["지표"] in ("현원", "현원 증가율"):
                (stock if r["지표"] == "현원" else growth)[int(r["연도"])] = float(r["값"])
    return stock, growth


def test_the_robotics_example_runs_end_to_end(tmp_path):
    from talentgap.data.store import Store

    from .web_client import web_client

    db = f"sqlite:///{tmp_path / 'robotics.db'}"
    res = run(db, "sector", "add", "robotics", "--file", ROBOTICS / "spec.toml")
    assert res.exit_code == 0, res.output
    res = run(db, "data", "import", ROBOTICS / "observations.csv")
    assert res.exit_code == 0 and "23 added" in res.output, res.output
    res = run(db, "forecast", "--sector", "로봇", "--horizon", 2035, "--format", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    check_forecast(out)
    assert out["sector"] == "robotics" and out["definition"] == "kiria_robot_survey"
    assert out["method"] == "drift-from-growth-rates"
    notes = " ".join(out["notes"])
    for name in ("entry_rate", "graduates_per_year", "reskilling", "foreign_inflow"):
        assert f"assumed: no published figure for {name}" in notes
    assert "no published figure for separation_rate" not in notes, "the file's own exit rate"
    assert {a["name"]: a["value"] for a in out["assumptions"]}["separation_rate"] == 0.06
    # demand grows from the last survey level by the drift of the published changes on the same coverage
    stock, growth = _robot_figures()
    assert sorted(stock) == [2021, 2022, 2023] and sorted(growth) == [2021, 2022]
    steps = [math.log1p(g / 100) for g in growth.values()] + [math.log(stock[2023] / stock[2022])]
    drift = math.exp(sum(steps) / len(steps)) - 1
    assert 0.02 < drift < 0.05, drift
    first = out["rows"][0]
    assert out["base_year"] == 2023 and first["year"] == 2024
    assert first["demand"]["p50"] == pytest.approx(stock[2023] * (1 + drift), rel=0.01)
    assert out["rows"][-1]["demand"]["p50"] == pytest.approx(stock[2023] * (1 + drift) ** 12, rel=0.03)
    assert first["demand"]["p10"] > 0.9 * stock[2023], "no collapse in the first year"
    # the early, narrower survey years are not joined with the trend: their sources are not among those used
    used = {src["source_id"] for src in out["sources"]}
    assert {"rob-w03", "rob-w04", "rob-w05"} <= used and not used & {"rob-w01", "rob-w02"}, used
    # openings are the growth plus the exits (6 % of the stock), within a few hundred people
    expected = stock[2023] * drift + 0.06 * stock[2023]
    assert first["openings"]["p50"] == pytest.approx(expected, rel=0.25)
    shown = run(db, "sector", "show", "robotics")
    assert "kiria_robot_survey_early" in shown.stdout and "entry_rate" in shown.stdout and "(default)" in shown.stdout
    reports = tmp_path / "reports"
    res = run(db, "report", "--out", reports, "--sector", "robotics", "--format", "html")
    assert res.exit_code == 0, res.output
    assert any("Robotics" in p.read_text(encoding="utf-8") or "로봇" in p.read_text(encoding="utf-8")
               for p in reports.rglob("*.html"))
    back = run(db, "backcast", "--sector", "로봇", "--origin", 2022, "--format", "json")
    assert back.exit_code == 0, back.output
    checked = json.loads(back.stdout)["rows"]
    assert [(r["year"], r["observed"]) for r in checked if r["metric"] == "stock"] == [(2023, stock[2023])]
    assert checked[0]["p10"] <= stock[2023] <= checked[0]["p90"], "the 2023 figure inside the range fitted to 2022"
    occ = run(db, "forecast", "--sector", "robotics", "--by", "occupation")
    assert occ.exit_code == 2 and "no occupations in the taxonomy" in occ.output, "no links: said so"
    store = Store.open(db)
    for role, lang, words in (("analyst", "ko", ("로봇", "가정: ", "33,839")),
                              ("reporter", "en", ("Robotics", "assumed: no published figure", "33,839"))):
        page = web_client(store, role=role, lang=lang).get(f"/ui/sectors/robotics?lang={lang}")
        assert page.status_code == 200, page.text[:500]
        missing = [w for w in words if w not in page.text]
        assert not missing, (lang, missing)


def test_bad_sectors_are_refused_with_the_reason_and_change_nothing(tmp_path):
    db = f"sqlite:///{tmp_path / 'bad.db'}"
    assert run(db, "sector", "add", "display", "--name-ko", "디스플레이", "--name-en", "Display").exit_code == 0
    versions = run(db, "data", "versions").stdout
    clash = run(db, "sector", "add", "display", "--name-ko", "디스플레이2", "--name-en", "Display 2")
    assert clash.exit_code == 2 and "already exists" in clash.output
    same_name = run(db, "sector", "add", "panel", "--name-ko", "반도체", "--name-en", "Panels")
    assert same_name.exit_code == 2 and "already exists" in same_name.output
    nameless = run(db, "sector", "add", "robotics", "--name-en", "Robotics")
    assert nameless.exit_code == 2 and "name_ko" in nameless.output
    spec = tmp_path / "robotics.toml"
    spec.write_text('name_ko = "로봇"\nname_en = "Robotics"\n[[definitions]]\ndefinition = "kiat"\n'
                    'label_en = "x"\nlabel_ko = "로봇"\n', encoding="utf-8")
    unused = run(db, "sector", "add", "robotics", "--file", spec)
    assert unused.exit_code == 2 and "used by no metric" in unused.output
    spec.write_text('name_ko = "로봇"\nname_en = "Robotics"\n[[assumptions]]\nname = "entry_rate"\nvalue = 2\n'
                    'low = 0\nhigh = 3\nunit = "share"\nrationale = "x"\nrationale_ko = "가정"\n', encoding="utf-8")
    bad_rate = run(db, "sector", "add", "robotics", "--file", spec)
    assert bad_rate.exit_code == 2 and "row 2" in bad_rate.output and "entry_rate" in bad_rate.output
    assert run(db, "data", "versions").stdout == versions, "a refused sector leaves the data as it was"
    unknown = tmp_path / "ai.csv"
    unknown.write_text(STOCK.replace("display", "ai"), encoding="utf-8")
    refused = run(db, "data", "import", unknown)
    assert refused.exit_code == 2 and "row 2, column sector" in refused.output


def test_removing_a_sector_in_use_is_refused_and_an_unused_one_leaves_the_others(tmp_path):
    db = f"sqlite:///{tmp_path / 'rm.db'}"
    before = json.loads(run(db, "forecast", "--sector", "quantum", "--format", "json").stdout)
    assert run(db, "sector", "add", "display", "--name-ko", "디스플레이", "--name-en", "Display").exit_code == 0
    (tmp_path / "d.csv").write_text(STOCK, encoding="utf-8")
    assert run(db, "data", "import", tmp_path / "d.csv").exit_code == 0
    assert run(db, "scenario", "create", "more-grads", "--sector", "디스플레이",
               "--set", "extra_graduates=100").exit_code == 0
    refused = run(db, "sector", "remove", "display")
    assert refused.exit_code == 2 and "more-grads" in refused.output
    assert run(db, "scenario", "delete", "more-grads").exit_code == 0
    res = run(db, "sector", "remove", "display")
    assert res.exit_code == 0, res.output
    assert "display" not in run(db, "sector", "list").stdout
    gone = run(db, "forecast", "--sector", "display", "--format", "json")
    assert gone.exit_code == 2
    after = json.loads(run(db, "forecast", "--sector", "quantum", "--format", "json").stdout)
    assert after["rows"] == before["rows"] and after["dataset_version"] > before["dataset_version"]


# -- no shipped sector id in the code ------------------------------------------------------------------
PACKAGES = [ROOT / "api", ROOT / "models", ROOT / "data", ROOT / "talentgap", *sorted((ROOT / "seeds").glob("*.py"))]


def _code_words(path: Path) -> list[tuple[int, str]]:
    """Names and string literals of a module (comments left out), with their line numbers."""
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if tok.type in (tokenize.NAME, tokenize.STRING):
            out.append((tok.start[0], tok.string))
    return out


def test_no_shipped_sector_id_in_the_packages():
    ids = "|".join(re.escape(s) for s in SHIPPED_SECTORS)
    word = re.compile(rf"(?<![\w-])({ids})(?![\w-])")
    found = []
    for base in PACKAGES:
        for path in sorted(base.rglob("*.py")) if base.is_dir() else [base]:
            if "migrations" in path.parts:
                continue
            found += [f"{path.relative_to(ROOT)}:{line}: {text[:60]}" for line, text in _code_words(path)
                      if word.search(text)]
    assert not found, "\n".join(found)


def test_a_workbook_with_a_sectors_sheet_adds_the_sector_and_its_rows_in_one_version(tmp_path):
    import pandas as pd

    db = f"sqlite:///{tmp_path / 'book.db'}"
    rows = pd.read_csv(io.StringIO(STOCK), dtype=str, keep_default_na=False)
    book = tmp_path / "display.xlsx"
    with pd.ExcelWriter(book) as xw:
        rows.to_excel(xw, sheet_name="observations", index=False)
        pd.DataFrame([{"id": "display", "name_ko": "", "name_en": "Display"}]).to_excel(
            xw, sheet_name="sectors", index=False)
    versions = run(db, "data", "versions").stdout
    bad = run(db, "data", "import", book)
    assert bad.exit_code == 2 and "row 2, column sectors!name_ko" in bad.output, bad.output
    assert run(db, "data", "versions").stdout == versions, "nothing changed"
    with pd.ExcelWriter(book) as xw:
        rows.to_excel(xw, sheet_name="observations", index=False)
        pd.DataFrame([{"id": "display", "name_ko": "디스플레이", "name_en": "Display"}]).to_excel(
            xw, sheet_name="sectors", index=False)
    res = run(db, "data", "import", book)
    assert res.exit_code == 0, res.output
    out = json.loads(run(db, "forecast", "--sector", "display", "--format", "json").stdout)
    check_forecast(out)
    assert out["dataset_version"] == 2, "the sector and its rows are one version"


def test_a_sector_file_may_be_a_workbook(tmp_path):
    import pandas as pd

    db = f"sqlite:///{tmp_path / 'spec.db'}"
    spec = tmp_path / "robotics.xlsx"
    with pd.ExcelWriter(spec) as xw:
        pd.DataFrame([{"field": "name_ko", "value": "로봇"}, {"field": "name_en", "value": "Robotics"}]).to_excel(
            xw, sheet_name="sector", index=False)
        pd.DataFrame([{"definition": "kiat_robot", "label_en": "Robot industry workforce", "label_ko": "로봇 인력",
                       "description": "", "description_ko": "", "metrics": "stock"}]).to_excel(
            xw, sheet_name="definitions", index=False)
        pd.DataFrame([{"name": "entry_rate", "value": "0.5", "low": "0.3", "high": "0.7", "unit": "share",
                       "source_id": "", "rationale": "judgement", "rationale_ko": "판단", "basis": "judgement"}]
                     ).to_excel(xw, sheet_name="assumptions", index=False)
    res = run(db, "sector", "add", "robotics", "--file", spec)
    assert res.exit_code == 0, res.output
    shown = json.loads(run(db, "sector", "show", "로봇", "--format", "json").stdout)
    assert shown["name_en"] == "Robotics" and shown["definitions"][0]["metrics"] == ["stock"]
    assert shown["forecastable"] is False and "no stock series" in shown["reason"]


def test_a_sector_file_with_a_bad_training_plan_part_is_refused_naming_the_field_and_value(tmp_path):
    db = f"sqlite:///{tmp_path / 'plan.db'}"
    spec = tmp_path / "chips.toml"
    spec.write_text(
        'name_ko = "칩"\nname_en = "Chips"\n'
        '[model.demand]\nmethod = "trend"\ntrend = "chips.stock.x"\n'
        '[model.policy]\nmethod = "anchored"\nanchor = "chips.projection.x"\n'
        '[model.policy.plan]\nlabel = "a plan"\nlabel_ko = "계획"\nsource_ids = ["semi-w41"]\n'
        '[[model.policy.plan.levers]]\nid = "seats"\nlever = "dedicated_seats"\nper_year = -40\nyears = [2025, 2029]\n'
        'source_ids = ["semi-w41"]\nnote = "Seats."\nnote_ko = "정원."\n'
        '[[definitions]]\ndefinition = "x"\nlabel_en = "x"\nlabel_ko = "엑스"\nmetrics = ["stock"]\n', encoding="utf-8")
    refused = run(db, "sector", "add", "chips", "--file", spec)
    assert refused.exit_code == 2
    assert "plan.levers.0.per_year" in refused.output and "-40" in refused.output
    spec.write_text(spec.read_text(encoding="utf-8").replace("per_year = -40", "per_year = 40"), encoding="utf-8")
    assert run(db, "sector", "add", "chips", "--file", spec).exit_code == 0
