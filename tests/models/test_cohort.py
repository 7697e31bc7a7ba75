"""Cohort-based graduate supply: the cohort index, filled-in births and supply that follows births."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from talentgap.models.breakdown import education_blocks, supply_by_level
from talentgap.models.cohort import Births, CohortInputError, CohortSupply, cohort_index
from talentgap.models.stockflow import Assumption, DemandPath, StockFlowInputs, simulate, summarise
from talentgap.models.timeseries import Forecast


def point(name: str, value: float) -> Assumption:
    return Assumption(name, value, value, value, "", "test", "fixed for the toy sector")


def flat_births(**changes: float) -> Births:
    years = np.arange(1980, 2021)
    values = np.full(len(years), 100.0)
    for year, value in changes.items():
        values[years == int(year[1:])] = value
    return Births.from_frame(pd.DataFrame({"year": years, "value": values}))


def toy_inputs(births: Births, levels: dict[str, float], entry: dict[str, float] | None = None) -> StockFlowInputs:
    years = np.arange(2021, 2031)
    mean = np.full(len(years), 1000.0)
    fc = Forecast(years=years, mean=mean, lower=mean, upper=mean, level=80, model="fixed", log_scale=True,
                  sd=np.zeros(len(years)))
    demand = DemandPath("toy", 2020, 1000.0, fc, observed_points=3, method="fixed")
    ages = {"high_school": 18, "bachelor": 23, "master_phd": 27}
    items = [point("separation_rate", 0.05), point("entry_rate", 0.5), point("graduates_per_year", 1000),
             point("reskilling", 10), point("foreign_inflow", 0)]
    items += [point(f"supply_share.{lv}", s) for lv, s in levels.items()]
    items += [point(f"graduation_age.{lv}", ages[lv]) for lv in levels]
    items += [point(f"entry_rate.{lv}", e) for lv, e in (entry or {}).items()]
    cohorts = CohortSupply(2020, tuple(levels), births)
    return StockFlowInputs(demand=demand, assumptions={a.name: a for a in items}, cohorts=cohorts)


def test_a_smaller_cohort_lowers_its_graduation_year_by_the_expected_amount():
    base = simulate(toy_inputs(flat_births(), {"bachelor": 1.0}), 2030, draws=20)
    small = simulate(toy_inputs(flat_births(y2003=80.0), {"bachelor": 1.0}), 2030, draws=20)
    years = base["years"].tolist()
    drop = base["supply"][0] - small["supply"][0]
    # 1,000 graduates × (1 − 80/100) × entry rate 0.5 = 100 fewer entrants in 2026 (born 2003, age 23) only
    assert drop[years.index(2026)] == pytest.approx(100.0)
    assert np.delete(drop, years.index(2026)) == pytest.approx(np.zeros(len(years) - 1))


def test_levels_follow_their_own_cohorts_and_entry_rates():
    inputs = toy_inputs(flat_births(y2005=50.0), {"high_school": 0.4, "bachelor": 0.6}, entry={"high_school": 0.25})
    sim = simulate(inputs, 2030, draws=10)
    years = sim["years"].tolist()
    hs, ba = sim["entrants_by_level"]["high_school"][0], sim["entrants_by_level"]["bachelor"][0]
    assert hs[years.index(2023)] == pytest.approx(400 * 0.5 * 0.25)  # born 2005, age 18
    assert hs[years.index(2024)] == pytest.approx(400 * 0.25)
    assert ba[years.index(2028)] == pytest.approx(600 * 0.5 * 0.5)  # born 2005, age 23
    assert sim["supply"][0][years.index(2024)] == pytest.approx(100 + 300 + 10)


def test_education_blocks_add_up_and_differ_by_level():
    inputs = toy_inputs(flat_births(y2005=50.0), {"high_school": 0.4, "bachelor": 0.6}, entry={"high_school": 0.25})
    sim = simulate(inputs, 2030, draws=10)
    blocks = dict(education_blocks(sim, {"high_school": 0.3, "bachelor": 0.7}))
    assert sum(b["openings"] for b in blocks.values()) == pytest.approx(sim["openings"])
    assert sum(b["supply"] for b in blocks.values()) == pytest.approx(sim["supply"])
    assert sum(supply_by_level(sim).values()) == pytest.approx(sim["supply"])
    rows = summarise(sim, blocks=list(blocks.items()))
    rates = {r["education"]: r["gap_rate"]["p50"] for r in rows if r["year"] == 2024}
    assert rates["high_school"] != pytest.approx(rates["bachelor"])


def test_missing_births_are_interpolated_and_said():
    b = Births.from_frame(pd.DataFrame({"year": [1995, 2001], "value": [700.0, 560.0]}))
    assert b.interpolated == frozenset({1996, 1997, 1998, 1999, 2000})
    assert b.of(np.array([1998]))[0] == pytest.approx(np.exp(np.interp(1998, [1995, 2001], np.log([700, 560]))))
    notes = " ".join(b.notes([1994, 1998, 2003]))
    assert "1998 cohorts are not published" in notes and "2003 cohorts are not yet known" in notes
    assert "1994 cohorts are held" in notes


def test_cohort_index_per_draw_age():
    b = flat_births(y2000=50.0)
    idx = cohort_index(b, np.array([2023, 2024]), np.array([23, 24]), 2020)
    assert idx.tolist() == [[0.5, 1.0], [1.0, 0.5]]


@pytest.mark.parametrize("frame", [pd.DataFrame({"year": [], "value": []}),
                                   pd.DataFrame({"year": [2000, 2000], "value": [1.0, 2.0]}),
                                   pd.DataFrame({"year": [2000], "value": [0.0]})],
                         ids=["empty", "duplicate year", "zero"])
def test_bad_births_are_rejected(frame):
    with pytest.raises(CohortInputError):
        Births.from_frame(frame)


def test_shipped_births_interpolate_only_the_years_no_source_publishes():
    """Every year with a published figure is used as published; only the cohorts no cited source gives
    (1996–1998) are interpolated, and adding a figure for one of them shrinks this set."""
    from talentgap.seeds.population import births

    published = births()
    b = Births.from_frame(published)
    assert set(published["year"]).isdisjoint(b.interpolated)
    assert b.interpolated == frozenset({1996, 1997, 1998})
    assert published["source_id"].notna().all() and (published["source_id"] != "").all()
