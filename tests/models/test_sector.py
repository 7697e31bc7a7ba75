"""Sector forecasts on the shipped seeds: cohort supply, breakdowns, periods, plan horizons, levers, limits."""

from __future__ import annotations

import re

import numpy as np
import pytest

from talentgap.models.cohort import Births
from talentgap.models.sector import (
    SectorSimulation,
    horizon_limit,
    sector_forecast,
    sector_simulation,
)
from talentgap.models.stockflow import ForecastInputError
from talentgap.seeds.loader import seed_dataset
from talentgap.seeds.population import births
from talentgap.seeds.specs import sector_specs

SECTORS = ("semiconductor", "battery", "quantum", "6g", "security")


@pytest.fixture(scope="module")
def obs():
    return seed_dataset().observations


def forecast(obs, sector, **kw):
    kw.setdefault("as_of", 2026)
    return sector_forecast(spec=sector_specs()[sector], observations=obs, **kw)


def p50(rows, q="supply", **match):
    return {r.year: getattr(r, q).p50 for r in rows if all(getattr(r, k) == v for k, v in match.items())}


@pytest.mark.parametrize("sector", ["semiconductor", "battery", "security"])
def test_supply_moves_with_the_cohorts(obs, sector):
    out = forecast(obs, sector)
    values = np.array(list(p50(out.rows).values()))
    assert np.all(np.diff(values) != 0), "every year's supply differs"
    assert np.ptp(values) / np.mean(values) > 0.02
    # supply less the other inflow (movers and re-entrants, a rate of the stock: models/flows.py)
    draws = sector_simulation(spec=sector_specs()[sector], observations=obs).draws
    values = np.median(draws["supply"] - draws["other_inflow"], axis=0)
    entrants = np.sum([[y.entrants_p50 for y in level.by_year] for level in out.supply_cohorts], axis=0)
    assert np.corrcoef(values, entrants)[0, 1] > 0.9, "supply follows the cohorts' graduate entrants"


def test_supply_falls_where_a_cohort_is_smaller(obs):
    b = births()
    smaller = b.assign(value=np.where(b["year"] == 2008, b["value"] * 0.5, b["value"]))
    spec = sector_specs()["semiconductor"]
    base = sector_simulation(spec=spec, observations=obs, births=Births.from_frame(b)).draws
    low = sector_simulation(spec=spec, observations=obs, births=Births.from_frame(smaller)).draws
    years = base["years"].tolist()
    diff = np.median(base["supply"], 0) - np.median(low["supply"], 0)
    # the 2008 cohort: high-school leavers of 2026-2027 (age 18-19), junior college 2028-2030, bachelor's
    # 2030-2033; no level's 2025 graduates, and no base-year (2022) cohort, were born in 2008
    assert diff[years.index(2026)] > 0.02 * np.median(base["supply"], 0)[years.index(2026)]
    assert diff[years.index(2025)] == pytest.approx(0)
    # with point ages the fall is exactly graduates × share × (1 − 0.5) × entry rate (tests/models/test_cohort.py)


def test_supply_notes_name_the_cohorts(obs):
    notes = " ".join(forecast(obs, "semiconductor").notes)
    assert "bachelor graduates of 2025–2035 were born in 2002–2012" in notes
    assert "interpolated" in notes  # 1996-1998 births are not published in a cited source


@pytest.mark.parametrize("sector", ["semiconductor", "battery"])
def test_education_rates_differ_and_say_where_shares_are_assumed(obs, sector):
    out = forecast(obs, sector, by="education")
    rates = {r.education: r.gap_rate.p50 for r in out.rows if r.year == 2030}
    assert len(rates) == 4
    assert max(rates.values()) - min(rates.values()) > 0.2, rates
    levels = {lv.education: lv for lv in out.breakdown.levels}
    assert all(lv.demand_share_basis in ("data", "proxy") for lv in levels.values())
    if sector == "battery":
        assert levels["bachelor"].supply_share_basis == "judgement"
        assert levels["master_phd"].entry_rate_name == "entry_rate.master_phd"


