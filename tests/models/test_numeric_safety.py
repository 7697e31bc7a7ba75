"""Numeric safety of the default forecaster: extreme magnitudes, exact curves, constants, zeros, negatives,
one to three points and gap years always give finite forecasts and intervals, without warnings."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from talentgap.models.panel import Panel
from talentgap.models.timeseries import forecast_panel, forecast_series

YEARS = list(range(2010, 2022))
CASES = {
    "1e12": [1e12 * (1 + 0.03 * i) for i in range(12)],
    "1e300 growing": [1e300 * 1.05**i for i in range(12)],
    "1e308 near the float limit": [1e308] * 3 + [1.5e308, 1.7e308, 1.79e308] * 3,
    "-1e308 alternating": [-1e308 * (i % 2) for i in range(12)],
    "1e-300": [1e-300 * (i + 1) for i in range(12)],
    "exact exponential": [100 * 1.1**i for i in range(12)],
    "exact decay": [1e5 * 0.3**i for i in range(12)],
    "constant": [5.0] * 12,
    "zeros": [0.0] * 12,
    "negatives": [-5.0 + 3 * (-1) ** i * i for i in range(12)],
}


def _finite(*arrays) -> bool:
    return all(np.all(np.isfinite(a)) for a in arrays)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 12], ids=lambda n: f"n={n}")
@pytest.mark.parametrize("name", list(CASES), ids=list(CASES))
def test_finite_without_warnings(name, n):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow RuntimeWarning fails the test
        fc = forecast_series(YEARS[:n], CASES[name][:n], 10)
    assert _finite(fc.mean, fc.lower, fc.upper, fc.sd)
    assert np.all(fc.lower <= fc.mean) and np.all(fc.mean <= fc.upper)
    if n < 4:
        assert fc.fallback_reason and f"{n} observation(s)" in fc.fallback_reason
    else:
        assert fc.model == "ensemble" and fc.fallback_reason is None


def test_batch_with_every_case_is_finite():
    frame = pd.concat([pd.DataFrame({"series_id": k, "year": YEARS, "value": v}) for k, v in CASES.items()])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = forecast_panel(Panel.from_frame(frame), 10).frame()
    assert _finite(out[["forecast", "lower", "upper"]].to_numpy())
    assert out.groupby("series_id").size().to_dict() == {k: 10 for k in CASES}


@pytest.mark.parametrize("growth", [1.02, 1.1, 1.5], ids=lambda g: f"{g - 1:.0%} a year")
def test_perfect_exponential_interval_is_not_absurdly_narrow(growth):
    """A perfect fit has no residuals; the calibrated spread (scaled by the yearly log change) still gives
    an interval of at least a few percent a year ahead."""
    fc = forecast_series(YEARS, [100 * growth**i for i in range(12)], 5)
    assert fc.mean[0] == pytest.approx(100 * growth**12, rel=0.02)
    rel_width = (fc.upper - fc.lower) / fc.mean
    assert rel_width[0] > 0.5 * np.log(growth)
    assert np.all(np.diff(rel_width) > 0)


def test_constant_series_gets_a_floored_interval():
    fc = forecast_series(YEARS, [5.0] * 12, 5)
    assert fc.mean == pytest.approx([5.0] * 5)
    assert np.all(fc.upper - fc.lower > 0.05)


def test_zeros_stay_nonnegative():
    fc = forecast_series(YEARS, [0.0] * 12, 3)
    assert np.all(fc.mean == 0) and np.all(fc.lower == 0) and np.all(fc.upper > 0)


@pytest.mark.parametrize("years", [[2014, 2016, 2020, 2022, 2023, 2024], [2000, 2010, 2011, 2012, 2020]],
                         ids=lambda y: f"gaps in {len(y)} points")
def test_gap_years_are_interpolated_and_noted(years):
    values = [100.0 * 1.05 ** (y - years[0]) for y in years]
    fc = forecast_series(years, values, 3)
    assert fc.model == "ensemble" and fc.notes and fc.notes[0].startswith("interpolated the missing years")
    assert fc.mean[0] == pytest.approx(100.0 * 1.05 ** (years[-1] + 1 - years[0]), rel=0.05)
