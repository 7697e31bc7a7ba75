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
from ..render.headline import headline
from .common import Session, render
from .scenario_text import baseline_values, current_values, effect_lines, effect_sentence, lever_words

router = APIRouter()
LEVERS = ("extra_graduates", "entry_rate", "separation_rate", "foreign_inflow", "reskilling", "start_year")


class ScenarioForm(BaseModel):
    """The scenario form; levers arrive as text so each bad number is named on the page."""

    sector: str = Field(default="", max_length=40)  # blank: the first sector
    base: Literal["trend", "policy"] = "trend"
    action: Literal["run", "save"] = "run"
    name: str = Field(default="", max_length=200)
    extra_graduates: str = Field(default="", max_length=40)
    entry_rate: str = Field(default="", max_length=40)
    separation_rate: str = Field(default="", max_length=40)
    foreign_inflow: str = Field(default="", max_length=40)
    reskilling: str = Field(default="", max_length=40)
    start_year: str = Field(default="", max_length=40)


def parse_levers(form: ScenarioForm, t=lambda key: key, lang: str = "en") -> tuple[dict[str, float], list[str], list[str]]:
    """Levers from the form; each bad number named (``t``: the field's label) in the page's language, and
    the fields in error (a number that does not read, or a lever out of its range)."""
    levers, errors, bad = {}, [], []
    for name in LEVERS:
        raw = getattr(form, name).strip()
        if raw:
            try:
                levers[name] = float(raw)
            except ValueError:
                errors.append(msg("form.must_be_number", field=t(name), value=repr(raw)).in_lang(lang))
                bad.append(name)
    if not errors:
        try:
            levers = service.validate_levers(levers)
        except TalentgapError as exc:
            errors.append(error_text(exc, lang))
            bad = [name for name, value in levers.items() if not _valid(name, value)] or list(levers)
    return levers, errors, bad


def _valid(name: str, value: float) -> bool:
    try:
        service.validate_levers({name: value})
    except TalentgapError:
        return False
    return True


@router.get("/scenario", response_class=HTMLResponse)
def scenario_form(request: Request, session: Session, store: StoreDep, sector: str = "",
                  base: Literal["trend", "policy"] = "trend", a: str = "", b: str = "") -> HTMLResponse:
    """The form; with ``a`` and ``b`` (built-in or saved scenario names) the two compared year by year."""
    return scenario_page(request, session, store, ScenarioForm(sector=sector, base=base), submitted=False,
                         compare=(a.strip(), b.strip()) if a.strip() and b.strip() else None)


@router.post("/scenario", response_class=HTMLResponse)
def scenario_post(request: Request, session: Session, store: StoreDep,
                  form: Annotated[ScenarioForm, Form()]) -> HTMLResponse:
    return scenario_page(request, session, store, form, submitted=True)


def scenario_page(request: Request, session: dict, store, form: ScenarioForm, *, submitted: bool,
                  compare: tuple[str, str] | None = None) -> HTMLResponse:
    form = form.model_copy(update={"sector": service.check_sector(form.sector or next(iter(service.SECTORS)))})
    lang = session["lang"]
    levers, errors, bad = parse_levers(form, session["t"], lang) if submitted else ({}, [], [])
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
    saved = [{**s, "words": lever_words(s["levers"], lang, baseline_values(baseline))}
             for s in service.scenarios.list_saved(store=store) if s["sector"] == form.sector]
    compared = None
    if compare:
        first, second = (service.get_forecast(store=store, sector=form.sector, scenario=n) for n in compare)
        compared = {"a": compare[0], "b": compare[1],
                    "pairs": [{"year": x.year, "base": x, "new": y} for x, y in zip(first.rows, second.rows)]}
    elif not result:
        effect = headline(baseline).sentence(lang)
        chart = gap_chart_svg(baseline, lang=lang, desc=effect, chart_id="baseline-gap")
    return render(request, "scenario.html", session, status=422 if errors else 200, sector=form.sector,
                  base=form.base, form=form.model_dump() if submitted else {}, levers=LEVERS, errors=errors,
                  bad=bad, baseline=baseline, result=result, pairs=pairs, saved_msg=saved_msg, effect=effect,
                  effects=effects, chart=chart, current=current_values(baseline, lang), saved=saved,
                  compared=compared, builtins=service.scenarios.BUILT_IN_SCENARIOS)
