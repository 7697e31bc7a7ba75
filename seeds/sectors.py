"""Sectors as data: what a sector is (id, names, definitions, model tables, assumptions) and which ones
the service knows now.

A sector is a :class:`SectorEntry`. The shipped ones are read from the seed data (``names/vocab.csv``
and ``data/<id>/``); others are added to the store (``talentgap sector add``, ``POST /api/v1/sectors``,
the data page, or a workbook's ``sectors`` sheet) in the same form. :data:`~.vocab.SECTORS` holds the
sectors of the store's active dataset: :func:`use_sectors` sets it when a store is opened, and a code
that is not there makes :func:`resolve_sector` read the store again once (another process may have
added it). Sector codes are accepted by id, Korean name or English name.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .loader import DATA_DIR, read_text_csv
from .taxonomy import Taxonomy, taxonomy, with_links
from .validate import HANGUL
from .vocab import SECTORS, SHIPPED_SECTORS, Term

#: A sector id: lower-case letters, digits, ``_`` and ``-``, starting with a letter or digit.
SECTOR_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
DEFINITION_FIELDS = ("definition", "label_en", "label_ko", "description", "description_ko")
ASSUMPTION_FIELDS = ("name", "value", "low", "high", "unit", "source_id", "rationale", "rationale_ko", "basis")


@dataclass(frozen=True)
class SectorEntry:
    """One sector as data. ``model`` holds the tables of a ``model.toml`` (empty: defaults are used);
    ``definitions`` each carry ``metrics``, the metrics observed on that definition."""

    id: str
    name_en: str
    name_ko: str
    model: dict = field(default_factory=dict)
    assumptions: tuple[dict, ...] = ()
    definitions: tuple[dict, ...] = ()
    #: optional links to the skill taxonomy: occupation ids (``occupations.csv``) whose skill profiles the
    #: sector's demand has, and programme ids (``programmes.csv``: departments, graduate schools, academies)
    #: of the fields of study that feed it
    occupations: tuple[str, ...] = ()
    feeder_fields: tuple[str, ...] = ()

    @property
    def term(self) -> Term:
        return Term(self.id, self.name_en, self.name_ko)

    def spec_json(self) -> str:
        """The specification (model, assumptions, definitions) as the store keeps it."""
        spec = {"model": self.model, "assumptions": list(self.assumptions), "definitions": list(self.definitions)}
        spec |= {k: list(v) for k, v in self.links().items() if v}
        return json.dumps(spec, ensure_ascii=False, sort_keys=True)

    def links(self) -> dict[str, tuple[str, ...]]:
        """The sector's links to the skill taxonomy (empty tuples: none)."""
        return {"occupations": self.occupations, "feeder_fields": self.feeder_fields}

    @classmethod
    def from_store(cls, id: str, name_en: str, name_ko: str, spec: str) -> SectorEntry:
        raw = json.loads(spec or "{}")
        return cls(id, name_en, name_ko, raw.get("model", {}), tuple(raw.get("assumptions", ())),
                   tuple(raw.get("definitions", ())), tuple(raw.get("occupations", ())),
                   tuple(raw.get("feeder_fields", ())))

    def as_dict(self) -> dict:
        return {"id": self.id, "name_en": self.name_en, "name_ko": self.name_ko, "model": self.model,
                "assumptions": list(self.assumptions), "definitions": list(self.definitions),
                "occupations": list(self.occupations), "feeder_fields": list(self.feeder_fields),
                "shipped": self.id in SHIPPED_SECTORS}


