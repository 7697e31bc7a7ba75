from __future__ import annotations

from pathlib import Path

import pytest

from talentgap.data.store import Store
from talentgap.seeds.loader import SeedDataset, load_seed_dataset

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def small_seed() -> SeedDataset:
    """A five-row seed dataset, for store tests that need not load the real one."""
    return load_seed_dataset(FIXTURES / "seed")


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'talentgap.db'}"


@pytest.fixture
def store(db_url: str, small_seed: SeedDataset) -> Store:
    return Store(db_url, seed=small_seed)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path
