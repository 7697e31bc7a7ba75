"""Sector model files: their demand and policy methods are typed and checked when they are read, each problem
naming the file and field; the Korean of their notes and policy labels is checked too."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from talentgap.seeds.loader import DATA_DIR, seed_dataset
from talentgap.seeds.specs import AssumedLevelDemand, SpecError, TargetPriorDemand, load_spec


def copy_sector(tmp_path: Path, sector: str) -> Path:
    folder = tmp_path / sector
    shutil.copytree(DATA_DIR / sector, folder)
    return folder


def test_notes_and_label_come_in_both_languages():
    spec = load_spec(DATA_DIR / "semiconductor", set(seed_dataset().sources["source_id"]))
    assert len(spec.notes) == 2 and spec.notes[1].startswith("The 2025 audit")
    assert spec.notes[1].ko.startswith("2025년 감사원") and spec.policy_label.ko.startswith("반도체산업협회")


def assert_model_file_refused(tmp_path: Path, sector: str, old: str, new: str, problem: str) -> None:
    """A copy of the sector's model.toml with ``old`` replaced by ``new`` is refused, with a line naming the
    file and matching ``problem``."""
    folder = copy_sector(tmp_path, sector)
    toml = folder / "model.toml"
    text = toml.read_text(encoding="utf-8")
    assert old in text
    toml.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SpecError) as err:
        load_spec(folder, set(seed_dataset().sources["source_id"]))
    lines = str(err.value).splitlines()
    assert any(line.startswith(f"{toml}: ") and re.search(problem, line) for line in lines), lines


@pytest.mark.parametrize(("old", "new", "problem"), [
    ('notes_ko = [\n', 'notes_ko = [\n  "하나 더",\n', r"notes_ko must translate every note, in order \(2 notes; got 3"),
    ('label_ko = ', 'label_kr = ', r"\[policy\] label needs label_ko"),
], ids=["extra Korean note", "no Korean label"])
def test_a_missing_or_extra_translation_is_named(tmp_path: Path, old: str, new: str, problem: str):
    folder = copy_sector(tmp_path, "semiconductor")
    toml = folder / "model.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SpecError, match=problem):
        load_spec(folder, set(seed_dataset().sources["source_id"]))


def test_each_sector_names_its_demand_and_policy_method():
    specs = {s: load_spec(DATA_DIR / s, set(seed_dataset().sources["source_id"]))
             for s in ("semiconductor", "battery", "quantum", "6g", "security")}
    assert {s: (spec.demand.method, spec.policy.method) for s, spec in specs.items()} == {
        "semiconductor": ("growth-rates", "anchored"), "battery": ("trend", "anchored"),
        "quantum": ("target-prior", "anchored"), "6g": ("assumed-level", "ratios"), "security": ("trend", "anchored")}
    assert isinstance(specs["6g"].demand, AssumedLevelDemand) and specs["6g"].trend is None
    assert specs["6g"].demand.growth_bound_year == 2035 and specs["6g"].shortage is None
    assert isinstance(specs["quantum"].demand, TargetPriorDemand) and specs["quantum"].demand.target_sd == "target_prior_sd"


@pytest.mark.parametrize(("sector", "old", "new", "problem"), [
    ("semiconductor", 'method = "growth-rates"\n', "", r"\[demand\] method must be one of trend, growth-rates, "
                                                        r"target-prior, assumed-level$"),
    ("semiconductor", 'method = "growth-rates"', 'method = "growth"', r"\[demand\] method must be one of .* \(got 'growth'\)"),
    ("semiconductor", 'method = "growth-rates"', 'method = "trend"',
     r"\[demand\] growth_series: not a field of method 'trend'"),
    ("quantum", 'target_sd = "target_prior_sd"\n', "", r"\[demand\] target_sd: Field required"),
    ("6g", "growth_bound_year = 2035\n", "", r"\[demand\] growth_bound and growth_bound_year come together"),
    ("6g", "base_year = 2024", 'base_year = "2024"', r"\[demand\] base_year: Input should be a valid integer"),
    ("6g", 'method = "ratios"', 'method = "anchored"', r"\[policy\] anchor: Field required"),
    ("battery", 'trend = "battery.stock.kiat_emerging"', 'trend = " "', r"\[demand\] trend: String should have at least 1"),
], ids=["no method", "unknown method", "field of another method", "missing field", "bound without year",
        "year as text", "policy method without its field", "blank series id"])
def test_a_demand_or_policy_table_that_does_not_fit_its_method_is_named(tmp_path: Path, sector: str, old: str,
                                                                         new: str, problem: str):
    assert_model_file_refused(tmp_path, sector, old, new, problem)


def test_an_assumption_a_method_names_must_exist(tmp_path: Path):
    folder = copy_sector(tmp_path, "6g")
    toml = folder / "model.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('growth_bound = "policy_growth_ratio"',
                                                             'growth_bound = "funding_ratio"', 1), encoding="utf-8")
    with pytest.raises(SpecError, match=r"assumption 'funding_ratio' is required"):
        load_spec(folder, set(seed_dataset().sources["source_id"]))


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("total = 53800", "total = -5", r"\[policy\] plan\.levers\.1\.total: Input should be greater than or equal to 0 "
                                    r"\(got -5\)"),
    ("total = 53800", 'total = "many"', r"\[policy\] plan\.levers\.1\.total: Input should be a valid number.*'many'"),
    ('lever = "dedicated_seats"', 'lever = "bonus_seats"',
     r"\[policy\] plan\.levers\.2\.lever: Input should be 'extra_graduates', .* \(got 'bonus_seats'\)"),
    ("years = [2025, 2029]", "years = [2029, 2025]", r"\[policy\] plan\.levers\.2: years: the first year comes first"),
    ("per_year = 40\n", "per_year = 40\ntotal = 200\n", r"\[policy\] plan\.levers\.2: per_year or total: give exactly one"),
    ("entry_rate = 1.0\n", "entry_rate = 1.5\n",
     r"\[policy\] plan\.levers\.2\.entry_rate: Input should be less than or equal to 1 \(got 1\.5\)"),
    ('id = "contract_departments_first"', 'id = "contract_departments_first"\nshare = 2',
     r"\[policy\] plan\.levers\.2\.share: not a field of method 'anchored'"),
    ('source_ids = ["semi-w41"]', 'source_ids = ["semi-w99"]',
     r"\[policy\.plan\] levers\.2\.source_ids: unknown source_id 'semi-w99'"),
    ('in_baseline = "field_share_trend"', 'in_baseline = "seat_trend"',
     r"\[policy\.plan\] levers\.0\.in_baseline: no assumption named 'seat_trend'"),
    ('note_ko = "계약학과: 2025년', 'note_ko = "Contract departments"\n# the rest of the Korean: "',
     r"\[policy\.plan\] levers\.2\.note_ko holds no Korean"),
], ids=["negative total", "total as text", "unknown lever", "years reversed", "per_year and total", "entry rate above 1",
        "unknown field", "unknown source", "unknown baseline assumption", "no Korean note"])
def test_a_bad_training_plan_lever_is_named_with_its_field_and_value(tmp_path: Path, old: str, new: str, problem: str):
    assert_model_file_refused(tmp_path, "semiconductor", old, new, problem)