@lru_cache(maxsize=1)
def shipped_entries() -> tuple[SectorEntry, ...]:
    """The shipped sectors in the form the store keeps, read from the seed folders."""
    out = []
    for sid, term in SHIPPED_SECTORS.items():
        folder = DATA_DIR / sid
        model = tomllib.loads((folder / "model.toml").read_text(encoding="utf-8")) \
            if (folder / "model.toml").exists() else {}
        assumptions = read_text_csv(folder / "assumptions.csv").to_dict("records") \
            if (folder / "assumptions.csv").exists() else []
        definitions = read_text_csv(folder / "definitions.csv").to_dict("records") \
            if (folder / "definitions.csv").exists() else []
        observations = read_text_csv(folder / "observations.csv") if (folder / "observations.csv").exists() else None
        for d in definitions:
            used = [] if observations is None else observations.loc[observations["definition"] == d["definition"], "metric"]
            d["metrics"] = sorted(set(used))
        out.append(SectorEntry(sid, term.label_en, term.label_ko, model, tuple(assumptions), tuple(definitions)))
    return tuple(out)


# -- the sectors known now ---------------------------------------------------------------------------------
_ENTRIES: dict[str, SectorEntry] = {}
_refresh: list[Callable[[], object]] = []


def use_sectors(entries: Iterable[SectorEntry], refresh: Callable[[], object] | None = None) -> None:
    """Make ``entries`` the sectors known (in this order); ``refresh`` re-reads them on a miss."""
    entries = list(entries)
    SECTORS.clear()
    SECTORS.update({e.id: e.term for e in entries})
    _ENTRIES.clear()
    _ENTRIES.update({e.id: e for e in entries})
    if refresh is not None:
        _refresh[:] = [refresh]


def entry_of(sector: str) -> SectorEntry | None:
    """The sector's data (None for an unknown sector)."""
    found = _ENTRIES.get(sector)
    if found is None and sector in SHIPPED_SECTORS and sector in SECTORS:
        found = next(e for e in shipped_entries() if e.id == sector)
    return found


def _match(text: str) -> str | None:
    text = text.strip()
    if text in SECTORS:
        return text
    lowered = text.lower()
    for term in SECTORS.values():
        if lowered in (term.id.lower(), term.label_en.lower()) or text == term.label_ko:
            return term.id
    return None


def resolve_sector(text: str) -> str | None:
    """The id of the sector named ``text`` (its id, Korean or English name), or None. An unknown name
    makes the store be read again once: another process may have added the sector."""
    found = _match(text)
    if found is None and _refresh:
        _refresh[0]()
        found = _match(text)
    return found


# -- reading a sector file ------------------------------------------------------------------------------------
def entry_from_mapping(raw: dict, *, sector: str = "", name_en: str = "", name_ko: str = "") -> SectorEntry:
    """A sector from a mapping (a spec file or a JSON body): ``id``, ``name_ko``, ``name_en``, optional
    ``model`` tables, ``definitions`` and ``assumptions`` rows. The arguments override the mapping's."""
    defs = []
    for d in raw.get("definitions", ()) or ():
        d = dict(d)
        metrics = d.get("metrics", [])
        d["metrics"] = [m.strip() for m in metrics.split(";")] if isinstance(metrics, str) else list(metrics)
        d["metrics"] = [m for m in d["metrics"] if m]
        defs.append({**{k: str(d.get(k, "") or "") for k in DEFINITION_FIELDS}, "metrics": d["metrics"]})
    assumptions = [{k: ("" if a.get(k) is None else str(a.get(k))) for k in ASSUMPTION_FIELDS}
                   for a in raw.get("assumptions", ()) or ()]
    return SectorEntry(str(sector or raw.get("id", "") or "").strip(),
                       str(name_en or raw.get("name_en", "") or "").strip(),
                       str(name_ko or raw.get("name_ko", "") or "").strip(),
                       dict(raw.get("model", {}) or {}), tuple(assumptions), tuple(defs),
                       _id_list(raw.get("occupations")), _id_list(raw.get("feeder_fields")))


