"""Annual-series forecasters: edge series, intervals, fallbacks and errors."""

from __future__ import annotations

import numpy as np
import pytest

from talentgap.models.engine import Ensemble
from talentgap.models.timeseries import MODEL_NAMES, MODELS, Drift, NotFittedError, forecast_frame, forecast_series

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
    needed = Ensemble.min_obs if wanted == "ensemble" else MODELS[wanted].min_obs
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


def test_interval_widens_with_level():
    years, values = EDGE["8 points"]
    narrow = forecast_series(years, values, 3, level=50)
    wide = forecast_series(years, values, 3, level=95)
    assert np.all(wide.upper - wide.lower > narrow.upper - narrow.lower)


def test_drift_is_the_average_change_on_the_log_scale():
    fc = Drift().fit([2020, 2022], [100.0, 121.0]).predict(2)
    assert fc.mean == pytest.approx([133.1, 146.41])


def test_gap_years_do_not_shrink_the_spread():
    """Interpolated years carry no information: the spread comes from the observed changes only."""
    gapped = forecast_series([2016, 2020, 2024], [86525.0, 99285.0, 118721.0], 1)
    assert gapped.sd[0] > 0.01
    assert gapped.notes == ("interpolated the missing years 2017, 2018, 2019, 2021, 2022, 2023",)


def test_predict_before_fit_and_bad_arguments():
    with pytest.raises(NotFittedError):
        Drift().predict(2)
    with pytest.raises(ValueError, match="horizon must be at least 1"):
        Drift().fit([1, 2], [1.0, 2.0]).predict(0)
    with pytest.raises(ValueError, match="years must be distinct"):
        Drift().fit([2020, 2020], [1.0, 2.0])
    with pytest.raises(ValueError, match="model must be auto or one of"):
        forecast_series([2020], [1.0], 1, model="prophet")


def test_forecast_frame_handles_many_series_with_gaps():
    import pandas as pd

    rows = [("a", y, v) for y, v in zip(*EDGE["a gap year"])] + [("b", 2020, 5.0)]
    out = forecast_frame(pd.DataFrame(rows, columns=["series_id", "year", "value"]), 2)
    assert out.groupby("series_id").size().to_dict() == {"a": 2, "b": 2}
    assert out.loc[out.series_id == "b", "year"].tolist() == [2021, 2022]
