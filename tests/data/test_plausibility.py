"""Values a metric cannot take are refused on import with their row and column (a negative stock, a
share over 100 %), values implausible against the series' history are refused unless the import says
they are meant (and the version's origin records it), and a result that is not finite is refused
rather than served."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from talentgap.api import service
from talentgap.api.cli import app as cli
from talentgap.api.http.app import create_app
from talentgap.data.files import UploadError
from talentgap.data.keys import create_key
from talentgap.data.store import Store
from talentgap.models.finite import NonFiniteResult, first_non_finite

from ..conftest import write

HEADER = "series_id,sector,metric,definition,occupation,education,region,year,value,unit,source_id\n"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """The shipped seed dataset (the sectors' real histories), copied per test by :func:`fresh`."""
    path = tmp_path_factory.mktemp("seeded") / "seed.db"
    Store.open(f"sqlite:///{path}")
    return path


@pytest.fixture
def store(seeded, tmp_path):
    copy = tmp_path / "p.db"
    copy.write_bytes(seeded.read_bytes())
    return Store.open(f"sqlite:///{copy}")


def refused(store: Store, tmp_path, rows: str, **kw) -> list[str]:
    before = store.active_version()
    with pytest.raises(UploadError) as info:
        store.import_file(write(tmp_path / "u.csv", HEADER + rows), **kw)
    assert store.active_version() == before
    return [str(p) for p in info.value.problems]


def test_a_negative_stock_is_refused_with_its_row_and_column(store, tmp_path):
    """The issue's row: it was accepted and broke the quantum forecast, the dashboard and reports."""
    problems = refused(store, tmp_path, ",quantum,stock,nia_core_phd,,,,2025,-500,persons,qua-w01\n")
    assert problems == ["row 2, column value: cannot be negative: stock is a count or amount in persons "
                        "(got '-500')"]


@pytest.mark.parametrize("row, message", [
    (",battery,shortage_rate,kiat_emerging,,,,2023,140,%,bat-w01", "must be between 0 and 100"),
    (",battery,shortage_rate,kiat_emerging,,,,2023,-1,%,bat-w01", "must be between 0 and 100"),
    (",battery,hires,kiat_emerging,,,,2023,-3,persons,bat-w01", "cannot be negative"),
    (",security,stock_growth_rate,kisia_industry_survey,,,,2023,-120,%,bat-w01", "cannot be below -100"),
], ids=["share-over-100", "negative-share", "negative-hires", "fall-past-everything"])
def test_values_outside_the_metrics_domain_are_refused(store, tmp_path, row, message):
    assert message in refused(store, tmp_path, row + "\n", allow_implausible=True)[0]


@pytest.mark.parametrize("row", [
    ",security,net_inflow,kisia_industry_survey,,,,2024,-40,persons,bat-w01",
    ",security,stock_growth_rate,kisia_industry_survey,,,,2025,-8,%,bat-w01",
], ids=["negative-net-inflow", "shrinking-stock"])
def test_changes_and_balances_may_be_negative(store, tmp_path, row):
    assert store.import_file(write(tmp_path / "u.csv", HEADER + row + "\n")).version == 2


def test_a_stock_a_hundred_times_its_series_is_refused_unless_meant(store, tmp_path):
    row = ",battery,stock,kiat_emerging,,,,2023,5634000,persons,bat-w01\n"  # ×100 the 2022 value, 56,340
    problems = refused(store, tmp_path, row)
    assert problems == ["row 2, column value: is 100 times the series' 2022 value (56,340); a change of 10-fold or "
                        "more is refused as implausible (a unit slip?). Correct it, or import with the plausibility "
                        "override if it is right (got '5,634,000')"]
    result = store.import_file(write(tmp_path / "u.csv", HEADER + row), allow_implausible=True)
    assert store.versions()[-1].origin == "import u.csv (plausibility checks overridden)"
    assert result.version == store.active_version()


def test_a_correction_is_compared_with_its_neighbours_not_with_the_value_it_replaces(store, tmp_path):
    store.import_file(write(tmp_path / "bad.csv", HEADER + ",battery,stock,kiat_emerging,,,,2023,5634000,persons,"
                            "bat-w01\n"), allow_implausible=True)
    fixed = store.import_file(write(tmp_path / "fix.csv", HEADER + ",battery,stock,kiat_emerging,,,,2023,57000,"
                                    "persons,bat-w01\n"))
    assert fixed.replaced_rows == 1


def test_a_new_series_far_above_its_sector_is_refused(store, tmp_path):
    problems = refused(store, tmp_path, ",battery,stock,made_up,,,,2023,1e200,persons,bat-w01\n")
    assert len(problems) == 1 and "times the largest stock in persons this sector holds" in problems[0]
    # a new breakdown far below the sector's totals is ordinary
    assert store.import_file(write(tmp_path / "v.csv", HEADER + ",battery,stock,made_up,,,,2023,12,persons,"
                                   "bat-w01\n")).version == 2


def test_a_forecast_that_is_not_finite_is_refused_not_served(store, tmp_path):
    store.import_file(write(tmp_path / "u.csv", HEADER + ",battery,stock,kiat_emerging,,,,2023,1e200,persons,bat-w01\n"),
                      allow_implausible=True)
    key = create_key(store, role="analyst", name="a")
    client = TestClient(create_app(store))
    r = client.get("/api/v1/forecasts/battery", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "forecast.not_finite"
    assert "NaN" not in r.text and "Infinity" not in r.text
    with pytest.raises(NonFiniteResult, match="battery forecast computed from dataset version 2"):
        service.get_forecast(store=store, sector="battery")


def test_the_finite_check_finds_the_place():
    assert first_non_finite({"rows": [{"demand": {"p50": 1.0}}, {"demand": {"p50": float("inf")}}]}) == \
        "rows[1].demand.p50"
    assert first_non_finite({"rows": [{"demand": {"p50": 1.0}}], "note": "nan"}) is None


def test_the_cli_refuses_with_exit_2_and_imports_with_the_override(seeded, tmp_path):
    db = tmp_path / "c.db"
    db.write_bytes(seeded.read_bytes())
    url = f"sqlite:///{db}"
    path = write(tmp_path / "neg.csv", HEADER + ",quantum,stock,nia_core_phd,,,,2025,40000,persons,qua-w01\n")
    r = CliRunner().invoke(cli, ["data", "import", str(path), "--db", url])
    assert r.exit_code == 2 and "row 2, column value" in r.output and "implausible" in r.output
    r = CliRunner().invoke(cli, ["data", "import", str(path), "--db", url, "--allow-implausible"])
    assert r.exit_code == 0, r.output
    versions = json.dumps([v.origin for v in Store.open(url).versions()])
    assert "plausibility checks overridden" in versions
