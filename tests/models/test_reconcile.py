"""Published projections beside the model (models/reconcile.py, seeds/published.py): the published figures
as data with their citations, the model's figure on the same quantity and window, and an explanation in
numbers wherever the published figure lies outside the model's p10-p90."""

from __future__ import annotations

import re
import shutil

import numpy as np
import pytest

from talentgap.models.reconcile import ReconcileError, reconcile
from talentgap.models.sector import sector_simulation
from talentgap.seeds.loader import DATA_DIR, SeedDataError, seed_docs_dir
from talentgap.seeds.loader import seed_dataset as seeds
from talentgap.seeds.published import COLUMNS, load_published, published_figures
from talentgap.seeds.specs import sector_specs


@pytest.fixture(scope="module")
def result():
    return reconcile(specs=sector_specs(), observations=seeds().observations, published=published_figures())


def by_figure(result, figure):
    return next(r for r in result.rows if r.figure == figure)


def test_the_published_figures_cover_ten_figures_over_four_sectors_including_the_headline_ones():
    pub = published_figures()
    assert len(pub) >= 10 and pub["sector"].nunique() >= 4
    assert {54_000, 81_000, 150_000, 54_450} <= set(pub["value"].astype(int))


def test_every_row_has_the_contract_keys_and_the_difference_follows_from_the_numbers(result):
    rows = [r.model_dump() for r in result.rows]
    assert len(rows) == len(published_figures())
    for r in rows:
        assert list(r) == ["sector", "figure", "source_id", "published", "window", "definition", "model",
                           "difference_pct", "explanation"]
        assert r["model"]["p10"] <= r["model"]["p50"] <= r["model"]["p90"]
        assert r["difference_pct"] == pytest.approx(100 * (r["model"]["p50"] - r["published"]) / r["published"])


def test_every_row_outside_p10_p90_is_explained_in_numbers_and_the_others_say_inside(result):
    outside = 0
    for row, detail in zip(result.rows, result.details, strict=True):
        inside = row.model.p10 <= row.published <= row.model.p90
        assert detail.inside is inside
        if inside:
            assert row.explanation.startswith("inside the model's p10"), row
        else:
            outside += 1
            assert re.search(r"\d{2}", row.explanation) and "inside" not in row.explanation, row
            assert detail.explanation_id["key"].startswith("reconcile.")
    assert outside >= 3, "the semiconductor gap lies far above the published shortfalls"


def test_the_model_figure_is_the_same_quantity_over_the_same_window():
    obs, spec = seeds().observations, sector_specs()["semiconductor"]
    sim = sector_simulation(spec=spec, observations=obs, scenario="policy", horizon=2035)
    span = (sim.draws["years"] >= 2022) & (sim.draws["years"] <= 2031)
    got = reconcile(specs=sector_specs(), observations=obs, published=published_figures(), sectors=["semiconductor"])
    expect = {"audit_need": sim.draws["openings"], "audit_growth": sim.draws["expansion"],
              "audit_replacement": sim.draws["replacement"], "audit_supply": sim.draws["supply"],
              "audit_shortfall": sim.draws["gap"]}
    for figure, draws in expect.items():
        row = by_figure(got, figure)
        assert row.model.p50 == pytest.approx(np.median(draws[:, span].sum(axis=1))), figure
        assert row.definition == sim.demand.definition == "ksia_association"
    # a stock in a year is the demand draw of that year; a change is measured from the observed base
    assert by_figure(got, "association_2031").model.p50 == pytest.approx(np.median(sim.draws["demand"][:, span][:, -1]))
    change = by_figure(got, "association_increase").model.p50
    assert change == pytest.approx(np.median(sim.draws["demand"][:, span][:, -1]) - 177_000)


def test_the_kiet_shortfall_lies_inside_the_model_range_once_other_inflows_enter_supply(result):
    # before the flow accounts, supply counted graduates only and KIET's 54,000 lay below the model's p10
    row = by_figure(result, "kiet_trend_shortfall")
    assert row.published == 54_000 and row.model.p10 < 54_000 < row.model.p90
    assert row.explanation.startswith("inside the model's p10–p90")
    assert f"{row.model.p10:,.0f}" in row.explanation and f"{row.model.p90:,.0f}" in row.explanation


def test_the_audit_shortfall_is_explained_part_by_part_against_the_audit_need_and_supply(result):
    row = by_figure(result, "audit_shortfall")
    assert row.published == 81_000
    assert "181,000" in row.explanation and "101,000" in row.explanation
    need, supply = by_figure(result, "audit_need"), by_figure(result, "audit_supply")
    assert f"{need.model.p50:,.0f}" in row.explanation and f"{supply.model.p50:,.0f}" in row.explanation


