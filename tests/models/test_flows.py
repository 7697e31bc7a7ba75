"""Flow accounts: the other inflow estimated from the stock path, and the survey's shortage carried on."""

import numpy as np
import pandas as pd
import pytest

from talentgap.errors import TalentgapError
from talentgap.models.backcast import BackcastError, backcast, origins
from talentgap.models.flows import stock_growth, survey_shortage
from talentgap.models.sector import sector_forecast
from talentgap.seeds.loader import seed_dataset
from talentgap.seeds.specs import sector_specs


@pytest.fixture(scope="module")
def obs():
    return seed_dataset().observations


@pytest.fixture(scope="module")
def specs():
    return sector_specs()


def test_semiconductor_growth_is_read_from_rates_and_level_intervals(obs, specs):
    h = stock_growth(specs["semiconductor"], obs, 2024)
    assert h.years == tuple(range(2017, 2025))
    # 2020 and 2021: what the published rates leave of 86,525 → 99,285 and 99,285 → 118,721
    g = dict(zip(h.years, h.growth, strict=True))
    assert g[2017] == pytest.approx(0.046) and g[2024] == pytest.approx(0.043)
    assert (1 + g[2021]) * 1.048 * 1.044 * 1.043 == pytest.approx(118721 / 99285)
    assert 0.035 < h.mean < 0.045 and h.figures == 8 and h.se > 0


def test_the_other_inflow_closes_the_flow_account(obs, specs):
    """Supply in the first trend year is about what the history's growth plus separations needed."""
    f = sector_forecast(spec=specs["semiconductor"], observations=obs, as_of=2025)
    first = f.totals()[0]
    need = (stock_growth(specs["semiconductor"], obs, 2024).mean + 0.04) * 118721
    assert first.supply.p50 == pytest.approx(need, rel=0.1)
    row = next(a for a in f.assumptions if a.name == "other_inflow_rate")
    assert row.basis == "data" and 0.01 < row.value < 0.05 and row.source_id
    assert any("other inflow" in n for n in f.notes)


def test_supply_follows_the_demand_definition(obs, specs):
    """The association basis (177,000) gets a larger supply than KIAT's (99,285–118,721)."""
    trend = sector_forecast(spec=specs["semiconductor"], observations=obs, scenario="trend", as_of=2025)
    policy = sector_forecast(spec=specs["semiconductor"], observations=obs, scenario="policy", as_of=2025)
    s_trend = next(r for r in trend.totals() if r.year == 2025).supply.p50
    s_policy = next(r for r in policy.totals() if r.year == 2025).supply.p50
    d_trend = next(r for r in trend.totals() if r.year == 2025).demand.p50
    d_policy = next(r for r in policy.totals() if r.year == 2025).demand.p50
    assert s_policy / s_trend == pytest.approx(d_policy / d_trend, rel=0.3)
    assert s_policy > 1.3 * s_trend


def test_survey_shortage_continues_from_the_last_observed_rate(obs, specs):
    s = survey_shortage(specs["semiconductor"], obs, 2024)
    assert (s.year, s.rate) == (2023, 1.7)
    f = sector_forecast(spec=specs["semiconductor"], observations=obs, as_of=2025)
    first = f.totals()[0]
    assert 1.2 <= first.shortage_rate.p50 <= 2.2, "continues from 1.6–1.7 %"
    assert first.gap_rate is not None and first.shortage.p50 > 0
    # no survey figure: no survey shortage, but the new-entrant gap is there
    q = sector_forecast(spec=specs["quantum"], observations=obs, as_of=2025)
    assert q.totals()[0].shortage_rate is None and q.totals()[0].gap_rate is not None


def test_security_demand_counts_information_security_staff(obs, specs):
    f = sector_forecast(spec=specs["security"], observations=obs, as_of=2025)
    assert [p.value for p in f.observed][-1] == 23987, "the information-security segment, not all 66,367"


def test_backcast_semiconductor_from_2020(obs, specs):
    b = backcast(spec=specs["semiconductor"], observations=obs, origin=2020)
    rows = {(r.metric, r.year): r for r in b.rows}
    assert rows[("stock", 2024)].observed == 118721 and rows[("stock", 2024)].inside
    assert rows[("shortage_rate", 2023)].observed == 1.7 and rows[("shortage_rate", 2023)].inside
    assert {("shortage", 2021), ("shortage", 2022)} <= set(rows)
    assert b.coverage == np.mean([r.inside for r in b.rows])


def test_backcasts_of_every_sector_and_origin_cover_three_quarters_of_what_was_observed(obs, specs):
    """The stock-flow model fitted up to each origin: at least 75 % of every later observed stock, shortage
    and shortage rate lie inside its p10–p90 (benchmarks/backcast tabulates the figures)."""
    inside = []
    for sector, spec in specs.items():
        own = obs[obs["sector"] == sector]
        for origin in origins(spec, own):
            try:
                inside += [r.inside for r in backcast(spec=spec, observations=own, origin=origin).rows]
            except TalentgapError:  # e.g. a growth-rates model before any rate was published
                continue
    assert len(inside) >= 20
    assert np.mean(inside) >= 0.75


def test_backcast_uses_only_data_up_to_the_origin(obs, specs):
    spec = specs["semiconductor"]
    before = backcast(spec=spec, observations=obs, origin=2020)
    extra = obs[obs["series_id"] == "semiconductor.stock_growth_rate.kiat_itw"].iloc[:1].assign(year=2021, value=40.0)
    after = backcast(spec=spec, observations=pd.concat([obs, extra]), origin=2020)
    assert [(r.p10, r.p50, r.p90) for r in after.rows] == [(r.p10, r.p50, r.p90) for r in before.rows]


def test_backcast_refuses_what_it_cannot_do(obs, specs):
    with pytest.raises(BackcastError):
        backcast(spec=specs["6g"], observations=obs, origin=2024)
    with pytest.raises(BackcastError):
        backcast(spec=specs["semiconductor"], observations=obs, origin=2024)
    assert origins(specs["6g"], obs) == [] and 2020 in origins(specs["semiconductor"], obs)
