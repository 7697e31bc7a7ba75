"""Demand paths from plans and targets: plan horizons, a target as a prior, bounded growth."""

from __future__ import annotations

import numpy as np
import pytest

from talentgap.models.demand import anchored_path
from talentgap.models.paths import Z90, bounded_growth_path, continue_with_trend, target_prior_path
from talentgap.models.stockflow import Assumption, DemandPath
from talentgap.models.timeseries import Forecast


def path(base_year: int, base: float, rate: float, sd: float, horizon: int) -> DemandPath:
    h = np.arange(1, horizon - base_year + 1)
    log_mean = np.log(base) + np.log1p(rate) * h
    fc = Forecast(years=base_year + h, mean=np.exp(log_mean), lower=np.exp(log_mean - Z90 * sd * np.sqrt(h)),
                  upper=np.exp(log_mean + Z90 * sd * np.sqrt(h)), level=80, model="fixed", log_scale=True,
                  sd=sd * np.sqrt(h))
    return DemandPath("d", base_year, base, fc, observed_points=3, method="fixed")


def test_policy_beyond_the_plan_grows_as_the_trend():
    trend = path(2024, 100.0, 0.05, 0.05, 2035)
    fc = anchored_path(2021, 124.0, [(2026, 163.0)], 2035, np.full(14, 0.05))
    policy = DemandPath("plan", 2021, 124.0, fc, observed_points=1, method="anchored")
    out = continue_with_trend(policy, 2026, trend)
    mean = dict(zip(out.forecast.years.tolist(), out.forecast.mean))
    assert mean[2026] == pytest.approx(163.0)
    assert mean[2035] == pytest.approx(163.0 * 1.05**9)
    assert mean[2027] / mean[2026] == pytest.approx(1.05)
    assert "beyond the plan's end year 2026" in out.notes[-1]


def test_a_target_prior_narrows_a_thin_trend():
    thin = path(2024, 643.0, 0.26, 0.35, 2040)
    out = target_prior_path(thin, (2035, 2500.0), 0.4, 2040, "the 2035 target")
    fc = out.forecast
    i = fc.years.tolist().index(2035)
    s1 = thin.forecast.sd[i]
    s = np.sqrt(1 / (1 / s1**2 + 1 / 0.4**2))
    w = (1 / s1**2) / (1 / s1**2 + 1 / 0.4**2)
    assert fc.sd[i] == pytest.approx(s) and s < 0.4 < s1
    assert np.log(fc.mean[i]) == pytest.approx(w * np.log(thin.forecast.mean[i]) + (1 - w) * np.log(2500))
    assert fc.sd[-1] > fc.sd[i], "spread grows again after the target year"
    assert np.exp(2 * Z90 * fc.sd[i]) < 4


def test_bounded_growth_spreads_from_the_level_and_the_ratio():
    level = Assumption("base_stock", 10000, 4000, 20000, "persons", "", "r")
    ratio = Assumption("policy_growth_ratio", 1.7, 1.3, 2.0, "ratio", "", "r")
    out = bounded_growth_path(2024, level, ratio, 2035, 2040, "funding")
    fc = out.forecast
    i = fc.years.tolist().index(2035)
    assert fc.mean[i] == pytest.approx(10000 * np.sqrt(1.7))
    level_sd, growth_sd = np.log(5) / (2 * Z90), np.log(1.7) / (2 * Z90)
    assert fc.sd[i] == pytest.approx(np.hypot(level_sd, growth_sd))
    assert fc.sd[0] == pytest.approx(np.hypot(level_sd, growth_sd / 11))
