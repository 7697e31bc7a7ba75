"""``/skills``, ``/gaps`` and ``/programs/assess``: the skill taxonomy, gaps by skill and profile, and
programme assessments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from .. import service
from .deps import StoreDep, require
from .public_skills import GapPublic, ProgrammeAssessmentPublic, SkillGapRowPublic, SkillPublic
from .schemas import HORIZON_HELP, GapRequest, ProgrammeRequest

router = APIRouter(tags=["skills"])


@router.get("/skills", dependencies=[require("read")], response_model=list[SkillPublic])
def skills(sector: str | None = None):
    """The skill taxonomy (one sector's skills plus the shared ones, or all)."""
    return service.list_skills(sector=sector)


@router.get("/skills/gaps", dependencies=[require("read")], response_model=list[SkillGapRowPublic])
def skill_gaps(sector: str, store: StoreDep,
               horizon: Annotated[int | None, Query(description=HORIZON_HELP)] = None):
    """Openings, supply and gap by skill and year for one sector (p10/p50/p90)."""
    return service.get_skill_gaps(store=store, sector=sector, horizon=horizon)


@router.post("/gaps", dependencies=[require("skills")], response_model=GapPublic)
def gaps(body: GapRequest, store: StoreDep):
    """Projected demand, supply and gap for a skill profile, with the occupations it matches."""
    return service.get_gap(store=store, skills=body.skills, sector=body.sector, horizon=body.horizon)


@router.post("/programs/assess", dependencies=[require("skills")], response_model=ProgrammeAssessmentPublic)
def programme(body: ProgrammeRequest, store: StoreDep):
    """A programme's demand outlook, skill mismatch and the skills to add."""
    return service.assess_programme(store=store, programme=body.model_dump())
