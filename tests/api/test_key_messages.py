"""Key messages and the sector ranking are generated from the forecasts: they name what the numbers say,
change when the numbers change, and a sector that could not be computed is named, never a crash."""

from __future__ import annotations

import re

import pytest

from talentgap.api import service
from talentgap.api.render.messages import NARROW, WIDE, key_messages, label, ranking, spread
from talentgap.api.render.names import sector_name
from talentgap.api.render.numbers import plain
from talentgap.data.store import Store
from talentgap.models.results import Quantiles
from talentgap.seeds.vocab import SECTORS

HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def forecasts(tmp_path_factory):
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('keys') / 'k.db'}")
    out = {s: service.get_forecast(store=store, sector=s) for s in SECTORS}
    top = max(out, key=lambda s: out[s].totals()[-1].gap.p50)
    edu = service.get_forecast(store=store, sector=top, by="education")
    occ = service.get_forecast(store=store, sector=top, by="occupation")
    return out, {top: edu}, {top: occ}, store


def with_gap(forecast, p10: float, p50: float, p90: float, above: float):
    """The forecast with every total row's gap set (a what-if on the numbers the messages read)."""
    q = Quantiles(p10=p10, p50=p50, p90=p90)
    rows = [r.model_copy(update={"gap": q, "gap_above_zero": above}) if r.part is None else r for r in forecast.rows]
    return forecast.model_copy(update={"rows": rows})


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_messages_name_the_largest_gap_its_breakdowns_and_the_uncertainty(forecasts, lang):
    fs, edu, occ, _ = forecasts
    texts = [plain(m) for m in key_messages(fs, lang, by_education=edu, by_occupation=occ)]
    assert 3 <= len(texts) <= 5, texts
    top = max(fs, key=lambda s: fs[s].totals()[-1].gap.p50)
    year = str(fs[top].totals()[-1].year)
    assert sector_name(top, lang) in texts[0] and year in texts[0]
    assert any(sector_name(top, lang) in t and any(ch.isdigit() for ch in t) for t in texts[1:]), "breakdown"
    assert (lang == "en") != any(HANGUL.search(t) for t in texts)
    assert not any("{" in t or "keys." in t for t in texts), texts


def test_messages_change_when_the_numbers_change(forecasts):
    fs, _, _, _ = forecasts
    before = key_messages(fs, "en")
    small = min(fs, key=lambda s: fs[s].totals()[-1].gap.p50)
    changed = {**fs, small: with_gap(fs[small], 900_000, 1_000_000, 1_100_000, 1.0)}
    after = key_messages(changed, "en")
    assert after != before
    assert sector_name(small, "en") in plain(after[0]) and "1,000,000" in plain(after[0])
    assert "narrow" in " ".join(after) and sector_name(small, "en") in plain(
        next(m for m in after if "narrow" in m))
    assert ranking(changed)[0].sector == small and ranking(changed)[0].label == "shortage"


def test_all_in_surplus_and_a_failing_sector_are_said_not_crashed(forecasts):
    fs, _, _, _ = forecasts
    surplus = {s: with_gap(f, -900, -500, -100, 0.0) for s, f in fs.items() if s != "quantum"}
    texts = [plain(m) for m in key_messages(surplus, "en", failed=["quantum"])]
    assert texts[0].startswith("No sector is short") and "500" in texts[0]
    assert "Quantum" in texts[-1] and "Not computed" in texts[-1]
    assert all(r.label == "surplus" for r in ranking(surplus))
    ko = [plain(m) for m in key_messages({}, "ko", failed=list(SECTORS))]
    assert len(ko) == 2 and all(sector_name(s, "ko") in ko[1] for s in SECTORS)


def test_changes_since_the_previous_report_are_said_only_when_given(forecasts):
    fs, _, _, _ = forecasts
    assert not any("previous report" in m for m in key_messages(fs, "en"))
    changes = {"previous": {"id": "r1"}, "revisions": [
        {"sector": "battery", "item": "gap", "year": 2035, "previous": 9_000.0, "current": 13_000.0, "change": 4000.0},
        {"sector": "quantum", "item": "gap", "year": 2035, "previous": 200.0, "current": 280.0, "change": 80.0}]}
    said = plain(next(m for m in key_messages(fs, "en", changes=changes) if "previous report" in m))
    assert "Secondary batteries" in said and "9,000" in said and "13,000" in said
    nothing = {"previous": {"id": "r1"}, "revisions": []}
    assert any("No gap has changed" in m for m in key_messages(fs, "en", changes=nothing))


def test_ranking_orders_by_gap_and_labels_by_the_written_rule(forecasts):
    fs, _, _, _ = forecasts
    ranks = ranking(fs)
    assert [r.gap["p50"] for r in ranks] == sorted((r.gap["p50"] for r in ranks), reverse=True)
    for r in ranks:
        last = fs[r.sector].totals()[-1]
        assert r.probability == last.gap_above_zero and 0 <= r.probability <= 1
        if last.gap.p10 > 0:
            assert r.label == "shortage" and r.probability >= 0.9
        elif last.gap.p90 < 0:
            assert r.label == "surplus" and r.probability <= 0.1
        else:
            assert r.label == "balance"
    assert label({"p10": -1, "p50": 5, "p90": 10}) == "balance"
    assert spread({"p10": 90, "p50": 100, "p90": 100 + 100 * NARROW - 10}) == "narrow"
    assert spread({"p10": 0, "p50": 100, "p90": 100 * WIDE}) == "moderate"
    assert spread({"p10": -50, "p50": 100, "p90": 200}) == "wide"
    assert spread({"p10": -5, "p50": 0, "p90": 5}) == "wide"


def test_the_report_cover_names_the_issuer_from_the_setting_and_the_month_in_words(forecasts, monkeypatch):
    from datetime import UTC, datetime

    from talentgap.api.render.report import build, cover
    from talentgap.data.settings import get_settings

    store = forecasts[3]
    monkeypatch.setenv("TALENTGAP_ISSUER", "Ministry of Example")
    get_settings.cache_clear()
    try:
        report = build(store=store, sectors=["quantum", "semiconductor"], lang="ko")
    finally:
        get_settings.cache_clear()
    assert report["issuer"] == "Ministry of Example"
    report["created_at"] = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    ko, en = cover(report, "ko"), cover(report, "en")
    assert ko["month"] == "2026년 12월" and en["month"] == "December 2026"
    assert en["data"].startswith(f"Dataset version {report['dataset_version']} of ")
    assert [r.sector for r in en["ranks"]] == ["semiconductor", "quantum"]
    assert "Semiconductors" in plain(en["messages"][0]) and "반도체" in plain(ko["messages"][0])
