"""Saved scenarios: the one scenario-name rule, saving, and resolving a scenario to its base and levers."""

from __future__ import annotations

import re

from talentgap.data.results import DuplicateScenario, delete_scenario, get_scenario, list_scenarios, save_scenario
from talentgap.data.store import Store
from talentgap.i18n import msg
from talentgap.models.sector import BUILT_IN_SCENARIOS
from talentgap.models.stockflow import validate_levers
from talentgap.seeds.names import normalise_name, shown

from .common import ScenarioError, ScenarioNameError, check_sector

#: A saved scenario's name: letters (Latin or Hangul), digits, space, ``_ . -``; no leading symbol.
SCENARIO_NAME = re.compile(r"[A-Za-z0-9가-힣][A-Za-z0-9가-힣 _.\-]*")


SCENARIO_NAME_MAX = 120


def check_scenario_name(name: str) -> str:
    """The one scenario-name rule of every interface: the name is normalised (NFKC, trimmed, inner
    space runs made one: :func:`~talentgap.seeds.names.normalise_name`) and returned; a built-in name
    is taken (409), anything else must match :data:`SCENARIO_NAME` (no invisible or look-alike
    characters) and be at most :data:`SCENARIO_NAME_MAX` characters (422)."""
    raw, name = name, normalise_name(name)
    if name in BUILT_IN_SCENARIOS:
        raise DuplicateScenario(msg("scenario.built_in_name", name=repr(name)))
    if len(name) > SCENARIO_NAME_MAX or not SCENARIO_NAME.fullmatch(name):
        from ..errors import short

        raise ScenarioNameError(msg("scenario.bad_name", max=SCENARIO_NAME_MAX, name=repr(shown(short(raw)))))
    return name


def create_scenario(*, store: Store, name: str, sector: str, base: str = "trend",
                    levers: dict[str, float] | None = None, description: str = "") -> dict:
    """Save a named scenario (a built-in base plus lever overrides) after every check."""
    sector = check_sector(sector)
    name = check_scenario_name(name)
    if base not in BUILT_IN_SCENARIOS:
        raise ScenarioError(msg("scenario.bad_base", choices=" or ".join(BUILT_IN_SCENARIOS), base=repr(base)))
    if len(description) > 2000:
        raise ScenarioError(msg("scenario.description_too_long", length=len(description)))
    return save_scenario(store, name=name, sector=sector, base=base, levers=validate_levers(levers or {}),
                         description=description)


def list_saved(*, store: Store) -> list[dict]:
    """Every saved scenario (id, name, sector, base, levers, description, creation time)."""
    return list_scenarios(store)


def get_saved(*, store: Store, scenario: str | int) -> dict:
    """A saved scenario by id or name (404 / exit 2 when there is none)."""
    return get_scenario(store, scenario)


def delete_saved(*, store: Store, name: str) -> None:
    """Delete the saved scenario ``name`` (404 / exit 2 when there is none)."""
    delete_scenario(store, name)


def scenario_content(*, store: Store, scenario: str) -> list | None:
    """What a scenario name stands for, for keys of cached results: ``None`` for a built-in scenario, a
    saved one's id, sector, base and levers otherwise (so a scenario deleted and saved again under the
    same name is never served stale). An unknown name is a 404."""
    if scenario in BUILT_IN_SCENARIOS:
        return None
    saved = get_scenario(store, normalise_name(scenario))
    return [saved["id"], saved["sector"], saved["base"], sorted(saved["levers"].items())]


def resolve_scenario(*, store: Store, sector: str, scenario: str, levers: dict[str, float]) -> tuple[str, dict]:
    """A built-in scenario name, or a saved scenario's base and levers (``levers`` applied on top)."""
    if scenario in BUILT_IN_SCENARIOS:
        return scenario, validate_levers(levers)
    saved = get_scenario(store, normalise_name(scenario))
    if saved["sector"] != sector:
        raise ScenarioError(msg("scenario.other_sector", scenario=repr(scenario), saved=saved["sector"],
                                sector=sector))
    return saved["base"], validate_levers({**saved["levers"], **levers})
