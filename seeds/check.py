"""Validate the seed files and re-check seed citations: ``python -m seeds.check [SECTOR ...]``."""

from __future__ import annotations

import sys

from .citations import citation_problems
from .loader import SeedDataError, load_seed_dataset, seed_docs_dir


def main(argv: list[str]) -> int:
    try:
        ds = load_seed_dataset(sectors=tuple(argv) or None)
    except SeedDataError as exc:
        print("\n".join(exc.problems))
        return 1
    docs = seed_docs_dir()
    problems = citation_problems(ds.observations, ds.sources, docs) if docs else []
    print("\n".join(problems))
    note = "" if docs else " (seed documents not found: citations not checked)"
    print(f"{len(ds.observations)} observations, {ds.observations['series_id'].nunique()} series, "
          f"{len(ds.sources)} sources, {len(problems)} citation problems{note}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
