"""The scenario page: levers against the baseline, side by side, and saving a scenario."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from talentgap.errors import TalentgapError
from talentgap.i18n import error_text, msg

from .. import service
from ..http.deps import StoreDep
from ..render.charts import gap_chart_svg
from .common import Session, render
from .scenario_text import current_values, effect_lines, effect_sentence

router = APIRouter()
LEVERS = ("extra_graduates", "entry_rate", "separation_rate", "foreign_inflow", "reskilling", "start_year")


class ScenarioForm(BaseModel):
    """The scenario form; levers arrive as text so each bad number is named on the page."""

    sector: str = Field(default="semiconductor", max_length=40)
    base: Literal["trend", "policy"] = "trend"
    action: Literal["run", "save"] = "run"
    name: str = Field(default="", max_length=200)
    extra_graduates: str = Field(default="", max_length=40)
    entry_rate: str = Field(default="", max_length=40)
    separation_rate: str = Field(default="", max_length=40)
    foreign_inflow: str = Field(default="", max_length=40)
    reskilling: str = Field(default="", max_length=40)
    start_year: str = Field(default="", max_length=40)


def parse_levers(form: ScenarioForm, t=lambda key: key, lang: str = "en") -> tuple[dict[str, float], list[str]]:
    """Levers from the form; each bad number named (``t``: the field's label) in the page's language."""
    levers, errors = {}, []
    for name in LEVERS:
        raw = getattr(form, name).strip()
        if raw:
            try:
                levers[name] = float(raw)
            except ValueError:
                errors.append(msg("form.must_be_number", field=t(name), value=repr(raw)).in_lang(lang))
    if not errors:
        try:
            levers = service.validate_levers(levers)
        except TalentgapError as exc:
            errors.append(error_text(exc, lang))
    return levers, errors


@router.get("/scenario", response_class=HTMLResponse)
def scenario_form(request: Request, session: Session, store: StoreDep, sector: str = "semiconductor",
                  base: Literal["trend", "policy"] = "trend") -> HTMLResponse:
    return scenario_page(request, session, store, ScenarioForm(sector=sector, base=base), submitted=False)


@router.post("/scenario", response_class=HTMLResponse)
def scenario_post(request: Request, session: Session, store: StoreDep,
                  form: Annotated[ScenarioForm, Form()]) -> HTMLResponse:
    return scenario_page(request, session, store, form, submitted=True)


def scenario_page(request: Request, session: dict, store, form: ScenarioForm, *, submitted: bool) -> HTMLResponse:
    service.check_sector(form.sector)
    lang = session["lang"]
    levers, errors = parse_levers(form, session["t"], lang) if submitted else ({}, [])
    saved_msg = ""
    baseline = service.get_forecast(store=store, sector=form.sector, scenario=form.base)
    result = None
    if submitted and not errors:
        result = service.get_forecast(store=store, sector=form.sector, scenario=form.base, levers=levers)
        if form.action == "save":
            if not session["can"]["scenario_save"]:
                errors.append(msg("form.not_allowed").in_lang(lang))
            else:
                try:
                    service.create_scenario(store=store, name=form.name.strip(), sector=form.sector,
                                            base=form.base, levers=levers)
                    saved_msg = form.name.strip()
                except TalentgapError as exc:
                    errors.append(error_text(exc, lang))
    pairs = [{"year": a.year, "base": a, "new": b} for a, b in zip(baseline.rows, result.rows)] if result else []
    effect, effects, chart = "", [], ""
    if result:
        effect = effect_sentence(baseline, result, lang)
        effects = effect_lines(result, lang)
        chart = gap_chart_svg(result, lang=lang, baseline=baseline, desc=effect, chart_id="scenario-gap")
    return render(request, "scenario.html", session, status=422 if errors else 200, sector=form.sector,
                  base=form.base, form=form.model_dump() if submitted else {}, levers=LEVERS, errors=errors,
                  baseline=baseline, result=result, pairs=pairs, saved_msg=saved_msg, effect=effect,
                  effects=effects, chart=chart, current=current_values(baseline, lang))
