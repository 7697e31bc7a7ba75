"""Every text of the seed data that pages and reports show has a Korean edition: source descriptions,
definition descriptions and assumption rationales. The edition is Korean, states the English text's
numbers, and the loader refuses seed files without it."""

from __future__ import annotations

import re
import shutil

import pytest

from talentgap.seeds.korean_numbers import numbers_in
from talentgap.seeds.loader import DATA_DIR, SeedDataError, load_seed_dataset, read_text_csv, seed_dataset
from talentgap.seeds.specs import SpecError, load_spec, sector_specs
from talentgap.seeds.validate import HANGUL

from ..conftest import FIXTURES

#: A number as the English texts write it (``1,303``, ``2.5``, ``KRW 373 bn``); not one written the
#: Korean way inside an English text (``1.1만``), and not the 7 of "24/7".
EN_NUMBER = re.compile(r"(?<![\d.,/])(\d+(?:,\d{3})*(?:\.\d+)?)(?![\d.,]|\s*[조억만천])\s*(thousand|bn|billion)?")
SCALE = {"thousand": 10**3, "bn": 10**9, "billion": 10**9, None: 1}


def texts() -> list[tuple[str, str, str]]:
    """(where, English, Korean) for every source, definition and assumption of the seed data."""
    ds = seed_dataset()
    out = [(f"source {r.source_id}", r.description, r.description_ko) for r in ds.sources.itertuples()]
    out += [(f"definition {r.sector}.{r.definition}", r.description, r.description_ko)
            for r in ds.definitions.itertuples()]
    out += [(f"assumption {s}.{a.name}", a.rationale, a.rationale_ko)
            for s, spec in sector_specs().items() for a in spec.assumptions.values()]
    return out


def english_numbers(text: str) -> list[float]:
    return [float(m.group(1).replace(",", "")) * SCALE[m.group(2)] for m in EN_NUMBER.finditer(text)]


def test_every_text_has_a_korean_edition():
    found = texts()
    kinds = {where.split()[0] for where, _, _ in found}
    assert kinds == {"source", "definition", "assumption"} and len(found) > 450, len(found)
    missing = [where for where, _, ko in found if not HANGUL.search(ko)]
    assert missing == [], f"no Korean text: {missing}"
    same = [where for where, en, ko in found if en.strip() == ko.strip()]
    assert same == []


def test_korean_editions_state_the_numbers_of_the_english():
    lost = []
    for where, en, ko in texts():
        stated = numbers_in(ko)
        lost += [f"{where}: {v:g}" for v in english_numbers(en) if not any(abs(v - k) < 1e-9 for k in stated)]
    assert lost == []


def test_english_numbers_are_read_with_their_scale():
    assert english_numbers("KRW 373 bn over 2024-2028 and 1,303 seats, 2.5-7 %") == [
        373e9, 2024, 2028, 1303, 2.5, 7]
    assert english_numbers("the headline reads 1.1만 명, 24/7 monitoring, 10 thousand") == [24, 10000]


@pytest.mark.parametrize("file,column", [("sources.csv", "description_ko"), ("definitions.csv", "description_ko")])
def test_seed_files_without_korean_are_refused(tmp_path, file, column):
    folder = tmp_path / "semiconductor"
    shutil.copytree(FIXTURES / "seed" / "semiconductor", folder)
    frame = read_text_csv(folder / file)
    frame.loc[0, column] = ""
    frame.to_csv(folder / file, index=False)
    with pytest.raises(SeedDataError, match=rf"{file}: row 2: {column} is blank"):
        load_seed_dataset(tmp_path)
    frame.drop(columns=[column]).to_csv(folder / file, index=False)
    with pytest.raises(SeedDataError, match=rf"{file}: missing columns \['{column}'\]"):
        load_seed_dataset(tmp_path)


def test_assumptions_without_korean_are_refused(tmp_path):
    folder = tmp_path / "battery"
    shutil.copytree(DATA_DIR / "battery", folder)
    frame = read_text_csv(folder / "assumptions.csv")
    frame.loc[1, "rationale_ko"] = "English only"
    frame.to_csv(folder / "assumptions.csv", index=False)
    sources = set(seed_dataset().sources["source_id"])
    with pytest.raises(SpecError, match=r"assumptions.csv: row 3: rationale_ko holds no Korean"):
        load_spec(folder, sources)
    assert load_spec(DATA_DIR / "battery", sources).assumptions["entry_rate"].rationale_ko.startswith("이차전지")