def test_education_without_a_demand_split_says_so(obs):
    out = forecast(obs, "security", by="education")
    assert {lv.demand_share_basis for lv in out.breakdown.levels} == {"assumed: follows the graduate-entrant mix"}
    assert any("no published demand split by education" in n for n in out.notes)


@pytest.mark.parametrize("sector", SECTORS)
def test_occupations_add_up_to_the_sector(obs, sector):
    total = forecast(obs, sector).rows
    occ = forecast(obs, sector, by="occupation")
    names = {r.occupation for r in occ.rows}
    assert len(names) >= 3
    for q in ("demand", "openings", "supply"):
        sums = {}
        for r in occ.rows:
            sums[r.year] = sums.get(r.year, 0) + getattr(r, q).p50
        for r in total:
            assert sums[r.year] == pytest.approx(getattr(r, q).p50, rel=1e-6), (q, r.year)
    for r in occ.rows:
        assert getattr(r, q).p10 <= getattr(r, q).p50 <= getattr(r, q).p90
    shares = [o.supply_share for o in occ.breakdown.occupations]
    assert sum(shares) == pytest.approx(1)


def test_rows_carry_period_from_the_as_of_year(obs):
    rows = forecast(obs, "battery", as_of=2026).rows
    assert rows[0].year == 2023
    assert {r.year for r in rows if r.period == "nowcast"} == {2023, 2024, 2025, 2026}
    later = forecast(obs, "battery", as_of=2030).rows
    assert max(r.year for r in later if r.period == "nowcast") == 2030
    assert all(r.period == "projection" for r in forecast(obs, "battery", as_of=2020).rows)


def test_security_policy_follows_the_plan_then_the_trend(obs):
    pol = forecast(obs, "security", scenario="policy")
    trend = forecast(obs, "security", scenario="trend")
    assert pol.plan_end_year == 2026
    d = p50(pol.rows, "demand")
    assert d[2026] == pytest.approx(163000, rel=0.02)
    assert [r.beyond_plan for r in pol.rows if r.year in (2026, 2027)] == [False, True]
    t = sector_simulation(spec=sector_specs()["security"], observations=obs).demand.forecast
    growth = t.mean[t.years == 2035][0] / t.mean[t.years == 2026][0]
    assert d[2035] / d[2026] == pytest.approx(growth, rel=0.03)
    # (the information-security trend grows about as fast as the plan, so the two rates are not told apart here)
    assert not any(r.beyond_plan for r in trend.rows)
    assert any("plan ends in 2026" in n for n in pol.notes)


def test_battery_note_says_why_trend_equals_policy(obs):
    pol = forecast(obs, "battery", scenario="policy")
    assert any("trend and policy give the same path up to 2032" in n for n in pol.notes)


@pytest.mark.parametrize("sector", ["quantum", "6g"])
def test_thin_sectors_intervals_reflect_targets(obs, sector):
    out = forecast(obs, sector)
    d = next(r.demand for r in out.rows if r.year == 2035)
    ratio = d.p90 / d.p10
    if sector == "quantum":
        assert ratio < 4
        assert 1000 < d.p50 < 3000
    else:
        assert ratio < 6
        assert any("p90/p10 in 2035" in n and "base_stock" not in n and "assumed level's own range" in n
                   for n in out.notes)


@pytest.mark.parametrize("scenario", ["trend", "policy"])
def test_an_assumed_scale_has_no_first_year_jump(obs, scenario):
    rows = forecast(obs, "6g", scenario=scenario).rows
    first, second = rows[0].openings, rows[1].openings
    assert first.p90 < 1.2 * second.p90 and first.p50 < 1.2 * second.p50