def test_the_battery_net_increase_is_the_stock_change_over_2022_2032(result):
    row = by_figure(result, "kiat_net_increase")
    assert row.window == "2022-2032" and row.published == 54_450 and row.definition == "kiat_emerging"
    assert row.model.p10 < 54_450 < row.model.p90


def test_the_explanation_reads_in_korean_too(result):
    from talentgap.i18n import Message

    outside = [d for d in result.details if d.explanation_id and not d.inside]
    assert outside, "no published figure outside the model's range to explain"
    for detail in outside:
        ko = Message.from_dict("notes", detail.explanation_id).in_lang("ko")
        en = Message.from_dict("notes", detail.explanation_id).in_lang("en")
        assert ko != en and re.search(r"[가-힣]", ko) and re.search(r"\d", ko), ko


def test_a_bad_published_file_lists_its_problems(tmp_path):
    folder = tmp_path / "battery"
    shutil.copytree(DATA_DIR / "battery", folder)
    lines = (folder / "published.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    assert tuple(header) == COLUMNS
    bad = dict(zip(header, lines[1].split(","), strict=True))
    bad.update(figure="Bad Id", quantity="vibes", source_id="nope", base_value="")
    lines.append(",".join(bad.values()))
    (folder / "published.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SeedDataError) as err:
        load_published(tmp_path)
    text = str(err.value)
    assert "bad figure id" in text and "quantity 'vibes'" in text and "unknown source_id 'nope'" in text


def test_a_window_outside_the_model_years_is_refused():
    pub = published_figures()
    pub = pub[pub["figure"] == "kiat_net_increase"].assign(quantity="supply", start=2015)
    with pytest.raises(ReconcileError, match="outside the model's years"):
        reconcile(specs=sector_specs(), observations=seeds().observations, published=pub)


def forms(value: float) -> set[str]:
    """How a published number may be written: 54,000, 54000, 5.4만, 5만4000, 5만 4,000, 179 (thousands)."""
    v = int(value)
    out = {f"{v:,}", str(v)}
    if v >= 10_000:
        man, rest = divmod(v, 10_000)
        out |= {f"{v / 10_000:g}만", f"{man}만{rest}", f"{man}만 {rest:,}", f"{man}만{rest:,}"}
    if v % 1000 == 0:
        out.add(f"{v // 1000} ")
    return out


def test_every_figure_is_written_on_the_line_it_cites():
    docs = seed_docs_dir()
    facts = docs.parent / "facts" if docs is not None else None
    if docs is None or facts is None or not facts.is_dir():
        pytest.skip("the seed documents and fact sheets are not beside the repository")
    for fig in published_figures().to_dict("records"):
        folder = docs if fig["cite_file"].endswith(".txt") else facts
        text = (folder / fig["cite_file"]).read_text(encoding="utf-8").splitlines()
        first, _, last = str(fig["cite_lines"]).partition("-")
        cited = "".join(text[int(first) - 1:int(last or first)])
        assert any(f in cited for f in forms(fig["value"])), (fig["figure"], fig["cite_lines"], cited[:200])



def test_the_audit_supply_below_the_model_is_explained_by_what_each_counts_with_the_plan_entrants(result):
    # the audit counts the people the 2022 plan trains (101,000); the model counts entrants, the plan's among them
    row = by_figure(result, "audit_supply")
    assert row.published == 101_000 and row.model.p10 > 101_000
    sim = sector_simulation(spec=sector_specs()["semiconductor"], observations=seeds().observations,
                            scenario="policy", horizon=2035)
    span = (sim.draws["years"] >= 2022) & (sim.draws["years"] <= 2031)
    plan = np.median(sum(sim.draws["plan_entrants"].values())[:, span].sum(axis=1))
    graduates = np.median(sum(sim.draws["entrants_by_level"].values())[:, span].sum(axis=1))
    assert plan > 0 and f"the training plan's entrants {plan:,.0f}" in row.explanation
    assert f"graduates entering the sector {graduates:,.0f}" in row.explanation
    assert f"{row.model.p50 - 101_000:,.0f} above the published 101,000" in row.explanation
    target = by_figure(result, "audit_shortfall_vs_target")
    assert "151,000" in target.explanation and "implies a supply of 101,000" in target.explanation
    assert not re.search(r"-\d", re.sub(r"\d{4}-\d{4}", "", target.explanation)), "no negative number in it"
