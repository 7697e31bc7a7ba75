"""An import that changes nothing (every row already in the active version as it is) says so and makes
no version, through the store, the CLI and the API."""

from __future__ import annotations

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from talentgap.api.cli import app as cli
from talentgap.api.http.app import create_app
from talentgap.data.keys import create_key
from talentgap.data.store import Store

from ..conftest import write

ROW = ("series_id,sector,metric,definition,occupation,education,region,year,value,unit,source_id\n"
       ",semiconductor,stock,kiat_itw,,,,2021,100000,persons,t-w01\n")


def test_importing_the_same_rows_again_makes_no_version(store, tmp_path):
    first = store.import_file(write(tmp_path / "a.csv", ROW))
    again = store.import_file(write(tmp_path / "a.csv", ROW))
    assert not first.unchanged and again.unchanged
    assert again.version == first.version == store.active_version()
    assert (again.added_rows, again.replaced_rows, again.stored_rows) == (0, 1, 0)
    assert [v.id for v in store.versions()] == [1, 2]


def test_the_seed_rows_imported_back_change_nothing(store, tmp_path):
    store.export(tmp_path / "all.csv")
    result = store.import_file(tmp_path / "all.csv")
    assert result.unchanged and result.version == 1 and len(store.versions()) == 1


def test_the_cli_and_the_api_say_nothing_changed(tmp_path, small_seed):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    store = Store.open(url, seed=small_seed)
    path = write(tmp_path / "a.csv", ROW)
    assert CliRunner().invoke(cli, ["data", "import", str(path), "--db", url]).exit_code == 0
    r = CliRunner().invoke(cli, ["data", "import", str(path), "--db", url])
    assert r.exit_code == 0 and r.output.startswith("nothing changed: every row of a.csv is already in dataset "
                                                    "version 2")
    key = create_key(store, role="analyst", name="a")
    r = TestClient(create_app(store)).post("/api/v1/datasets", files={"file": ("a.csv", ROW.encode())},
                                           headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 200 and r.json()["unchanged"] is True and r.json()["version"] == 2
    assert len(store.versions()) == 2