def test_horizon_limit_is_typed(obs):
    assert horizon_limit(2024) == 2054 and horizon_limit(2040) == 2060
    with pytest.raises(ForecastInputError, match="at most 2054") as err:
        forecast(obs, "semiconductor", horizon=3000)
    assert err.value.code == "forecast.bad_input"
    assert forecast(obs, "semiconductor", horizon=2054).rows[-1].year == 2054


def test_lever_effects_are_stated(obs):
    out = forecast(obs, "semiconductor", levers={"extra_graduates": 500, "start_year": 2027, "reskilling": 2000})
    effects = {e.lever: e for e in out.lever_effects}
    ex = effects["extra_graduates"]
    assert re.match(r"extra_graduates 500 × entry rate \d+(\.\d)?% = ", ex.text) and ex.text.endswith("a year from 2027")
    assert ex.effect_first == pytest.approx(500 * ex.entry_rate)
    base = p50(forecast(obs, "semiconductor", levers={"reskilling": 2000, "start_year": 2027}).rows)
    more = p50(out.rows)
    assert more[2026] == pytest.approx(base[2026]) == pytest.approx(p50(forecast(obs, "semiconductor").rows)[2026]), \
        "no lever acts before its start year"
    assert more[2027] - base[2027] == pytest.approx(ex.effect_first, rel=0.05)
    assert effects["reskilling"].effect_first == 1000 and effects["reskilling"].from_year == 2027
    assert ex.text in out.notes


def test_simulation_is_one_typed_result(obs):
    sim = sector_simulation(spec=sector_specs()["quantum"], observations=obs)
    assert isinstance(sim, SectorSimulation) and sim.draws["supply"].shape[1] == len(sim.draws["years"])


def test_backlog_by_education_follows_the_published_shortage_split(obs):
    out = forecast(obs, "semiconductor", by="education")
    levels = {lv.education: lv for lv in out.breakdown.levels}
    # KIAT 2020 shortage by level: high school 894, junior college 316, bachelor 362, master's 40 + PhD 9
    assert levels["high_school"].backlog_share == pytest.approx(894 / 1621)
    assert levels["master_phd"].backlog_share == pytest.approx(49 / 1621)
    first = {r.education: r.openings.p50 for r in out.rows if r.year == 2025}
    later = {r.education: r.openings.p50 for r in out.rows if r.year == 2026}
    assert first["high_school"] / later["high_school"] > first["master_phd"] / later["master_phd"]
    battery = forecast(obs, "battery", by="education")
    assert all(lv.backlog_share is None for lv in battery.breakdown.levels)
    assert any("no shortage by education" in n for n in battery.notes)


def test_an_entry_rate_lever_sets_every_level(obs):
    out = forecast(obs, "battery", levers={"entry_rate": 0.5})
    used = {a.name: a for a in out.assumptions}
    assert used["entry_rate"].value == used["entry_rate.master_phd"].value == 0.5
    # the overridden rows say so in both languages; the others keep their seed rationales
    assert used["entry_rate.master_phd"].rationale == "set by scenario lever entry_rate (was 0.68)"
    assert used["entry_rate.master_phd"].rationale_ko == "시나리오에서 정한 값 (기존 0.68)"
    assert used["separation_rate"].rationale_ko == sector_specs()["battery"].assumptions["separation_rate"].rationale_ko
    sim = sector_simulation(spec=sector_specs()["battery"], observations=obs, levers={"entry_rate": 0.5}).draws
    entrants = sum(sim["entrants_by_level"].values())
    assert entrants == pytest.approx(0.5 * sum(sim["graduates_by_level"].values()))


def test_the_model_version_fits_the_stores_columns():
    """Stored results and reports record the model version in a 60-character column (PostgreSQL refuses
    longer text where SQLite would keep it)."""
    from talentgap.data.schema import Report, StoredResult
    from talentgap.models.sector import MODEL_VERSION

    for table in (StoredResult, Report):
        assert len(MODEL_VERSION) <= table.__table__.c.model_version.type.length, MODEL_VERSION
