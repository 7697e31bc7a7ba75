"""Published projections beside the model's own figure on the same definition and window.

For each published figure (:mod:`talentgap.seeds.published`) the model's Monte-Carlo draws of the sector
(:func:`~.sector.sector_simulation`, the scenario whose demand follows the figure's definition) give the
same quantity over the same window, draw by draw: a sum of openings, expansion, replacement, supply or
gap over the window's years; a stock in a year or its change; new entrants beside a training target; a
target less supply. The row carries p10/p50/p90, ``difference_pct`` = (model p50 − published) / published
· 100 and an explanation from the ``notes`` catalogue (``reconcile.*``): inside p10–p90 it says so;
outside it states in numbers what makes the two differ, from the model's own decomposition (expansion and
replacement, graduates entering and other inflows, growth a year) and, where the same publication gives
the parts, part by part. Nothing here changes a model number.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from pydantic import Field

from talentgap.errors import TalentgapError
from talentgap.i18n import Message, note, note_ids
from talentgap.seeds.specs import SectorSpec

from .results import Quantiles, Result
from .sector import DEFAULT_HORIZON, MODEL_VERSION, SectorSimulation, sector_simulation

FLOWS = ("openings", "expansion", "replacement", "supply", "gap")


class ReconcileError(TalentgapError, ValueError):
    """A published figure the model cannot be set beside (its window lies outside the model's years, or
    a stock before the base year is not observed): a defect of the published-figures file."""

    code = "reconcile.bad_figure"


class ReconcileRow(Result):
    """One published figure beside the model's figure on the same definition and window."""

    sector: str = Field(description="Sector id")
    figure: str = Field(description="Id of the published figure (seeds/data/<sector>/published.csv)")
    source_id: str = Field(description="Source of the published figure")
    published: float = Field(description="The published value (persons)")
    window: str = Field(description="Years the figure covers: 'start-end' for flows and changes, 'year' for a stock")
    definition: str = Field(description="Basis (definition id) of the figure")
    model: Quantiles = Field(description="The model's figure on the same definition and window")
    difference_pct: float = Field(description="(model p50 - published) / published * 100")
    explanation: str = Field(description="Why the two agree or differ, in numbers")


class FigureDetail(Result):
    """What a row's figure is: labels, quantity, scenario, where it was read, and its explanation's id."""

    sector: str
    figure: str
    label_en: str
    label_ko: str
    quantity: str = Field(description="openings, expansion, replacement, supply, gap, stock, stock_change, "
                                      "training_target or target_shortfall")
    scenario: str = Field(description="The model run whose demand follows the figure's definition")
    cite: str = Field(description="Document and lines the figure was read from")
    inside: bool = Field(description="The published value lies inside the model's p10-p90")
    explanation_id: dict | None = Field(description="The explanation's catalogue id and parameters")


class Reconciliation(Result):
    """Every published figure of the chosen sectors beside the model's (``talentgap reconcile``)."""

    model_version: str
    dataset_version: int | None = None
    rows: list[ReconcileRow]
    details: list[FigureDetail]


def reconcile(*, specs: dict[str, SectorSpec], observations: pd.DataFrame, published: pd.DataFrame,
              sectors: list[str] | None = None, dataset_version: int | None = None, births=None) -> Reconciliation:
    """Rows for every published figure of ``sectors`` (default: every sector with figures), in file order."""
    chosen = published if sectors is None else published[published["sector"].isin(sectors)]
    sims: dict[tuple[str, str], SectorSimulation] = {}
    rows, details = [], []
    for fig in chosen.to_dict("records"):
        sector = fig["sector"]
        spec = specs[sector]
        key = (sector, fig["scenario"])
        if key not in sims:
            last = int(chosen.loc[chosen["sector"] == sector, "end"].max())
            sims[key] = sector_simulation(spec=spec, observations=observations, scenario=fig["scenario"],
                                          horizon=max(DEFAULT_HORIZON, last), births=births)
        row, detail = _row(fig, sims[key], observations, chosen)
        rows.append(row)
        details.append(detail)
    return Reconciliation(model_version=MODEL_VERSION, dataset_version=dataset_version, rows=rows, details=details)


def _row(fig: dict, sim: SectorSimulation, obs: pd.DataFrame, published: pd.DataFrame) -> tuple[ReconcileRow, FigureDetail]:
    calc = _Calc(fig, sim, obs)
    draws = calc.figure()
    p10, p50, p90 = (float(v) for v in np.quantile(draws, [0.1, 0.5, 0.9]))
    pub = float(fig["value"])
    inside = p10 <= pub <= p90
    text = note("reconcile.inside", p10=p10, p90=p90) if inside else calc.explain(pub, p50, published)
    start, end = int(fig["start"]), int(fig["end"])
    window = str(end) if fig["quantity"] == "stock" and start == end else f"{start}-{end}"
    row = ReconcileRow(sector=fig["sector"], figure=fig["figure"], source_id=fig["source_id"], published=pub,
                       window=window, definition=fig["definition"], model=Quantiles(p10=p10, p50=p50, p90=p90),
                       difference_pct=100 * (p50 - pub) / pub, explanation=str(text))
    detail = FigureDetail(sector=fig["sector"], figure=fig["figure"], label_en=fig["label_en"],
                          label_ko=fig["label_ko"], quantity=fig["quantity"], scenario=fig["scenario"],
                          cite=f"{fig['cite_file']}:{fig['cite_lines']}", inside=inside,
                          explanation_id=note_ids([text])[0])
    return row, detail


