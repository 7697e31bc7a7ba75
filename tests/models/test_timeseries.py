"""Annual-series forecasters: edge series, intervals, fallbacks and errors."""

from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import pytest

from talentgap.models.panel import OUTPUT_COLUMNS, Forecaster, Panel, SeriesInputError, resolve_h
from talentgap.models.timeseries import (
    MODEL_NAMES,
    MODELS,
    Drift,
    NotFittedError,
    forecast_panel,
    forecast_series,
    make_model,
)

EDGE = {
    "1 point": ([2020], [99285.0]),
    "2 points": ([2020, 2024], [99285.0, 118721.0]),
    "3 points": ([2016, 2020, 2024], [86525.0, 99285.0, 118721.0]),
    "a zero": ([2016, 2017, 2018, 2019], [0.0, 5.0, 3.0, 6.0]),
    "a jump": ([2018, 2019, 2020, 2021, 2022, 2023], [100.0, 104.0, 107.0, 240.0, 251.0, 260.0]),
    "a gap year": ([2014, 2016, 2020, 2022, 2023, 2024], [35536.0, 39928.0, 54101.0, 64831.0, 60308.0, 66367.0]),
    "8 points": ([2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022], [1332, 1355, 1423, 1528, 1579, 1621, 1752, 1784.0]),
}


@pytest.mark.parametrize("name", list(EDGE), ids=list(EDGE))
@pytest.mark.parametrize("model", ["auto", *MODEL_NAMES])
def test_every_model_forecasts_every_edge_series(name, model):
    years, values = EDGE[name]
    fc = forecast_series(years, values, 5, model=model)
    assert fc.years.tolist() == list(range(years[-1] + 1, years[-1] + 6))
    assert np.all(np.isfinite(fc.mean)) and np.all(fc.lower <= fc.mean + 1e-9) and np.all(fc.mean <= fc.upper + 1e-9)
    if min(values) >= 0:
        assert np.all(fc.lower >= 0), "counts never go below zero"
    assert fc.model in MODEL_NAMES
    wanted = "ensemble" if model == "auto" else model
    needed = MODELS[wanted].min_obs
    if len(years) < needed:
        assert fc.fallback_reason and f"{len(years)} observation" in fc.fallback_reason
        assert fc.model != wanted
    else:
        assert fc.model == wanted


def test_thin_series_get_wide_intervals_and_say_why():
    one = forecast_series([2020], [1000.0], 3)
    assert one.model == "naive" and "spread assumed" in one.fallback_reason
    assert one.upper[0] / one.lower[0] > 1.25  # ±10 % a year on the log scale at 80 %
    assert np.all(np.diff(one.upper - one.lower) > 0), "interval widens with the horizon"


def test_one_point_growth_is_unknown_so_the_range_widens_faster_than_a_random_walk():
    """One observation says nothing about growth: σ·√(k(1 + k)), not σ·√k, k years ahead."""
    one = forecast_series([2020], [1000.0], 9)
    z = 1.2816
    assert np.log(one.upper / one.mean) == pytest.approx(z * 0.10 * np.sqrt(np.arange(1, 10) * np.arange(2, 11)), rel=1e-4)
    assert one.upper[8] / one.mean[8] > np.exp(z * 0.10 * 3 * 2)  # more than twice the random walk's width


def test_two_points_take_the_thin_series_spread_not_their_one_change():
    """A series of two nearly equal points is no evidence of a steady level: its range is the thin-series
    assumption's, widened for the growth rate read from one change."""
    flat = forecast_series([2020, 2022], [1000.0, 1001.0], 6)
    assert flat.model == "damped_drift"
    assert flat.upper[5] / flat.lower[5] > np.exp(2 * 1.2816 * 0.10 * np.sqrt(6))


def test_interval_widens_with_level():
    years, values = EDGE["8 points"]
    narrow = forecast_series(years, values, 3, level=50)
    wide = forecast_series(years, values, 3, level=95)
    assert np.all(wide.upper - wide.lower > narrow.upper - narrow.lower)


def test_drift_is_the_average_change_on_the_log_scale():
    fc = Drift().fit(Panel.one([2020, 2022], [100.0, 121.0])).predict(2)
    assert fc.mean[0] == pytest.approx([133.1, 146.41])


def test_gap_years_do_not_shrink_the_spread():
    """Interpolated years carry no information: the spread comes from the observed changes only."""
    gapped = forecast_series([2016, 2020, 2024], [86525.0, 99285.0, 118721.0], 1)
    assert gapped.sd[0] > 0.01
    assert gapped.notes == ("interpolated the missing years 2017, 2018, 2019, 2021, 2022, 2023",)


def test_predict_before_fit_and_bad_arguments():
    with pytest.raises(NotFittedError):
        Drift().predict(2)
    with pytest.raises(SeriesInputError, match="h must be a whole number of years from 1 to 100; got 0"):
        Drift().fit(Panel.one([2020, 2021], [1.0, 2.0])).predict(0)
    with pytest.raises(SeriesInputError, match="h must be .* got 101"):
        forecast_series([2020], [1.0], 101)
    with pytest.raises(SeriesInputError, match="level must be between 1 and 99 percent; got 100"):
        forecast_series([2020], [1.0], 1, level=100)
    with pytest.raises(SeriesInputError, match="duplicate year for series 0"):
        Drift().fit(Panel.one([2020, 2020], [1.0, 2.0]))
    with pytest.raises(ValueError, match="model must be auto or one of"):
        forecast_series([2020], [1.0], 1, model="prophet")


