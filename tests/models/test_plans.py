"""Announced training plans as sourced levers of the policy scenario (models/plans.py, ``[policy.plan]`` of
the model files): read from the data with their sources, applied in the policy scenario only, each part
reported with its source, and the supply rising by exactly the persons the plan's figures give."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest

from talentgap.i18n import Message
from talentgap.models.sector import MODEL_VERSION, sector_forecast, sector_simulation
from talentgap.models.stockflow import LEVERS
from talentgap.seeds.loader import seed_dataset
from talentgap.seeds.plans import PLAN_LEVERS, PlanLever
from talentgap.seeds.specs import SectorSpec, sector_specs

PLANNED = ("semiconductor", "security")


@pytest.fixture(scope="module")
def obs():
    return seed_dataset().observations


def without_plan(spec: SectorSpec) -> SectorSpec:
    """The same sector with its policy scenario's plan taken out (the policy demand kept)."""
    assert spec.policy is not None and spec.policy.plan is not None
    return dataclasses.replace(spec, policy=spec.policy.model_copy(update={"plan": None}))


def test_the_plans_are_read_from_the_model_files_with_known_levers_and_sources():
    sources = set(seed_dataset().sources["source_id"])
    semi = sector_specs()["semiconductor"].policy.plan
    assert semi is not None and {"m004-2602", "semi-w42"} <= set(semi.source_ids)
    assert "150,000" in semi.label and "15만" in semi.label_ko
    cyber = sector_specs()["security"].policy.plan
    assert cyber is not None and "100,000" in cyber.label and "10만" in cyber.label_ko
    for plan in (semi, cyber):
        for part in plan.levers:
            assert part.lever in PLAN_LEVERS and part.lever in LEVERS and set(part.source_ids) <= sources
            assert part.note and re.search(r"[가-힣]", part.note_ko)
    parts = {p.id: p for p in semi.levers}
    # the plan's split: 45,000 from seat increases (already in the baseline graduates) and 105,000 programmes
    assert parts["seat_increase"].plan_total == 45_000 and parts["seat_increase"].in_baseline == "field_share_trend"
    assert {p.lever for p in semi.levers} == {"extra_graduates", "dedicated_seats"}
    assert "+plans" in MODEL_VERSION
    assert PlanLever.model_fields["lever"].annotation.__args__ == PLAN_LEVERS, "one list of plan levers"


@pytest.mark.parametrize("sector", PLANNED)
def test_the_plan_acts_in_the_policy_scenario_only(obs, sector):
    spec = sector_specs()[sector]
    trend = sector_simulation(spec=spec, observations=obs, scenario="trend")
    trend_without = sector_simulation(spec=without_plan(spec), observations=obs, scenario="trend")
    assert trend.inputs.plan == () and trend.draws["plan_entrants"] == {}
    assert np.array_equal(trend.draws["supply"], trend_without.draws["supply"]), "trend is unchanged"
    out = sector_forecast(spec=spec, observations=obs, scenario="trend", as_of=2026)
    assert all(e.plan_part is None for e in out.lever_effects) and out.lever_effects == []
    assert not any(n.startswith("policy scenario includes") for n in out.notes)
    policy = sector_simulation(spec=spec, observations=obs, scenario="policy")
    assert policy.draws["plan_entrants"], "the policy scenario applies the plan"


def expected_entrants(spec: SectorSpec, sim) -> np.ndarray:
    """The plan's entrants per draw over the forecast years, from the plan's own figures: each part's persons
    a year after the last observed stock (or after its published delivery year, the delivered share taken
    off), times the rate its lever passes them through."""
    years = sim.draws["years"]
    observed = sim.draws["years"][0] - 1 if spec.trend is None else int(
        seed_dataset().observations.query("series_id == @spec.trend")["year"].max())
    total = np.zeros(sim.draws["supply"].shape[0])
    for part in spec.policy.plan.levers:
        if part.in_baseline or part.not_entrants:
            continue
        first, last = part.years
        cutoff = observed if part.delivered_year is None else max(observed, part.delivered_year)
        left = [y for y in range(first, last + 1) if y > cutoff]
        if part.delivered is None:
            per_year = part.per_year if part.per_year is not None else part.total / (last - first + 1)
        else:
            share = part.delivered / (part.delivered_of or part.plan_total)
            per_year = part.plan_total * (1 - share) / len(left)
        for y in left:
            i = int(np.searchsorted(years, y))
            if part.lever == "extra_graduates":
                total = total + per_year * sim.draws["entry_rate_by_year"][:, i]
            elif part.lever == "dedicated_seats":
                total = total + per_year * part.entry_rate
            else:
                total = total + per_year
    return total


