"""The controlled vocabulary of talentgap: sectors, metrics, units and education levels.

Every id carries its Korean label beside the English one; the terms live in ``names/vocab.csv`` and the
Korean header aliases of an upload in ``names/columns.csv`` (see GLOSSARY.md in the specification).
Uploads may use either the id or the Korean label.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib.resources import files


@dataclass(frozen=True)
class Term:
    """One vocabulary entry: a stable English id with English and Korean labels."""

    id: str
    label_en: str
    label_ko: str


def _index(*terms: Term) -> dict[str, Term]:
    return {t.id: t for t in terms}


def _read(name: str) -> list[dict[str, str]]:
    with (files("talentgap.seeds") / "names" / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _kind(kind: str) -> dict[str, Term]:
    return _index(*(Term(r["id"], r["label_en"], r["label_ko"]) for r in _TERMS if r["kind"] == kind))


#: Every term of the vocabulary (``names/vocab.csv``: kind, id, English and Korean label), in order.
_TERMS = _read("vocab.csv")
#: The sectors the service knows now: the shipped ones at first; :mod:`.sectors` keeps it in step with the
#: store's ``sector`` table (sectors are data: added and removed without a release).
SECTORS: dict[str, Term] = _kind("sector")
#: The sectors shipped in ``seeds/data`` (whatever a store has added or removed since).
SHIPPED_SECTORS: dict[str, Term] = dict(SECTORS)
#: The five education levels KIAT reports, plus the master's/PhD aggregate many sources use.
EDUCATION: dict[str, Term] = _kind("education")
METRICS: dict[str, Term] = _kind("metric")
UNITS: dict[str, Term] = _kind("unit")


def _columns() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for r in _read("columns.csv"):
        out.setdefault(r["column"], []).append(r["alias_ko"])
    return {column: tuple(aliases) for column, aliases in out.items()}


#: Columns of the long observation format (PRODUCT.md §3.2), with Korean header aliases
#: (``names/columns.csv``).
OBSERVATION_COLUMNS: dict[str, tuple[str, ...]] = _columns()

#: Columns an upload must have; the others default to blank.
REQUIRED_COLUMNS = ("sector", "metric", "definition", "year", "value", "unit", "source_id")


def resolve(vocab: dict[str, Term], text: str) -> str | None:
    """Map an id or Korean label to the id; ``None`` when it is neither."""
    if text in vocab:
        return text
    lowered = text.lower()
    for term in vocab.values():
        if lowered == term.id.lower() or text == term.label_ko:
            return term.id
    return None
