"""Rules every service module shares: the sector check, the sector's model specification, service errors,
the configured settings; :class:`Store` and :class:`Settings` are the types the interfaces hold."""

from __future__ import annotations

from talentgap.data.settings import Settings, get_settings
from talentgap.data.store import Store
from talentgap.errors import TalentgapError
from talentgap.i18n import msg
from talentgap.models.sector import UnknownSector
from talentgap.seeds.defaults import entry_spec
from talentgap.seeds.sectors import entry_of, resolve_sector
from talentgap.seeds.specs import SectorSpec, sector_specs
from talentgap.seeds.vocab import SECTORS, SHIPPED_SECTORS

__all__ = ["SECTORS", "NoSkillMatch", "ReportError", "ScenarioError", "ScenarioNameError", "ServiceError", "Settings",
           "Store", "check_sector", "settings", "spec_for"]


def settings() -> Settings:
    """The configured settings (environment variables and defaults, read once per process)."""
    return get_settings()


class ServiceError(TalentgapError, ValueError):
    """A request the service refuses (422 / exit 2); one subclass per rule, each with its code."""


class ScenarioError(ServiceError):
    """A scenario that cannot be saved or used as asked (a base not built in, a description too long, a
    saved scenario of another sector)."""

    code = "scenario.bad_input"


class NoSkillMatch(ServiceError):
    """A skill profile that matches no occupation."""

    code = "skills.no_match"


class SectorsNotComputed(ServiceError):
    """No sector a request needs could be computed (each one's reason is given)."""

    code = "skills.not_computed"


class ScenarioNameError(ServiceError):
    """A scenario name that breaks the name rule (422)."""

    code = "scenario.bad_name"


class ReportError(ServiceError):
    """Report options that cannot be used (422 / exit 2)."""

    code = "report.bad_input"


def check_sector(sector: str) -> str:
    """The id of the sector ``sector`` names (its id, Korean or English name); :class:`UnknownSector`
    otherwise."""
    found = resolve_sector(sector) if isinstance(sector, str) else None
    if found is None:
        raise UnknownSector(msg("sector.unknown", sector=repr(sector), sectors=", ".join(SECTORS)))
    return found


def spec_for(sector: str, store: Store | None = None, version: int | None = None) -> SectorSpec:
    """The sector's model specification: a shipped sector's from its seed files; a sector added to the
    store from its stored specification, with named defaults for what it lacks (read from ``store``'s
    ``version``). A sector without one cannot be forecast (a data gap)."""
    from talentgap.models.sector import MissingSeries

    sector = check_sector(sector)
    spec = sector_specs().get(sector) if sector in SHIPPED_SECTORS else None
    if spec is None and store is not None and (entry := entry_of(sector)) is not None:
        sources = set(store.sources()["source_id"])
        return entry_spec(entry, store.observations(version, sector=sector), sources)
    if spec is None:
        raise MissingSeries(msg("sector.no_spec", sector=repr(sector), name=sector))
    return spec