@pytest.mark.parametrize("model", MODEL_NAMES)
def test_every_model_follows_the_panel_protocol(model):
    """fit(panel) → self; predict(h, levels) → one row per series and year, in panel order, nested intervals."""
    rows = [("a", y, v) for y, v in zip(*EDGE["a gap year"])] + [("b", 2020, 5.0)] + \
           [("c", y, v) for y, v in zip(*EDGE["8 points"])]
    panel = Panel.from_frame(pd.DataFrame(rows, columns=["series_id", "year", "value"]))
    est = MODELS[model]()
    assert isinstance(est, Forecaster) and isinstance(make_model(model), Forecaster)
    assert list(inspect.signature(est.fit).parameters) == ["panel"]
    assert list(inspect.signature(est.predict).parameters)[:2] == ["h", "levels"]
    assert est.fit(panel) is est
    out = est.predict(2, (80, 95))
    assert out.levels == (80.0, 95.0) and out.mean.shape == (3, 2) and out.lower.shape == (3, 2, 2)
    assert np.all(out.lower[:, 1] <= out.lower[:, 0] + 1e-9) and np.all(out.upper[:, 1] >= out.upper[:, 0] - 1e-9)
    frame = out.frame(95)
    assert tuple(frame.columns) == OUTPUT_COLUMNS and tuple(out.forecast(2).frame().columns) == OUTPUT_COLUMNS[1:]
    assert frame.groupby("series_id", sort=False).size().to_dict() == {"a": 2, "b": 2, "c": 2}
    assert frame.loc[frame.series_id == "b", "year"].tolist() == [2021, 2022]
    assert frame["upper"].tolist() == out.upper[:, 1].ravel().tolist()
    one = forecast_series(*EDGE["8 points"], 2, level=95, model=model)
    assert one.mean == pytest.approx(out.mean[2]) or model == "ensemble"  # the ensemble pools over the panel


def test_the_protocol_is_the_contract():
    """An object without the protocol's predict(h, levels) is not a forecaster."""

    class FitOnly:
        name, min_obs = "fit_only", 1

        def fit(self, panel):
            return self

    assert not isinstance(FitOnly(), Forecaster)
    assert isinstance(make_model("auto"), Forecaster) and make_model("auto").name == "ensemble"


def test_horizon_is_a_calendar_year_and_h_a_count():
    rows = [("a", 2020, 1.0), ("a", 2021, 2.0), ("b", 2022, 3.0)]
    panel = Panel.from_frame(pd.DataFrame(rows, columns=["series_id", "year", "value"]))
    assert resolve_h(panel, h=3) == (3, None)
    assert resolve_h(panel, horizon=2030) == (9, 2030)  # from a's last year
    out = forecast_panel(panel, 9).frame(until=2030)
    assert out.groupby("series_id")["year"].max().tolist() == [2030, 2030]
    with pytest.raises(SeriesInputError, match="horizon is a calendar year .* got 10. For a count .* give h"):
        resolve_h(panel, horizon=10)
    with pytest.raises(SeriesInputError, match="horizon 2022 is not after the last year of series 'b'"):
        resolve_h(panel, horizon=2022)
    with pytest.raises(SeriesInputError, match="horizon 2200 is more than 100 years after"):
        resolve_h(panel, horizon=2200)
    with pytest.raises(SeriesInputError, match="give h .* or horizon"):
        resolve_h(panel, h=3, horizon=2030)


def test_series_input_is_checked_once_listing_every_problem_by_row():
    text = pd.DataFrame({"series_id": ["a", "a", "b", " ", "c", "d"], "year": ["2020", "20x0", "2020", "2020", "2019", "1"],
                         "value": ["1", "zz", "inf", "3", "", "4"]})
    with pytest.raises(SeriesInputError) as err:
        Panel.from_frame(text, source="in.csv")
    assert str(err.value).splitlines() == [
        "in.csv: 6 problem(s)",
        "row 3, column year: must be a whole year (got '20x0')",
        "row 3, column value: must be a finite number (got 'zz')",
        "row 4, column value: must be a finite number (got 'inf')",
        "row 5, column series_id: is blank (got '')",
        "row 6, column value: series 'c' has no values (got '')",
        "row 7, column year: must be a whole year (got '1')"]
    ok = Panel.from_frame(pd.DataFrame({"series_id": ["x", "y", "x", "x"], "year": [2021, 2020, 2020, 2022],
                                        "value": [2.0, 5.0, 1.0, np.nan]}))
    assert ok.ids.tolist() == ["x", "y"] and ok.series(0)[0].tolist() == [2020, 2021]  # missing value: missing year
    with pytest.raises(SeriesInputError, match=r"series\[1\], column year: duplicate year"):
        Panel.from_frame(pd.DataFrame({"series_id": ["a", "a"], "year": [1, 1], "value": [1.0, 2.0]})
                         .assign(year=2020), items=True)
