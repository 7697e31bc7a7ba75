"""Skill taxonomy integrity, matching, mismatch, programme assessment and the destination model."""

from __future__ import annotations

import numpy as np
import pytest

from talentgap.models.destinations import fit_destinations
from talentgap.models.skills import (
    SkillInputError,
    SkillSpace,
    assess_programme,
    gap_by_skill,
    mismatch,
    skills_to_add,
    validate_programme,
)
from talentgap.seeds.loader import seed_dataset
from talentgap.seeds.taxonomy import DEGREES, load_taxonomy, taxonomy
from talentgap.seeds.vocab import SECTORS


@pytest.fixture(scope="module")
def space():
    return SkillSpace.build(taxonomy())


def test_taxonomy_integrity():
    tax = taxonomy()
    ids = set(tax.skills["id"])
    assert 30 <= len(ids) <= 60
    for frame in (tax.occupations, tax.programmes):
        for weights in frame["skills"]:
            assert weights and set(weights) <= ids and all(w >= 0 for w in weights.values())
    assert set(tax.occupations["sector"]) == set(SECTORS)
    assert tax.occupations.groupby("sector")["share"].sum().round(3).eq(1).all()
    assert set(tax.programmes["degree"]) <= set(DEGREES)
    shared = tax.skills[tax.skills["sectors"].map(lambda s: "shared" in s)]["id"]
    assert {"ai_ml", "embedded_sw", "data_analytics"} <= set(shared), "cross-sector skills are listed once"
    assert tax.skills["label_ko"].str.len().gt(0).all()


def test_taxonomy_rejects_unknown_skills(tmp_path):
    import shutil

    from talentgap.seeds.taxonomy import TAXONOMY_DIR, TaxonomyError

    for f in TAXONOMY_DIR.iterdir():
        shutil.copy(f, tmp_path / f.name)
    text = (tmp_path / "programmes.csv").read_text(encoding="utf-8").replace("rtl_design=0.6", "telepathy=0.6", 1)
    (tmp_path / "programmes.csv").write_text(text, encoding="utf-8")
    with pytest.raises(TaxonomyError, match="unknown skill 'telepathy'"):
        load_taxonomy(tmp_path)


def test_matching_finds_the_obvious_occupation(space):
    occ, prog = space.match(space.vector({"rtl_design": 1, "verification": 0.5}))
    assert occ.iloc[0]["id"] == "design_engineer" and occ.iloc[0]["similarity"] > 0.9
    assert prog.iloc[0]["sector"] == "semiconductor"


def test_profile_spanning_two_sectors_matches_both(space):
    occ, _ = space.match(space.vector({"rtl_design": 1, "security_operations": 1}))
    assert {"semiconductor", "security"} <= set(occ["sector"])


def test_high_demand_profile_has_lower_mismatch_than_unrelated(space):
    occ = taxonomy().occupations
    top = occ[occ.sector == "battery"].sort_values("share").iloc[-1]
    matching = mismatch(space.vector(top["skills"]), space.demand_mix("battery"))
    unrelated = mismatch(space.vector({"quantum_sensing": 1, "satellite_ntn": 1}), space.demand_mix("battery"))
    assert matching < 0.3 < 0.99 <= unrelated


def test_adding_a_suggested_skill_lowers_the_mismatch(space):
    profile = {"electrode_materials": 1.0}
    before = mismatch(space.vector(profile), space.demand_mix("battery"))
    suggestion = skills_to_add(space, profile, "battery")[0]
    after = mismatch(space.vector({**profile, suggestion["skill"]: suggestion["weight"]}), space.demand_mix("battery"))
    assert after == pytest.approx(suggestion["mismatch_after"]) and after < before


@pytest.mark.parametrize("profile", [
    {"electrode_materials": 1.0, "cell_design": 0.5},
    {"electrode_materials": 0.4, "production_engineering": 0.2, "cell_design": 0.1},
    {"electrode_materials": 8.0, "cell_design": 2.0},
], ids=lambda p: f"largest={max(p.values())}")
def test_suggestions_are_skills_the_programme_lacks_at_weights_within_its_scale(space, profile):
    suggestions = skills_to_add(space, profile, "battery", top=len(space.ids))
    assert suggestions, "a partial profile has something to add"
    assert not {s["skill"] for s in suggestions} & set(profile)
    assert all(0 < s["weight"] <= max(profile.values()) for s in suggestions)
    assert all(s["effect"] < 0 for s in suggestions)


def test_programme_outlook_and_skills_to_add_are_in_people(space):
    """The outlook gives openings and comparable graduates in people (their ratio is the outlook's
    openings per graduate, draw by draw, so the medians agree in order); each skill to add carries the
    sector's gap in people with that skill in the last year, the same number the gap by skill gives."""
    rng = np.random.default_rng(3)
    years = np.arange(2025, 2031)
    sim = {"years": years, "openings": rng.uniform(900, 1100, (400, 6)) * np.linspace(1, 2, 6),
           "supply": rng.uniform(500, 700, (400, 6))}
    prog = {"name": "p", "sector": "battery", "degree": "master", "seats_per_year": 40.0,
            "skills": {"production_engineering": 1.0}}
    out = assess_programme(space, prog, sim, entry_rate=0.5, entry_rate_source="x")
    first, last = out["outlook"][0], out["outlook"][-1]
    assert last["openings"]["p50"] > first["openings"]["p50"] > 0, "openings follow the sector's growth"
    assert last["graduates"]["p10"] >= 40 * 0.5, "the programme's own entrants are among the graduates"
    assert last["openings"]["p50"] / last["graduates"]["p50"] == pytest.approx(
        last["openings_per_graduate"]["p50"], rel=0.15)
    by_skill = {r["skill"]: r["gap"] for r in gap_by_skill(space, "battery", sim) if r["year"] == 2030}
    assert out["skills_to_add"]
    for s in out["skills_to_add"]:
        assert s["gap_year"] == 2030 and s["gap"] == pytest.approx(by_skill[s["skill"]])


@pytest.mark.parametrize("profile,message", [
    ({"telepathy": 1}, "unknown skill id"),
    ({"rtl_design": -1}, "non-negative"),
    ({"rtl_design": 0, "verification": 0}, "all weights are zero"),
    ({}, "at least one skill"),
])
def test_bad_profiles_name_the_field(space, profile, message):
    with pytest.raises(SkillInputError, match=message):
        space.vector(profile)


def test_programme_validation(space):
    good = {"name": "X", "sector": "battery", "degree": "master", "seats_per_year": 20, "skills": {"bms": 1}}
    assert validate_programme(good, space)["seats_per_year"] == 20.0
    with pytest.raises(SkillInputError, match="degree: unknown degree 'doctor'"):
        validate_programme({**good, "degree": "doctor"}, space)
    with pytest.raises(SkillInputError, match="seats_per_year"):
        validate_programme({**good, "seats_per_year": -3}, space)
    with pytest.raises(SkillInputError, match="missing field"):
        validate_programme({"name": "X"}, space)


def test_destination_model_reports_cross_validated_accuracy():
    out = fit_destinations(seed_dataset().observations)
    assert out["alumni"] == 209 and out["labs"] == 4
    assert 0 < out["cv_accuracy"] <= 1 and 0 < out["baseline_accuracy"] <= 1
    assert out["entry_rate"]["master"] > out["entry_rate"]["phd"], "master's alumni go to industry more"
    assert out["observed_shares"]["master"]["industry"] == pytest.approx(67 / 82)
    assert np.isclose(sum(out["probabilities"]["phd"].values()), 1)