def _id_list(value: object) -> tuple[str, ...]:
    """A list of taxonomy ids from a file or body: a list, or one ``;``- or ``,``-separated text (a workbook
    cell); blanks dropped, each id once. Anything else is kept as its text, to be refused by name."""
    if value is None or value == "":
        return ()
    items = re.split(r"[;,]", value) if isinstance(value, str) else value if isinstance(value, list | tuple) \
        else [value]
    return tuple(dict.fromkeys(str(v).strip() for v in items if str(v).strip()))


def read_spec_file(path: Path) -> dict:
    """A sector file as a mapping: TOML (``.toml``) or a workbook (``.xlsx``: a ``sector`` sheet of
    ``field, value`` rows, ``occupations`` and ``feeder_fields`` as ``;``-separated ids; and ``definitions``
    and ``assumptions`` sheets with their columns)."""
    if path.suffix.lower() == ".toml":
        return tomllib.loads(path.read_text(encoding="utf-8"))
    if path.suffix.lower() == ".xlsx":
        import pandas as pd

        sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
        raw: dict = {}
        for rec in sheets.get("sector", pd.DataFrame(columns=["field", "value"])).to_dict("records"):
            raw[str(rec.get("field", "")).strip()] = str(rec.get("value", "")).strip()
        for name in ("definitions", "assumptions"):
            if name in sheets:
                raw[name] = sheets[name].to_dict("records")
        return raw
    raise ValueError(f"{path.name}: a sector file is .toml or .xlsx")


def entry_problems(entry: SectorEntry) -> list[str]:
    """What makes ``entry`` unusable as a new sector (its id, names and definitions); its model tables and
    assumptions are checked when its specification is built."""
    problems = []
    if not SECTOR_ID.match(entry.id):
        problems.append(f"id: {entry.id!r} is not a sector id (lower-case letters, digits, _ and -, "
                        "at most 40 characters)")
    if not entry.name_en:
        problems.append("name_en: the English name is missing")
    if not entry.name_ko:
        problems.append("name_ko: the Korean name is missing")
    elif not HANGUL.search(entry.name_ko):
        problems.append(f"name_ko: {entry.name_ko!r} holds no Korean")
    for i, d in enumerate(entry.definitions):
        if not d["definition"]:
            problems.append(f"definitions row {i + 1}: definition is blank")
        elif not d["metrics"]:
            problems.append(f"definitions row {i + 1}: definition {d['definition']!r} is used by no metric "
                            "(give its metrics, e.g. stock)")
    return problems + link_problems(entry)


def link_problems(entry: SectorEntry) -> list[str]:
    """Links to ids the skill taxonomy does not hold, each named with the field (``occupations``,
    ``feeder_fields``) and the ids it does hold."""
    if not entry.occupations and not entry.feeder_fields:
        return []
    tax = taxonomy()
    problems = []
    for name, given, known in (("occupations", entry.occupations, tax.occupations["id"]),
                               ("feeder_fields", entry.feeder_fields, tax.programmes["id"])):
        unknown = [i for i in given if i not in set(known)]
        if unknown:
            problems.append(f"{name}: {', '.join(map(repr, unknown))} not in the skill taxonomy "
                            f"(known: {', '.join(sorted(set(known)))})")
    return problems


# -- the taxonomy with the stored sectors' links --------------------------------------------------------------
Links = tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]


def current_links() -> Links:
    """The known sectors' links to the taxonomy: ``(sector, occupations, feeder_fields)`` for each that has any."""
    return tuple((e.id, e.occupations, e.feeder_fields) for e in _ENTRIES.values()
                 if e.occupations or e.feeder_fields)


def links_of(sector: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """One sector's linked occupations and feeder fields (empty: none)."""
    entry = entry_of(sector)
    return (entry.occupations, entry.feeder_fields) if entry is not None else ((), ())


def linked_taxonomy() -> Taxonomy:
    """The skill taxonomy with every known sector's linked occupations and programmes as its own rows."""
    return _linked(current_links())


@lru_cache(maxsize=8)
def _linked(links: Links) -> Taxonomy:
    return with_links(taxonomy(), links)
