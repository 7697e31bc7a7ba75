"""Engine v3: the global member, its share per length class, the runaway guard, the spread prior and the
members each forecast names."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from talentgap.models import global_member as gm
from talentgap.models import members as mb
from talentgap.models.engine import CLASSES, GRID, Ensemble, choose_shares, sampling_rate
from talentgap.models.panel import Panel


def _panel(n: int, seed: int = 0, lengths=(6, 25)) -> Panel:
    """Log-normal growth paths whose growth fades towards zero (seeded)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        T = int(rng.integers(*lengths))
        g0 = rng.normal(0.08, 0.05)
        growth = g0 * 0.8 ** np.arange(T) + rng.normal(0, 0.03, T)
        values = rng.uniform(100, 1e4) * np.exp(np.cumsum(growth))
        rows += [(f"s{i:04d}", 2000 + t, v) for t, v in enumerate(values)]
    return Panel.from_frame(pd.DataFrame(rows, columns=["series_id", "year", "value"]))


@pytest.fixture(scope="module")
def fitted():
    panel = _panel(300)
    est = Ensemble().fit(panel)
    return panel, est, est.predict(4)


def test_the_global_member_is_learnt_from_the_panel_and_named(fitted):
    panel, est, out = fitted
    run = est.run(4)
    assert est.learn(4).model is not None
    assert np.all((run.share >= 0) & (run.share <= 1)) and run.share.max() > 0
    assert sum("global" in m for m in out.members) > 0
    first = out.members[0].split(", ")
    shares = [float(part.rsplit(" ", 1)[1]) for part in first]
    assert shares == sorted(shares, reverse=True) and 0.9 <= sum(shares) <= 1.0 + 1e-9


def test_the_same_panel_gives_the_same_forecast(fitted):
    panel, _, out = fitted
    again = Ensemble().fit(panel).predict(4)
    assert np.array_equal(again.mean, out.mean) and np.array_equal(again.upper, out.upper)


def test_a_panel_too_small_for_the_global_member_gets_none():
    panel = _panel(3, seed=4)
    est = Ensemble().fit(panel)
    out = est.predict(3)
    assert est.learn(3).model is None
    assert not any("global" in m for m in out.members) and all(out.members)
    assert np.allclose(est.run(3).share, 0)


def test_windows_are_sampled_alike_in_one_process_or_in_partitions():
    panel = _panel(200, seed=2)
    rate = 0.3
    whole = Ensemble().fit(panel).windows(5, rate)
    parts = [Ensemble().fit(panel.take(range(a, b))).windows(5, rate) for a, b in ((0, 70), (70, 200))]
    joined = gm.Windows.concat(parts)
    assert 0.2 < len(whole.y) / gm.window_count(panel.lengths, 5) < 0.4
    for field in ("t", "k", "room", "x", "y"):
        assert np.array_equal(getattr(whole, field), getattr(joined, field))
    assert sampling_rate(panel, 5) == 1.0 or sampling_rate(panel, 5) < 1


def test_shares_are_chosen_per_length_class_on_pooled_validation():
    n = 3 * 30
    cls = np.repeat(np.arange(len(CLASSES)), 30)
    err = np.ones((n, len(GRID)))
    err[cls == 0, 10] = 0.5  # class 0 validates best at share 0.5
    err[cls == 1, 0] = 0.5   # class 1 at 0
    err[cls == 2, 20] = 0.5  # class 2 at 1
    assert choose_shares([(cls[:40], err[:40]), (cls[40:], err[40:])]) == (0.5, 0.0, 1.0)
    few = np.where(cls == 2)[0][:5]  # a class with too few series takes the share chosen on all of them
    keep = np.r_[np.where(cls != 2)[0], few]
    assert choose_shares([(cls[keep], err[keep])])[2] in (0.0, 0.5)


def test_the_guard_replaces_a_trend_the_history_does_not_support():
    log = np.log(np.array([[100.0, 101, 102, 103, 104]]))
    level = np.exp(log)
    c = mb.candidates(level, log, np.array([True]), 10, mb.LOCAL_KERNELS, slack=None)
    runaway = c.copy()
    runaway[0, 3] = level[0, -1] * np.exp(0.8 * np.arange(1, 11))  # drift_log compounding 80 % a year
    kept = mb.guard(runaway, log, np.array([True]), mb.LOCAL_KERNELS, mb.GUARD_SLACK)
    assert np.array_equal(kept[0, 3], c[0, 4])  # replaced by damped drift on the log scale
    assert np.array_equal(kept[0, :3], c[0, :3])  # level-scale members inside the range are kept


def test_short_series_lean_on_the_global_member_and_say_so():
    panel = _panel(300, seed=1)
    rows = [("short", 2021, 100.0), ("short", 2022, 140.0), ("short", 2023, 150.0)]
    frame = pd.concat([pd.DataFrame({"series_id": panel.ids.repeat(panel.lengths), "year": panel.years,
                                     "value": panel.values}), pd.DataFrame(rows, columns=["series_id", "year", "value"])])
    big = Panel.from_frame(frame)
    out = Ensemble().fit(big).predict(3)
    i = list(big.ids).index("short")
    alone = Ensemble().fit(Panel.one([2021, 2022, 2023], [100.0, 140.0, 150.0])).predict(3)
    assert out.model[i] == "damped_drift" and "ensemble needs 4" in out.fallback_reason[i]
    assert out.members[i].startswith("damped_drift") and "global" in out.members[i]
    assert alone.members[0] == "damped_drift" and not np.allclose(out.mean[i], alone.mean[0])
    assert np.all(out.lower[i, 0] <= out.mean[i]) and np.all(out.mean[i] <= out.upper[i, 0])


def test_an_erratic_series_in_a_panel_gets_a_bounded_interval(fitted):
    panel, _, _ = fitted
    wild = [("wild", 2000 + t, v) for t, v in enumerate([6545, 10170, 4555, 4461, 711, 7642, 4482])]
    frame = pd.concat([pd.DataFrame({"series_id": panel.ids.repeat(panel.lengths), "year": panel.years,
                                     "value": panel.values}), pd.DataFrame(wild, columns=["series_id", "year", "value"])])
    big = Panel.from_frame(frame)
    est = Ensemble().fit(big)
    out = est.predict(6)
    i = list(big.ids).index("wild")
    scales = est.scales()
    assert est.run(6).spread[i] <= np.quantile(scales[np.isfinite(scales)], 0.95) + 1e-12
    assert out.upper[i, 0, -1] / 4482 < 20
