"""A programme is assessed at its own education level: the openings, supply and entry rate of that level,
so a master's and a high-school programme of the same seats get different answers."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from talentgap.api.cli import app
from talentgap.data.store import Store

runner = CliRunner()
SKILLS = {"semiconductor": {"process_integration": 1}, "battery": {"production_engineering": 1}}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("programme") / "p.db"
    Store.open(f"sqlite:///{path}")
    return f"sqlite:///{path}"


def assess(db, tmp_path, degree: str, sector: str = "semiconductor") -> dict:
    path = tmp_path / f"{degree}.json"
    path.write_text(json.dumps({"name": f"Fab {degree}", "sector": sector, "degree": degree, "seats_per_year": 40,
                                "skills": SKILLS[sector]}))
    r = runner.invoke(app, ["program", "assess", "--file", str(path), "--db", db, "--format", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


@pytest.mark.parametrize("sector", ["semiconductor", "battery"])
def test_master_and_high_school_programmes_of_the_same_seats_differ(db, tmp_path, sector):
    master, school = assess(db, tmp_path, "master", sector), assess(db, tmp_path, "high_school", sector)
    assert (master["level"], school["level"]) == ("master_phd", "high_school")
    first = [(o["openings_per_graduate"]["p50"]) for o in (master["outlook"][0], school["outlook"][0])]
    assert first[0] != pytest.approx(first[1], rel=0.02), "each level has its own openings per graduate"


def test_a_level_with_its_own_entry_rate_uses_it(db, tmp_path):
    # battery states a master's/PhD entry rate of its own (lab alumni) and a sector-wide one for the rest
    school = assess(db, tmp_path, "high_school", "battery")
    assert school["entry_rate"] == pytest.approx(0.8)
    master = assess(db, tmp_path, "master", "battery")
    assert master["entry_rate"] != school["entry_rate"]
