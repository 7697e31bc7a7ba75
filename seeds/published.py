"""Published projections and targets to set beside the model: ``seeds/data/<sector>/published.csv``.

One row per published figure: ``figure`` (an id unique in the sector), ``label_en`` / ``label_ko``,
``value`` and ``unit``, the window ``start``–``end`` (calendar years), the ``definition`` (the basis id
the model uses for it), the ``quantity`` it is (:data:`QUANTITIES`), the ``scenario`` whose demand
follows that definition, ``base_value`` (see below), ``source_id`` (from the sector's ``sources.csv``)
and where the figure was read: ``cite_file`` (a seed document, or a fact sheet compiled from the seeds
and public sources) with ``cite_lines``.

Quantities (flows are summed over the window's years, both ends included):

- ``openings``: expansion + replacement demand; ``expansion`` or ``replacement`` alone;
- ``supply``: new entrants to the sector; ``gap``: openings − supply (a cumulative shortfall);
- ``stock``: the workforce in ``end``; ``stock_change``: the stock in ``end`` less the stock in ``start``;
- ``training_target``: people a plan trains over the window (compared with the model's new entrants);
- ``target_shortfall``: a training target (``base_value``) less supply.

``base_value`` also serves a ``stock`` figure on a definition the model does not follow: the published
stock in ``start``, to which the model's growth on its own basis is applied.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from .loader import DATA_DIR, SeedDataError, read_text_csv
from .validate import SLUG
from .vocab import SECTORS

COLUMNS = ("figure", "label_en", "label_ko", "value", "unit", "start", "end", "definition", "quantity", "scenario",
           "base_value", "source_id", "cite_file", "cite_lines")
QUANTITIES = ("openings", "expansion", "replacement", "supply", "gap", "stock", "stock_change", "training_target",
              "target_shortfall")
SCENARIOS = ("trend", "policy")


def load_published(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Every sector's published figures as one frame (``sector`` added; numbers as numbers, a blank
    ``base_value`` as NaN); raise :class:`~.loader.SeedDataError` listing every problem."""
    frames, problems = [], []
    for folder in sorted(p for p in data_dir.iterdir() if p.is_dir()) if data_dir.is_dir() else []:
        path = folder / "published.csv"
        if folder.name not in SECTORS or not path.exists():
            continue
        frame = read_text_csv(path)
        absent = [c for c in COLUMNS if c not in frame.columns]
        if absent:
            problems.append(f"{path}: missing columns {absent}")
            continue
        sources = set(read_text_csv(folder / "sources.csv")["source_id"])
        definitions = set(read_text_csv(folder / "definitions.csv")["definition"])
        problems += [f"{path}: row {i + 2}: {p}" for i, rec in enumerate(frame.to_dict("records"))
                     for p in _row_problems(rec, sources, definitions)]
        dup = frame.loc[frame["figure"].duplicated(), "figure"]
        problems += [f"{path}: figure {f!r} appears twice" for f in dup]
        frames.append(frame[list(COLUMNS)].assign(sector=folder.name))
    if problems:
        raise SeedDataError(problems)
    if not frames:
        return pd.DataFrame(columns=[*COLUMNS, "sector"])
    out = pd.concat(frames, ignore_index=True)
    for col in ("value", "base_value"):
        out[col] = pd.to_numeric(out[col].replace("", float("nan")))
    for col in ("start", "end"):
        out[col] = out[col].astype(int)
    return out


@lru_cache(maxsize=1)
def published_figures() -> pd.DataFrame:
    """The shipped published figures (:func:`load_published`), read once per process."""
    return load_published()


def _row_problems(rec: dict, sources: set[str], definitions: set[str]) -> list[str]:
    out = []
    if not SLUG.match(rec["figure"]):
        out.append(f"bad figure id {rec['figure']!r}")
    if rec["quantity"] not in QUANTITIES:
        out.append(f"quantity {rec['quantity']!r} is not one of {', '.join(QUANTITIES)}")
    if rec["scenario"] not in SCENARIOS:
        out.append(f"scenario {rec['scenario']!r} is not one of {', '.join(SCENARIOS)}")
    if rec["source_id"] not in sources:
        out.append(f"unknown source_id {rec['source_id']!r}")
    if rec["definition"] not in definitions:
        out.append(f"definition {rec['definition']!r} is not described in definitions.csv")
    if not rec["label_en"] or not rec["label_ko"] or not rec["cite_file"] or not rec["cite_lines"]:
        out.append("label_en, label_ko, cite_file and cite_lines are required")
    try:
        value, start, end = float(rec["value"]), int(rec["start"]), int(rec["end"])
        base = float(rec["base_value"]) if rec["base_value"] else None
    except ValueError:
        return [*out, "value, start, end and base_value must be numbers"]
    if value <= 0 or start > end:
        out.append("value must be positive and start no later than end")
    if rec["quantity"] == "target_shortfall" and base is None:
        out.append("a target_shortfall needs the training target as base_value")
    return out
