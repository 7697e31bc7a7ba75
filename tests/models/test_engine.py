"""The default ensemble: kernels, validation weights, pooled calibration and the estimator contract."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from talentgap.models import kernels
from talentgap.models.calibration import calibrate
from talentgap.models.engine import Ensemble, choose_shares, pooled_context, sampling_rate
from talentgap.models.panel import Panel, SeriesInputError
from talentgap.models.timeseries import NotFittedError, forecast_panel


def _frame(series: dict) -> pd.DataFrame:
    return pd.concat([pd.DataFrame({"series_id": k, "year": 2000 + np.arange(len(v)), "value": v})
                      for k, v in series.items()], ignore_index=True)


def _panel(series: dict) -> Panel:
    return Panel.from_frame(_frame(series))


def test_kernels_on_exact_lines():
    z = np.array([[1.0, 2.0, 3.0, 4.0], [5.0, 5.0, 5.0, 5.0]])
    assert kernels.naive(z, 2).tolist() == [[4.0, 4.0], [5.0, 5.0]]
    assert kernels.drift(z, 2).tolist() == [[5.0, 6.0], [5.0, 5.0]]
    damped = kernels.damped_drift(z, 30)
    assert damped[0, -1] < 4 + kernels.DAMPING / (1 - kernels.DAMPING) + 1e-9  # bounded total growth
    assert kernels.theta(z, 3)[1] == pytest.approx([5.0] * 3)
    assert np.all(np.diff(kernels.theta(z, 3)[0]) > 0)


@pytest.mark.parametrize("name", sorted(kernels.KERNELS))
def test_kernel_row_results_do_not_depend_on_the_batch(name):
    rng = np.random.default_rng(1)
    z = np.cumsum(rng.normal(0.1, 1, (50, 12)), axis=1)
    whole = kernels.KERNELS[name](z, 4)
    assert np.array_equal(whole[7:9], kernels.KERNELS[name](z[7:9], 4))


def test_predict_before_fit_and_bad_input():
    with pytest.raises(NotFittedError):
        Ensemble().predict(2)
    with pytest.raises(SeriesInputError, match="h must be a whole number of years from 1 to 100; got 0"):
        Ensemble().fit(_panel({"a": [1.0, 2, 3, 4]})).predict(0)
    dup = pd.DataFrame({"series_id": ["a", "a"], "year": [2020, 2020], "value": [1.0, 2.0]})
    with pytest.raises(SeriesInputError, match="row 3, column year: duplicate year for series 'a'"):
        Ensemble().fit(Panel.from_frame(dup))


def test_weights_favour_the_candidate_that_validates_best():
    est = Ensemble().fit(_panel({"line": 10.0 + 3 * np.arange(15), "negative": -5.0 - np.arange(15.0) ** 1.5}))
    weights = est.run(3).weights
    assert np.allclose(weights.sum(axis=1), 1)
    line = dict(zip(est.candidates_, weights[0]))
    assert line["drift_level"] > 0.9  # a straight line is validated perfectly by linear drift
    assert est.predict(3).mean[0] == pytest.approx([55.0, 58.0, 61.0])
    negative = dict(zip(est.candidates_, weights[1]))
    assert all(negative[c] == 0 for c in est.candidates_ if c.endswith("_log"))  # no log scale below zero


def test_output_keeps_input_order_and_marks_fallbacks():
    out = forecast_panel(_panel({"z": [3.0, 4.0, 5.0, 6.0, 7.0], "short": [5.0, 6.0], "a": [1.0] * 6}), 2).frame()
    assert out["series_id"].drop_duplicates().tolist() == ["z", "short", "a"]
    models = out.drop_duplicates("series_id").set_index("series_id")
    assert models.loc["short", "model"] == "damped_drift"
    assert "2 observation(s): ensemble needs 4" in models.loc["short", "fallback_reason"]
    assert models.loc["z", "model"] == "ensemble" and models.loc["z", "fallback_reason"] == ""


def test_calibration_falls_back_to_the_random_walk_prior_and_widens():
    none = calibrate([[np.empty(0)] * 3], 3, 80)
    assert none.upper == pytest.approx(1.2816 * np.sqrt(np.pi / 2) * np.sqrt([1, 2, 3]), rel=1e-3)
    assert none.lower == pytest.approx(-none.upper)
    wide = calibrate([[np.linspace(-9, 9, 1000)] * 2, [np.linspace(-9, 9, 1000)]], 3, 80)
    assert wide.counts.tolist() == [2000, 1000, 0]
    assert wide.upper[0] > 6 and np.all(np.diff(wide.upper) >= 0) and np.all(np.diff(wide.lower) <= 0)


def test_pooled_calibration_is_the_same_in_one_batch_or_split():
    rng = np.random.default_rng(3)
    series = {f"s{i}": 100 * np.exp(np.cumsum(rng.normal(0.03, 0.08, int(rng.integers(6, 20))))) for i in range(40)}
    panel = _panel(series)
    whole = Ensemble().fit(panel)
    parts = [Ensemble().fit(panel.take(range(15))), Ensemble().fit(panel.take(range(15, 40)))]
    rate = sampling_rate(panel, 4)
    ctx = pooled_context([p.windows(4, rate) for p in parts], [p.scales() for p in parts])
    assert ctx.model is not None  # the global member is fitted on both partitions' windows
    ctx = replace(ctx, shares=choose_shares([p.blend_errors(4, ctx) for p in parts]))
    cal = {80.0: calibrate([p.errors(4, ctx) for p in parts], 4, 80)}
    split = pd.concat([p.predict(4, 80, calibration=cal, context=ctx).frame() for p in parts], ignore_index=True)
    pd.testing.assert_frame_equal(split, whole.predict(4, 80).frame(), check_exact=True)


def test_intervals_cover_about_eighty_percent_of_simulated_futures():
    """Random walks with drift and noise (seeded): the pooled 80 % intervals cover 70–90 % of the next
    four years."""
    rng = np.random.default_rng(7)
    n, h = 400, 4
    series, future = {}, {}
    for i in range(n):
        length = int(rng.integers(8, 25))
        path = 1000 * np.exp(np.cumsum(rng.normal(rng.normal(0.03, 0.03), rng.uniform(0.02, 0.1), length + h)))
        series[i], future[i] = path[:length], path[length:]
    out = forecast_panel(_panel(series), h).frame()
    actual = np.concatenate([future[i] for i in range(n)])
    inside = (actual >= out["lower"].to_numpy()) & (actual <= out["upper"].to_numpy())
    assert 0.7 <= inside.mean() <= 0.9


def test_missing_values_are_gaps_and_an_all_missing_series_is_named():
    frame = _frame({"a": [1.0, 2.0, np.nan, 4.0, 5.0, 6.0]})
    est = Ensemble().fit(Panel.from_frame(frame))
    assert est.predict(2).notes == (("interpolated the missing years 2002",),)
    bad = pd.concat([frame, pd.DataFrame({"series_id": "b", "year": [2000, 2001], "value": [np.nan, np.nan]})])
    with pytest.raises(SeriesInputError, match="row 8, column value: series 'b' has no values"):
        Panel.from_frame(bad)
    with pytest.raises(ValueError, match="calibration for level 95 is for 80%"):
        est.predict(2, 95, calibration={95.0: calibrate([est.errors(2)], 2, 80)})
