"""Sectors as data: list, show, add and remove the sectors of the store (the one door the CLI, HTTP API
and web UI use). A sector is added by its id and names, optionally with a specification (a TOML or
XLSX file, or the same fields in a JSON body); what it lacks comes from named default assumptions
(``seeds/defaults.py``). Adding and removing each make a new dataset version."""

from __future__ import annotations

from pathlib import Path

from talentgap.data import sectors as stored
from talentgap.data.sectors import SectorError, SectorExists, SectorInUse
from talentgap.i18n import Listing, msg
from talentgap.seeds.defaults import entry_spec
from talentgap.seeds.sectors import SectorEntry, entry_from_mapping, entry_of, read_spec_file
from talentgap.seeds.specs import SpecError
from talentgap.seeds.vocab import SECTORS, SHIPPED_SECTORS

from .common import Store, check_sector, spec_for

__all__ = ["SectorError", "SectorExists", "SectorInUse", "add_sector", "get_sector", "link_choices", "list_sectors",
           "remove_sector", "sector_entry"]


def list_sectors(*, store: Store) -> list[dict]:
    """Every sector of the active dataset: id, names, whether it is shipped, how many series it holds."""
    stored.sync(store)
    counts = {c.sector: c for c in store.sector_summaries().sectors}
    return [{"id": s, "name_en": t.label_en, "name_ko": t.label_ko, "shipped": s in SHIPPED_SECTORS,
             "series": counts[s].series if s in counts else 0,
             "observations": counts[s].observations if s in counts else 0} for s, t in SECTORS.items()]


def get_sector(*, store: Store, sector: str) -> dict:
    """One sector's data: names, specification as stored, and the assumptions its forecasts use (the
    defaults named), or why it cannot be forecast yet."""
    sector = check_sector(sector)
    entry = entry_of(sector)
    out = entry.as_dict() if entry is not None else {"id": sector, "name_en": SECTORS[sector].label_en,
                                                     "name_ko": SECTORS[sector].label_ko}
    try:
        spec = spec_for(sector, store)
        out["assumptions_used"] = [a.as_dict() for a in spec.assumptions.values()]
        out["defaults"] = list(spec.defaults)
        out["forecastable"], out["reason"] = True, ""
    except Exception as exc:  # noqa: BLE001 - the reason is the answer (e.g. no stock series yet)
        out["assumptions_used"], out["defaults"] = [], []
        out["forecastable"], out["reason"] = False, str(exc)
    return out


def sector_entry(data: dict | None = None, *, file: Path | None = None, sector: str = "", name_en: str = "",
                 name_ko: str = "") -> SectorEntry:
    """A sector from a mapping (a JSON body) or a TOML/XLSX file, the arguments overriding their fields.
    Raises :class:`SectorError` for an unreadable file."""
    raw = dict(data or {})
    if file is not None:
        try:
            raw = {**read_spec_file(file), **{k: v for k, v in raw.items() if v}}
        except (OSError, ValueError) as exc:
            raise SectorError(msg("sector.bad_input", problems=f"{file.name}: {exc}")) from None
    return entry_from_mapping(raw, sector=sector, name_en=name_en, name_ko=name_ko)


def check_entry_spec(store: Store, entry: SectorEntry) -> None:
    """Refuse a sector whose own model tables or assumptions are invalid (row/field named), before
    anything is stored. A model without data yet is checked once its observations are imported."""
    if not entry.model and not entry.assumptions:
        return
    import pandas as pd

    from talentgap.seeds.vocab import OBSERVATION_COLUMNS

    demand = entry.model.get("demand", {})
    trend = demand.get("trend") if isinstance(demand, dict) else None
    # stand-in observations so the specification can be built before the sector's data exist
    stand_in = pd.DataFrame([{c: "" for c in OBSERVATION_COLUMNS} | {
        "series_id": trend or f"{entry.id}.stock.x", "sector": entry.id, "metric": "stock", "definition": "x",
        "year": 2020, "value": 1000.0, "unit": "persons"}])
    try:
        entry_spec(entry, stand_in, set(store.sources()["source_id"]))
    except SpecError as exc:
        raise SectorError(msg("sector.bad_input", problems=Listing(str(exc).splitlines(), sep="; "))) from None


def add_sector(*, store: Store, entry: SectorEntry) -> dict:
    """Add a sector (a new dataset version). Raises :class:`SectorError` (bad input, a collision)."""
    check_entry_spec(store, entry)
    version = stored.add_sector(store, entry)
    return {**get_sector(store=store, sector=entry.id), "dataset_version": version}


def remove_sector(*, store: Store, sector: str) -> dict:
    """Remove a sector (a new dataset version); refused while a saved scenario or schedule uses it."""
    sector = check_sector(sector)
    version = stored.remove_sector(store, sector)
    return {"id": sector, "removed": True, "dataset_version": version}


def link_choices() -> dict[str, list[dict]]:
    """What a new sector may link to in the shipped skill taxonomy, for a form: ``occupations`` and
    ``feeder_fields`` (programmes), each ``{id, sector, label_en, label_ko}`` in the taxonomy's order."""
    from talentgap.seeds.taxonomy import taxonomy

    tax = taxonomy()
    return {"occupations": [{"id": r.id, "sector": r.sector, "label_en": r.label_en, "label_ko": r.label_ko}
                            for r in tax.occupations.itertuples()],
            "feeder_fields": [{"id": r.id, "sector": r.sector, "label_en": r.name_en, "label_ko": r.name_ko}
                              for r in tax.programmes.itertuples()]}