@pytest.mark.parametrize("sector", PLANNED)
def test_the_policy_supply_rises_by_the_persons_the_plan_gives(obs, sector):
    spec = sector_specs()[sector]
    sim = sector_simulation(spec=spec, observations=obs, scenario="policy", horizon=2035)
    base = sector_simulation(spec=without_plan(spec), observations=obs, scenario="policy", horizon=2035)
    rise = (sim.draws["supply"] - base.draws["supply"]).sum(axis=1)  # the same draws with and without the plan
    want = expected_entrants(spec, sim)
    assert want.min() > 0
    assert rise == pytest.approx(want, rel=1e-9)
    assert np.array_equal(sim.draws["openings"], base.draws["openings"]), "a plan moves supply only"
    if sector == "semiconductor":
        # 53,800 programme places a year-spread over 2022-2031, seven years after the 2024 stock, at the sector's
        # 10 % entry rate, plus contract-department graduates 40 × 5 + 500 × 2
        assert np.median(want) == pytest.approx(53_800 / 10 * 7 * 0.10 + 40 * 5 + 500 * 2, rel=0.01)
    else:
        # 40,000 new talents less the plan's delivered share (81,086 of 100,000 by 2025), in 2026, at 45 %
        assert np.median(want) == pytest.approx(40_000 * (1 - 81_086 / 100_000) * 0.45, rel=0.01)


@pytest.mark.parametrize("sector", PLANNED)
def test_each_plan_part_is_a_lever_effect_with_its_source_and_the_notes_say_the_plan_is_included(obs, sector):
    spec = sector_specs()[sector]
    out = sector_forecast(spec=spec, observations=obs, scenario="policy", as_of=2026)
    parts = {p.id: p for p in spec.policy.plan.levers}
    effects = {e.plan_part: e for e in out.lever_effects if e.plan_part is not None}
    assert set(effects) == set(parts)
    sim = sector_simulation(spec=spec, observations=obs, scenario="policy")
    for pid, e in effects.items():
        part = parts[pid]
        assert e.lever == part.lever and e.source_ids == list(part.source_ids) and e.baseline == 0
        assert all(s in e.text for s in part.source_ids) and part.note in e.text
        assert e.text in out.notes
        if part.in_baseline or part.not_entrants:
            assert e.effect_first == e.effect_last == e.effect_total == 0 and "Not added" in e.text
        else:
            entrants = sim.draws["plan_entrants"][pid]
            span = (sim.draws["years"] >= e.from_year) & (sim.draws["years"] <= e.to_year)
            assert e.effect_total == pytest.approx(np.median(entrants[:, span].sum(axis=1)))
            assert e.effect_total > 0 and f"{e.effect_total:,.0f}" in e.text
            assert e.from_year > sim.demand.base_year
    included = [n for n in out.notes if n.startswith("policy scenario includes")]
    assert len(included) == 1 and all(s in included[0] for s in spec.policy.plan.source_ids)
    assert spec.policy.plan.label in included[0]
    assert set(spec.policy.plan.source_ids) <= set(out.source_ids)
    ids = out.note_ids[out.notes.index(included[0])]
    ko = Message.from_dict("notes", ids).in_lang("ko")
    assert spec.policy.plan.label_ko in ko and "포함합니다" in ko


def test_the_plans_delivered_part_is_taken_off_where_a_delivery_count_is_published(obs):
    out = sector_forecast(spec=sector_specs()["security"], observations=obs, scenario="policy", as_of=2026)
    e = next(e for e in out.lever_effects if e.plan_part == "new_talent")
    assert (e.from_year, e.to_year) == (2026, 2026)
    assert e.value == pytest.approx(40_000 * (1 - 81_086 / 100_000))
    assert "81,086 of 100,000 were delivered by 2025" in e.text
    incumbents = next(e for e in out.lever_effects if e.plan_part == "incumbent_upskilling")
    assert incumbents.effect_total == 0 and "already in the workforce" in incumbents.text


def test_a_user_lever_and_the_plan_act_together_in_the_policy_scenario(obs):
    spec = sector_specs()["semiconductor"]
    out = sector_forecast(spec=spec, observations=obs, scenario="policy", as_of=2026, levers={"reskilling": 300})
    assert out.lever_effects[0].lever == "reskilling" and out.lever_effects[0].effect_first == -700
    assert {e.plan_part for e in out.lever_effects[1:]} == {p.id for p in spec.policy.plan.levers}


def test_a_plan_the_baseline_already_carries_adds_nothing_and_says_so(obs):
    spec = sector_specs()["battery"]
    part = spec.policy.plan.levers[0]
    assert part.plan_total == 16_000 and part.in_baseline == "graduates_per_year"
    sim = sector_simulation(spec=spec, observations=obs, scenario="policy")
    base = sector_simulation(spec=without_plan(spec), observations=obs, scenario="policy")
    assert np.array_equal(sim.draws["supply"], base.draws["supply"]) and sim.draws["plan_entrants"] == {}
    out = sector_forecast(spec=spec, observations=obs, scenario="policy", as_of=2026)
    assert any(n.startswith("policy scenario includes the 2022 battery strategy") and "already in the baseline" in n
               for n in out.notes)
    (e,) = [e for e in out.lever_effects if e.plan_part]
    assert e.effect_total == 0 and e.source_ids == ["s004-5384", "bat-w08"] and "graduates_per_year" in e.text
