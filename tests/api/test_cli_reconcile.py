"""`talentgap reconcile`: published projections beside the model in JSON and as a table; a bad sector
exits 2."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from talentgap.api.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('rc') / 'rc.db'}"


def test_json_lists_ten_figures_over_four_sectors_with_numeric_explanations(db):
    res = runner.invoke(app, ["reconcile", "--format", "json", "--db", db])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["rows"]
    assert len(rows) >= 10 and len({r["sector"] for r in rows}) >= 4
    assert {54_000, 81_000, 150_000, 54_450} <= {int(r["published"]) for r in rows}
    for r in rows:
        assert set(r) == {"sector", "figure", "source_id", "published", "window", "definition", "model",
                          "difference_pct", "explanation"}
        if not r["model"]["p10"] <= r["published"] <= r["model"]["p90"]:
            assert re.search(r"\d", r["explanation"]) and not r["explanation"].startswith("inside"), r


def test_one_sector_as_a_table(db):
    res = runner.invoke(app, ["reconcile", "--sector", "semiconductor", "--db", db])
    assert res.exit_code == 0, res.output
    assert "kiet_trend_shortfall" in res.stdout and "54,000" in res.stdout and "audit_shortfall" in res.stdout
    out = json.loads(runner.invoke(app, ["reconcile", "--sector", "battery", "--format", "json", "--db", db]).stdout)
    assert {r["sector"] for r in out["rows"]} == {"battery"}


def test_an_unknown_sector_exits_2_naming_it(db):
    res = runner.invoke(app, ["reconcile", "--sector", "steel", "--db", db])
    assert res.exit_code == 2 and "steel" in res.output
