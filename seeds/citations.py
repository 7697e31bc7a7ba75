"""Re-check every figure cited to a seed document against the document's text."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .korean_numbers import states_number
from .loader import parse_lines


def citation_problems(observations: pd.DataFrame, sources: pd.DataFrame, docs_dir: Path) -> list[str]:
    """Return one message per seed-cited observation whose value is not on its cited lines.

    The cited lines are joined with spaces (the documents wrap sentences across lines) and searched
    for the value in any Korean number form (see :mod:`seeds.korean_numbers`).
    """
    seed_sources = sources[sources["kind"] == "seed"].set_index("source_id")
    cache: dict[str, list[str]] = {}
    problems = []
    for rec in observations[observations["source_id"].isin(seed_sources.index)].itertuples():
        src = seed_sources.loc[rec.source_id]
        path = docs_dir / src["ref"]
        if src["ref"] not in cache:
            if not path.exists():
                problems.append(f"{rec.source_id}: seed document {src['ref']} not found in {docs_dir}")
                cache[src["ref"]] = []
                continue
            cache[src["ref"]] = path.read_text(encoding="utf-8").splitlines()
        doc = cache[src["ref"]]
        if not doc:
            continue
        try:
            numbers = parse_lines(src["lines"])
        except ValueError:
            problems.append(f"{rec.source_id}: cannot read lines {src['lines']!r}")
            continue
        text = " ".join(doc[n - 1] for n in numbers if 0 < n <= len(doc))
        if not states_number(text, rec.value):
            problems.append(f"{rec.series_id} {rec.year} = {rec.value:g}: not found on "
                            f"{src['ref']} lines {src['lines']} ({rec.source_id})")
    return problems
