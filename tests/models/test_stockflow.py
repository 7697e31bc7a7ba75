"""The stock-flow engine: golden arithmetic, levers, uncertainty and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from talentgap.models.demand import demand_from_series
from talentgap.models.stockflow import (
    Assumption,
    DemandPath,
    ForecastInputError,
    StockFlowInputs,
    quality_grade,
    simulate,
    summarise,
)
from talentgap.models.timeseries import Forecast

GOLDEN = json.loads((Path(__file__).parent / "golden" / "toy_sector.json").read_text())


def point(name: str, value: float) -> Assumption:
    return Assumption(name, value, value, value, "", "test", "fixed for the toy sector")


def toy(sd: float = 0.0) -> StockFlowInputs:
    years = np.array([2021, 2022])
    mean = np.array([110.0, 121.0])
    fc = Forecast(years=years, mean=mean, lower=mean, upper=mean, level=80, model="fixed", log_scale=True,
                  sd=np.full(2, sd))
    demand = DemandPath("toy", 2020, 100.0, fc, observed_points=3, method="fixed")
    assumptions = {a.name: a for a in (point("separation_rate", 0.05), point("entry_rate", 0.2),
                                       point("graduates_per_year", 50), point("reskilling", 1),
                                       point("foreign_inflow", 2))}
    return StockFlowInputs(demand=demand, assumptions=assumptions, backlog=7)


def test_golden_toy_sector():
    sim = simulate(toy(), 2022, draws=50)
    assert sim["years"].tolist() == GOLDEN["years"]
    for q in ("demand", "openings", "supply", "gap", "cumulative_gap", "gap_rate"):
        assert np.allclose(sim[q], GOLDEN["shortage_rate" if q == "gap_rate" else q]), q  # the flow rate's old name
    rows = summarise(sim)
    assert rows[1]["gap"] == pytest.approx({"p10": 3.5, "p50": 3.5, "p90": 3.5})


def test_golden_extra_graduates_pass_through_the_entry_rate():
    g = GOLDEN["with_extra_graduates_from_2022"]
    sim = simulate(toy(), 2022, draws=10, levers={"extra_graduates": g["extra_graduates"], "start_year": g["start_year"]})
    assert np.allclose(sim["supply"], g["supply"]) and np.allclose(sim["gap"], g["gap"])


def wide_inputs() -> StockFlowInputs:
    demand = demand_from_series("kiat", np.array([2016, 2020, 2024]), np.array([86525.0, 99285.0, 118721.0]), 2035)
    assumptions = {a.name: a for a in (
        Assumption("separation_rate", 0.04, 0.03, 0.06, "", "t", "r"),
        Assumption("entry_rate", 0.1, 0.08, 0.15, "", "t", "r"),
        Assumption("graduates_per_year", 49000, 45000, 52000, "persons", "t", "r"))}
    return StockFlowInputs(demand=demand, assumptions=assumptions, backlog=1784)


def test_quantiles_are_ordered_and_reproducible():
    rows = summarise(simulate(wide_inputs(), 2035))
    for row in rows:
        for q in ("demand", "openings", "supply", "gap", "cumulative_gap", "gap_rate"):
            assert row[q]["p10"] <= row[q]["p50"] <= row[q]["p90"]
    assert summarise(simulate(wide_inputs(), 2035)) == rows, "fixed seed: same numbers every run"
    assert summarise(simulate(wide_inputs(), 2035, seed=7)) != rows


def test_more_graduates_lower_the_gap_and_separations_raise_openings():
    base = simulate(wide_inputs(), 2035)
    more = simulate(wide_inputs(), 2035, levers={"extra_graduates": 3000})
    assert np.all(np.median(more["gap"], 0) < np.median(base["gap"], 0))
    churn = simulate(wide_inputs(), 2035, levers={"separation_rate": 0.08})
    assert np.all(np.median(churn["openings"], 0) > np.median(base["openings"], 0))


@pytest.mark.parametrize("levers,message", [
    ({"graduates": 5}, "unknown lever 'graduates'"),
    ({"entry_rate": 1.5}, "lever entry_rate must be between 0 and 1; got 1.5"),
    ({"separation_rate": -0.1}, "lever separation_rate must be between 0 and 1"),
    ({"reskilling": "many"}, "lever reskilling must be a number"),
])
def test_bad_levers_name_the_lever(levers, message):
    with pytest.raises(ForecastInputError, match=message):
        simulate(toy(), 2022, levers=levers)


def test_horizon_before_the_data():
    with pytest.raises(ForecastInputError, match="horizon must be a year after"):
        simulate(toy(), 2020)
    with pytest.raises(ForecastInputError, match="after the last observation 2024; got 2024"):
        demand_from_series("x", np.array([2020, 2024]), np.array([1.0, 2.0]), 2024)


def test_single_point_uses_the_anchor_growth():
    d = demand_from_series("kiat_emerging", np.array([2022]), np.array([56340.0]), 2032, anchor=(2032, 110791.0))
    assert d.forecast.mean[-1] == pytest.approx(110791.0)
    assert "growth taken from the published projection" in d.notes[0]


@pytest.mark.parametrize("n,grade", [(0, "D"), (1, "C"), (2, "C"), (3, "B"), (7, "B"), (8, "A")])
def test_quality_grade(n, grade):
    assert quality_grade(n) == grade


def test_an_uncertain_base_level_does_not_become_first_year_expansion():
    """An assumed scale (no published count) is uncertain in its base year too: each draw starts from its
    own level, so a flat path has no expansion in any year, the first included."""
    years = np.array([2021, 2022, 2023])
    mean = np.full(3, 100.0)
    fc = Forecast(years=years, mean=mean, lower=mean * 0.5, upper=mean * 2, level=80, model="assumed-level",
                  log_scale=True, sd=np.full(3, 0.5))
    inputs = toy()
    flat = DemandPath("scale", 2020, 100.0, fc, observed_points=0, method="assumed-level", base_sd=0.5)
    sim = simulate(StockFlowInputs(demand=flat, assumptions=inputs.assumptions), 2023, draws=2000)
    assert np.allclose(sim["expansion"], 0), "every draw is flat from its own base level"
    known = DemandPath("scale", 2020, 100.0, fc, observed_points=0, method="assumed-level")
    jump = simulate(StockFlowInputs(demand=known, assumptions=inputs.assumptions), 2023, draws=2000)["expansion"]
    assert jump[:, 0].mean() > 10 and np.allclose(jump[:, 1:], 0), "a fixed base turns the level's range into year-one growth"


def test_gap_above_zero_is_the_share_of_draws_in_shortage_and_agrees_with_the_quantiles():
    sim = simulate(wide_inputs(), 2035)
    rows = summarise(sim)
    for i, row in enumerate(rows):
        share = row["gap_above_zero"]
        assert 0 <= share <= 1
        assert share == pytest.approx(float(np.mean(sim["gap"][:, i] > 0)))
        if row["gap"]["p10"] > 0:
            assert share >= 0.9 - 1e-9, "p10 above zero: at least 90% of draws short"
        if row["gap"]["p90"] < 0:
            assert share <= 0.1 + 1e-9, "p90 below zero: at most 10% of draws short"
    assert summarise(simulate(toy(), 2022, draws=50))[1]["gap_above_zero"] == 1.0, "gap 3.5 in every draw"
    more = StockFlowInputs(demand=toy().demand, assumptions={**toy().assumptions,
                                                             "graduates_per_year": point("graduates_per_year", 500)},
                           backlog=7)
    assert summarise(simulate(more, 2022, draws=50))[1]["gap_above_zero"] == 0.0, "a surplus in every draw"
