"""Rules every service module shares: the sector check, the sector's model specification, service errors."""

from __future__ import annotations

from talentgap.i18n import msg
from talentgap.models.sector import UnknownSector
from talentgap.seeds.specs import sector_specs
from talentgap.seeds.vocab import SECTORS


class ScenarioNameError(ValueError):
    """A scenario name that breaks the name rule (422)."""

    code = "scenario.bad_name"


class ReportError(ValueError):
    """Report options that cannot be used (422 / exit 2)."""

    code = "report.bad_input"


def check_sector(sector: str) -> str:
    if sector not in SECTORS:
        raise UnknownSector(msg("sector.unknown", sector=repr(sector), sectors=", ".join(SECTORS)))
    return sector


def spec_for(sector: str):
    """The sector's model specification; a sector without one cannot be forecast (a data gap)."""
    from talentgap.models.sector import MissingSeries

    check_sector(sector)
    spec = sector_specs().get(sector)
    if spec is None:
        raise MissingSeries(msg("sector.no_spec", sector=repr(sector), name=sector))
    return spec
