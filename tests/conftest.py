from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from talentgap.data.store import Store
from talentgap.seeds.loader import SeedDataset, load_seed_dataset
from talentgap.seeds.sectors import shipped_entries, use_sectors

# (settings are read lazily, so this takes effect.) Tests never write into the user's data directory: reports (and any default database) go to a
# temporary folder removed at exit.
_TMP = tempfile.mkdtemp(prefix="talentgap-tests-")
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)
os.environ.setdefault("TALENTGAP_REPORTS_DIR", os.path.join(_TMP, "reports"))
os.environ.setdefault("TALENTGAP_DATABASE_URL", f"sqlite:///{os.path.join(_TMP, 'default.db')}")

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def small_seed() -> SeedDataset:
    """A five-row seed dataset, for store tests that need not load the real one."""
    return load_seed_dataset(FIXTURES / "seed")


POSTGRES_URL = os.environ.get("TALENTGAP_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path: Path) -> str:
    """A fresh, empty database: an SQLite file, and (where a server is given) PostgreSQL too.

    ``.ci/run`` starts a PostgreSQL server and sets ``TALENTGAP_TEST_POSTGRES_URL``; elsewhere the
    PostgreSQL variants are skipped with that reason.
    """
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'talentgap.db'}"
    if not POSTGRES_URL:
        pytest.skip("TALENTGAP_TEST_POSTGRES_URL is not set (.ci/run starts a PostgreSQL server and sets it)")
    from sqlalchemy import create_engine

    engine = create_engine(POSTGRES_URL)
    with engine.begin() as conn:  # every table, the schema revision included: each test starts empty
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    return POSTGRES_URL


@pytest.fixture
def shipped_sectors_after():
    """A test that adds sectors leaves the process's sector registry as it was: the shipped sectors only
    (other tests' stores know no more)."""
    yield
    use_sectors(shipped_entries())


@pytest.fixture
def store(db_url: str, small_seed: SeedDataset) -> Store:
    return Store.open(db_url, seed=small_seed)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path
