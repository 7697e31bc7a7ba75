"""Korean names of publishers and titles of seed documents (``seeds/names/``), so pages show a source
by its publisher, title and year in the reader's language instead of a source id or a file name.

``publishers.csv``: a source's ``publisher`` as the source tables write it, and its Korean name
(empty where no Korean name is known: the page shows the publisher as written). ``documents.csv``: a
seed document's file name (a source's ``ref``), its title and issuer in English and Korean, and its
date of issue.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .loader import read_text_csv

NAMES_DIR = Path(__file__).resolve().parent / "names"


class Document(NamedTuple):
    """A seed document's title and issuer in English and Korean, and when it was issued."""

    title_en: str
    title_ko: str
    publisher_en: str
    publisher_ko: str
    published: str


@lru_cache(maxsize=1)
def publisher_names() -> dict[str, str]:
    """Publisher as written in the source tables → its Korean name (only those with one)."""
    frame = read_text_csv(NAMES_DIR / "publishers.csv")
    _check(frame, ("publisher", "publisher_ko"), "publishers.csv")
    return {r.publisher: r.publisher_ko for r in frame.itertuples() if r.publisher_ko}


@lru_cache(maxsize=1)
def documents() -> dict[str, Document]:
    """Seed document file name → its :class:`Document`."""
    frame = read_text_csv(NAMES_DIR / "documents.csv")
    _check(frame, ("ref", *Document._fields), "documents.csv")
    return {r.ref: Document(*(getattr(r, f) for f in Document._fields)) for r in frame.itertuples()}


def _check(frame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{NAMES_DIR / name}: missing columns {', '.join(missing)}")
    key = frame[columns[0]]
    if (key == "").any() or key.duplicated().any():
        raise ValueError(f"{NAMES_DIR / name}: every row needs a distinct {columns[0]}")
