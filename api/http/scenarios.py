"""``/scenarios``: saved what-if scenarios (a built-in base plus lever overrides)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from .. import service
from .deps import StoreDep, require
from .public_skills import ScenarioDetailPublic, ScenarioPublic
from .schemas import HORIZON_HELP, ScenarioRequest

router = APIRouter(prefix="/scenarios", tags=["scenarios"])


@router.post("", status_code=201, dependencies=[require("write")], response_model=ScenarioPublic)
def create_scenario(body: ScenarioRequest, store: StoreDep):
    """Save a scenario; a built-in name is a 409, a name breaking the name rule a 422."""
    levers = {k: v for k, v in body.levers.model_dump().items() if v is not None}
    return service.create_scenario(store=store, name=body.name, sector=body.sector, base=body.base, levers=levers,
                                   description=body.description)


@router.get("", dependencies=[require("read")], response_model=list[ScenarioPublic])
def scenarios(store: StoreDep):
    """Every saved scenario."""
    return service.scenarios.list_saved(store=store)


@router.get("/{scenario_id}", dependencies=[require("read")], response_model=ScenarioDetailPublic)
def scenario(scenario_id: str, store: StoreDep,
             horizon: Annotated[int | None, Query(description=HORIZON_HELP)] = None):
    """A saved scenario (by id or name) with its forecast."""
    saved = service.scenarios.get_saved(store=store, scenario=scenario_id)
    return {**saved, "forecast": service.get_forecast(store=store, sector=saved["sector"], horizon=horizon,
                                                      scenario=saved["name"])}
