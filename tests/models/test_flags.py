"""Rows past the longest published plan, or more than ten years after the last observation, are flagged
and say so in a note (Korean and English)."""

from __future__ import annotations

import pandas as pd
import pytest

from talentgap.i18n import Message
from talentgap.models.flags import first_flagged_year, plan_horizon
from talentgap.models.sector import sector_forecast
from talentgap.seeds.loader import seed_dataset
from talentgap.seeds.specs import sector_specs


@pytest.fixture(scope="module")
def obs():
    return seed_dataset().observations


def forecast(obs, sector, **kw):
    return sector_forecast(spec=sector_specs()[sector], observations=obs, as_of=2026, **kw)


@pytest.mark.parametrize("sector", ["semiconductor", "battery", "security", "quantum", "6g"])
def test_rows_past_the_evidence_are_flagged_with_a_note(obs, sector):
    out = forecast(obs, sector, horizon=2045)
    plan = plan_horizon(obs, sector)
    limit = min(out.base_year + 10, plan) if plan else out.base_year + 10
    assert [r.year for r in out.rows if r.extrapolated] == list(range(limit + 1, 2046))
    flagged = [Message.from_dict("notes", i) for i in out.note_ids if i and str(i.get("key", "")).startswith("rows.ex")]
    assert len(flagged) == 1 and str(flagged[0]) in out.notes
    assert f"{limit + 1}" in flagged[0] and "외삽" in flagged[0].in_lang("ko")


def test_the_ten_year_rule_and_the_plan_rule_each_flag(obs):
    assert plan_horizon(obs, "semiconductor") == 2032, "the association's and the audit's plans reach 2031-2032"
    assert first_flagged_year(obs, "semiconductor", 2024) == (2033, 2032)
    assert first_flagged_year(obs, "semiconductor", 2015) == (2026, 2032), "ten years after an old observation"
    none = pd.DataFrame({"sector": ["x"], "metric": ["stock"], "year": [2020]})
    assert first_flagged_year(none, "x", 2020) == (2031, None)


def test_a_forecast_inside_the_evidence_has_no_flag(obs):
    out = forecast(obs, "semiconductor", horizon=2030)
    assert not any(r.extrapolated for r in out.rows)
    assert not any(i and str(i.get("key", "")).startswith("rows.extrapolated") for i in out.note_ids)
