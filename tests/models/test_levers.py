"""Levers say what they do: each sets an assumption's value from its start year, measured against the
value shown for the assumption (its central value, the same one the simulation centres on)."""

from __future__ import annotations

import numpy as np
import pytest

from talentgap.api.web.scenario_text import baseline_values, lever_words
from talentgap.models.sector import sector_forecast, sector_simulation
from talentgap.models.stockflow import DEFAULT_SEED, Assumption, triangular
from talentgap.seeds.loader import seed_dataset
from talentgap.seeds.specs import sector_specs


@pytest.fixture(scope="module")
def obs():
    return seed_dataset().observations


def forecast(obs, sector, **kw):
    return sector_forecast(spec=sector_specs()[sector], observations=obs, as_of=2026, **kw)


@pytest.mark.parametrize("low,value,high", [(0, 1000, 3000), (0, 0, 500), (0.08, 0.1, 0.15), (300, 480, 870)])
def test_an_assumption_is_drawn_around_the_value_shown(low, value, high):
    draws = triangular(np.random.default_rng(DEFAULT_SEED), Assumption("x", value, low, high, "", "t", "r"), 20000)
    assert np.median(draws) == pytest.approx(value, abs=0.01 * (high - low))
    assert draws.min() >= low and draws.max() <= high


def test_the_semiconductor_baseline_reskilling_is_the_value_shown(obs):
    shown = {a.name: a.value for a in forecast(obs, "semiconductor", scenario="policy").assumptions}["reskilling"]
    sim = sector_simulation(spec=sector_specs()["semiconductor"], observations=obs, scenario="policy")
    with_zero = sector_simulation(spec=sector_specs()["semiconductor"], observations=obs, scenario="policy",
                                  levers={"reskilling": 0})
    used = np.median(sim.draws["supply"] - with_zero.draws["supply"], axis=0)
    assert shown == 1000
    assert np.allclose(used, shown, rtol=0.005), "the simulation's central reskilling is the value on the page"


def test_reskilling_300_reads_from_1000_to_300_from_its_start_year(obs):
    base = forecast(obs, "semiconductor", scenario="policy")
    out = forecast(obs, "semiconductor", scenario="policy", levers={"reskilling": 300, "start_year": 2027})
    e = next(e for e in out.lever_effects if e.lever == "reskilling")
    assert (e.baseline, e.value, e.from_year) == (1000, 300, 2027)
    assert e.effect_first == e.effect_last == -700
    assert "1,000 → 300" in e.text and "-700" in e.text
    words = lever_words(out.levers, "en", baseline_values(base))
    assert words == "Reskilling 1,000 → 300 a year"
    assert lever_words(out.levers, "ko", baseline_values(base)) == "재교육 1,000 → 300명/년"
    supply = {r.year: r.supply.p50 for r in out.rows}
    before = {r.year: r.supply.p50 for r in base.rows}
    assert all(supply[y] == pytest.approx(before[y]) for y in supply if y < 2027), "nothing before start_year"
    spec = sector_specs()["semiconductor"]
    with_lever = sector_simulation(spec=spec, observations=obs, scenario="policy", levers=out.levers).draws
    without = sector_simulation(spec=spec, observations=obs, scenario="policy").draws
    change = np.median(with_lever["supply"] - without["supply"], axis=0)  # the same draws, lever or not
    years = with_lever["years"]
    assert np.all(change[years < 2027] == 0)
    assert np.allclose(change[years >= 2027], -700, atol=7)


def test_foreign_inflow_500_adds_500_a_year(obs):
    base = forecast(obs, "semiconductor")
    out = forecast(obs, "semiconductor", levers={"foreign_inflow": 500})
    e = out.lever_effects[0]
    assert (e.lever, e.baseline, e.effect_first, e.effect_last) == ("foreign_inflow", 0, 500, 500)
    assert "every person counted as an entrant" in e.text
    spec = sector_specs()["semiconductor"]
    with_lever = sector_simulation(spec=spec, observations=obs, levers={"foreign_inflow": 500}).draws
    without = sector_simulation(spec=spec, observations=obs).draws
    assert np.allclose(np.median(with_lever["supply"] - without["supply"], axis=0), 500, atol=5)
    assert all(a.supply.p50 > b.supply.p50 for a, b in zip(out.rows, base.rows))


def test_every_lever_waits_for_its_start_year(obs):
    base = forecast(obs, "battery")
    for lever, value in (("entry_rate", 0.9), ("separation_rate", 0.2), ("reskilling", 5000)):
        out = forecast(obs, "battery", levers={lever: value, "start_year": 2028})
        q = "openings" if lever == "separation_rate" else "supply"
        for a, b in zip(out.rows, base.rows):
            moved = getattr(a, q).p50 != pytest.approx(getattr(b, q).p50)
            assert moved == (a.year >= 2028), (lever, a.year)
        assert out.lever_effects[0].from_year == 2028


def test_dedicated_seats_enter_at_their_own_rate_from_start_year(obs):
    spec = sector_specs()["semiconductor"]
    without = sector_simulation(spec=spec, observations=obs).draws
    for levers, per_year in (({"dedicated_seats": 500, "start_year": 2027}, 450),
                             ({"dedicated_seats": 500, "dedicated_entry_rate": 1, "start_year": 2027}, 500)):
        sim = sector_simulation(spec=spec, observations=obs, levers=levers).draws
        change = np.median(sim["supply"] - without["supply"], axis=0)
        assert np.allclose(change[sim["years"] < 2027], 0) and np.allclose(change[sim["years"] >= 2027], per_year)
    out = forecast(obs, "semiconductor", levers={"dedicated_seats": 500, "extra_graduates": 500})
    effects = {e.lever: e for e in out.lever_effects}
    assert effects["dedicated_seats"].effect_first == 450 and "entry rate 90%" in effects["dedicated_seats"].text
    grads = effects["extra_graduates"]
    assert grads.effect_first < 100, "ordinary graduates pass through the sector's low entry rate (about 0.1)"
    assert f"{grads.entry_rate:.1%}" in grads.text, "the answer states the entry rate it used"
