"""Validation of a large upload does its work once per distinct value of a column, not once per row
(a 200,000-row upload holds a few hundred distinct sectors, units and years), and reports the same
problems, row by row, as a row-at-a-time reading would."""

from __future__ import annotations

import pandas as pd

from talentgap.seeds import validate
from talentgap.seeds.validate import validate_observations


def rows(n: int, **override) -> pd.DataFrame:
    base = {"series_id": "", "sector": "반도체", "metric": "stock", "definition": "kiat_itw", "occupation": "",
            "education": "석사", "region": "", "value": "1,000", "unit": "persons", "source_id": "s1"}
    frame = pd.DataFrame([{**base, "region": f"r{i % 49}", "year": str(1950 + i % 150)} for i in range(n)])
    for column, cells in override.items():
        frame[column] = cells
    return frame


def test_vocabulary_lookups_run_once_per_distinct_value(monkeypatch):
    calls = []
    real = validate.resolve
    monkeypatch.setattr(validate, "resolve", lambda vocab, text: calls.append(text) or real(vocab, text))
    typed, problems = validate_observations(rows(7000), known_sources={"s1"})
    assert problems == []
    assert len(calls) <= 10, f"{len(calls)} vocabulary lookups for 7,000 rows of 4 distinct values"
    assert set(typed["sector"]) == {"semiconductor"} and set(typed["education"]) == {"master"}
    assert typed["value"].eq(1000.0).all() and typed["year"].between(1950, 2099).all()
    assert typed["series_id"].iloc[0] == "semiconductor.stock.kiat_itw.master.r0"


def test_problems_come_row_by_row_in_the_order_of_the_checks():
    frame = rows(4, sector=["battery", "nope", "battery", "nope"], value=["1", "x", "2", "1"],
                 year=["2020", "2020", "2020", "1800"])
    _, problems = validate_observations(frame, known_sources={"s1"}, first_row=2)
    assert [(p.row, p.column) for p in problems] == [(3, "sector"), (3, "value"), (5, "sector"), (5, "year")]