class _Calc:
    """The model's draws of one published figure's quantity, and its parts for the explanation."""

    def __init__(self, fig: dict, sim: SectorSimulation, obs: pd.DataFrame):
        self.fig, self.sim, self.obs = fig, sim, obs
        self.start, self.end = int(fig["start"]), int(fig["end"])
        self.years = sim.draws["years"]
        self.base = sim.demand.base_year

    def window(self, name: str) -> np.ndarray:
        """Draws of flow ``name`` summed over the window's years."""
        if self.start < self.years[0] or self.end > self.years[-1]:
            raise ReconcileError(f"{self.fig['sector']}/{self.fig['figure']}: window {self.start}-{self.end} is "
                                 f"outside the model's years {self.years[0]}-{self.years[-1]}")
        span = (self.years >= self.start) & (self.years <= self.end)
        d = self.sim.draws
        if name == "entrants":
            return sum(d["entrants_by_level"].values())[:, span].sum(axis=1)
        if name == "plan":  # the policy scenario's training-plan entrants (zero without a plan)
            planned = d.get("plan_entrants") or {}
            return sum(planned.values(), np.zeros_like(d["supply"]))[:, span].sum(axis=1)
        return d[name][:, span].sum(axis=1)

    def stock(self, year: int) -> np.ndarray:
        """Draws of the demand stock in ``year``: projected after the base year, else observed."""
        d = self.sim.draws
        if year > self.base:
            return d["demand"][:, year - self.base - 1]
        if year == self.base:
            return np.full(d["demand"].shape[0], self.sim.demand.base_value)
        s = self.obs[(self.obs["sector"] == self.fig["sector"]) & (self.obs["metric"] == "stock")
                     & (self.obs["definition"] == self.sim.demand.definition) & (self.obs["year"] == year)
                     & _total(self.obs)]
        if s.empty:
            raise ReconcileError(f"{self.fig['sector']}/{self.fig['figure']}: no observed "
                                 f"{self.sim.demand.definition} stock in {year}")
        return np.full(d["demand"].shape[0], float(s["value"].iloc[0]))

    def growth_start(self) -> int:
        """The year growth is measured from: the window's start, or the base year for a one-year stock."""
        if self.fig["quantity"] in FLOWS:
            return self.start - 1
        return self.start if self.start < self.end else self.base

    def figure(self) -> np.ndarray:
        q = self.fig["quantity"]
        if q in FLOWS:
            return self.window(q)
        if q in ("training_target",):
            return self.window("supply")
        if q == "target_shortfall":
            return float(self.fig["base_value"]) - self.window("supply")
        if q == "stock_change":
            return self.stock(self.end) - self.stock(self.start)
        if self.rebased():
            return float(self.fig["base_value"]) * self.stock(self.end) / self.stock(self.start)
        return self.stock(self.end)

    def rebased(self) -> bool:
        return self.fig["quantity"] == "stock" and not _blank(self.fig["base_value"])

    def med(self, name: str) -> float:
        return float(np.median(self.window(name)))

    def explain(self, pub: float, p50: float, published: pd.DataFrame) -> Message:
        """Why the published figure lies outside the model's p10-p90, in numbers."""
        q, win = self.fig["quantity"], f"{self.start}-{self.end}"
        if q in ("gap", "openings"):
            parts = self.published_parts(published)
            if parts is not None:
                return parts
            e, r, s = self.med("expansion"), self.med("replacement"), self.med("supply")
            alt = e - s if q == "gap" else e
            if abs(alt - pub) < abs(p50 - pub):
                shown = {"expansion": e, "replacement": r, "supply": s, "alternative": alt,
                         "alt_pct": 100 * (alt - pub) / pub}
                if q == "gap":
                    return note("reconcile.gap_expansion_only", **shown)
                return note("reconcile.openings_expansion_only", **shown)
            if q == "gap":
                return note("reconcile.gap_supply", openings=self.med("openings"), expansion=e, replacement=r,
                            supply=s, implied=self.med("openings") - pub, extra=self.med("openings") - pub - s)
            return note("reconcile.openings_parts", openings=p50, expansion=e, replacement=r, diff=p50 - pub)
        if q == "replacement":
            person_years = float(np.median(sum(self.stock(y) for y in range(self.start - 1, self.end))))
            return note("reconcile.replacement_rate", window=win, replacement=p50,
                        model_rate=100 * p50 / person_years, published_rate=100 * pub / person_years)
        if q == "supply":
            if p50 > pub:
                return self.supply_above(pub, p50)
            return note("reconcile.supply_parts", window=win, entrants=self.med("entrants"),
                        other=self.med("other_supply"), supply=p50, diff=pub - p50)
        if q == "training_target":
            return note("reconcile.training_target", window=win, published=pub, supply=p50, share=100 * p50 / pub)
        if q == "target_shortfall":
            target, supply = float(self.fig["base_value"]), self.med("supply")
            if supply > target - pub:
                return note("reconcile.target_shortfall_above", target=target, implied=target - pub,
                            why=self.supply_above(target - pub, supply))
            return note("reconcile.target_shortfall", target=target, supply=supply, implied=target - pub,
                        diff=target - pub - supply)
        return self.growth(pub, p50)

    def supply_above(self, pub: float, supply: float) -> Message:
        """Why the model's supply exceeds a published supply: the published figure counts the people a
        plan trains as new supply, the model counts entrants, graduates and the plan's alike, and adds the
        other inflows (experienced movers, re-entrants, reskilling, foreign) the published figure leaves out."""
        entrants, plan = self.med("entrants"), self.med("plan")
        other = float(np.median(self.window("other_supply") - self.window("plan")))
        return note("reconcile.supply_above", window=f"{self.start}-{self.end}", supply=supply, published=pub,
                    entrants=entrants, plan=plan, new=entrants + plan, other=other, diff=supply - pub)

    def growth(self, pub: float, p50: float) -> Message:
        """Growth a year of the model's stock over the window against the published figure's."""
        y0 = self.growth_start()
        n = max(self.end - y0, 1)
        s0, s1 = float(np.median(self.stock(y0))), float(np.median(self.stock(self.end)))
        model_rate = 100 * ((s1 / s0) ** (1 / n) - 1)
        q = self.fig["quantity"]
        if q == "expansion":
            target = s0 + pub
        elif q == "stock_change":
            target = s0 + pub
        elif self.rebased():
            s0 = float(self.fig["base_value"])
            target = pub
        else:
            target = pub
        published_rate = 100 * ((target / s0) ** (1 / n) - 1)
        if self.rebased():
            return note("reconcile.stock_rebased", basis=self.sim.demand.definition, window=f"{y0}-{self.end}",
                        model_rate=model_rate, base=s0, start=y0, model=p50, published_rate=published_rate)
        return note("reconcile.growth", window=f"{y0}-{self.end}", stock0=s0, stock1=s1, model_rate=model_rate,
                    published_rate=published_rate)

    def published_parts(self, published: pd.DataFrame) -> Message | None:
        """Where the same sector publishes the parts of a gap (openings and supply) or of openings
        (expansion and replacement) on this definition and window, the difference part by part."""
        want = ("openings", "supply") if self.fig["quantity"] == "gap" else ("expansion", "replacement")
        same = published[(published["sector"] == self.fig["sector"]) & (published["definition"] == self.fig["definition"])
                         & (published["start"] == self.start) & (published["end"] == self.end)
                         & (published["source_id"].isin(_same_publication(published, self.fig)))]
        found = {q: same.loc[same["quantity"] == q, "value"] for q in want}
        if any(v.empty for v in found.values()):
            return None
        (a, b), (pa, pb) = want, (float(found[want[0]].iloc[0]), float(found[want[1]].iloc[0]))
        ma, mb = self.med(a), self.med(b)
        return note("reconcile.parts", first=_part(a), second=_part(b),
                    model_first=ma, published_first=pa, diff_first=ma - pa,
                    model_second=mb, published_second=pb, diff_second=mb - pb)


def _part(quantity: str) -> Message:
    """The name of a part of a published figure, in the catalogue."""
    return {"openings": note("reconcile.part.openings"), "supply": note("reconcile.part.supply"),
            "expansion": note("reconcile.part.expansion"),
            "replacement": note("reconcile.part.replacement")}[quantity]


def _same_publication(published: pd.DataFrame, fig: dict) -> set[str]:
    """Source ids of the figure's publication: its own, and those sharing its publisher's figure-id stem
    (``audit_*`` rows cite two reports of the same audit)."""
    stem = str(fig["figure"]).split("_")[0]
    rows = published[(published["sector"] == fig["sector"]) & published["figure"].str.startswith(stem + "_")]
    return {fig["source_id"], *rows["source_id"]}


def _total(obs: pd.DataFrame) -> pd.Series:
    """Rows that are totals (no occupation, education or region)."""
    return (obs[["occupation", "education", "region"]].fillna("").astype(str) == "").all(axis=1)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""
