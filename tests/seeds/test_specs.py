"""Sector model files: the Korean of their notes and policy labels is checked when they are read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from talentgap.seeds.loader import DATA_DIR, seed_dataset
from talentgap.seeds.specs import SpecError, load_spec


def copy_sector(tmp_path: Path, sector: str) -> Path:
    folder = tmp_path / sector
    shutil.copytree(DATA_DIR / sector, folder)
    return folder


def test_notes_and_label_come_in_both_languages():
    spec = load_spec(DATA_DIR / "semiconductor", set(seed_dataset().sources["source_id"]))
    assert len(spec.notes) == 2 and spec.notes[1].startswith("The 2025 audit")
    assert spec.notes[1].ko.startswith("2025년 감사원") and spec.policy_label.ko.startswith("반도체산업협회")


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
