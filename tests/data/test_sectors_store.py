"""The store's sectors (SQLite and PostgreSQL): seeded with the shipped ones, added and removed as new
dataset versions, seen by the version that had them, colliding ids refused."""

from __future__ import annotations

import pytest

from talentgap.data import sectors as stored
from talentgap.data.store import Store
from talentgap.seeds.sectors import SectorEntry, resolve_sector, shipped_entries, use_sectors
from talentgap.seeds.vocab import SECTORS, SHIPPED_SECTORS

pytestmark = pytest.mark.usefixtures("shipped_sectors_after")


def test_sectors_are_versioned_with_the_data(db_url):
    store = Store.open(db_url)
    assert list(SECTORS) == list(SHIPPED_SECTORS)
    added = stored.add_sector(store, SectorEntry("display", "Display", "디스플레이",
                                                 definitions=({"definition": "kdia_tech", "label_en": "x",
                                                               "label_ko": "디스플레이", "description": "",
                                                               "description_ko": "", "metrics": ["stock"]},)))
    assert store.active_version() == added and [v.origin for v in store.versions()][-1] == "sector add display"
    assert resolve_sector("디스플레이") == resolve_sector("display") == resolve_sector("DISPLAY") == "display"
    assert "kdia_tech" in set(store.definitions()["definition"])
    assert store.sector_summaries().sectors == store.sector_summaries(1).sectors, "the counts carry over"
    with pytest.raises(stored.SectorExists):
        stored.add_sector(store, SectorEntry("screens", "Display", "화면"))
    removed = stored.remove_sector(store, "display")
    assert "display" not in SECTORS and removed == added + 1
    store.activate(added)  # the version that had it shows it again
    assert "display" in [e.id for e in stored.sync(store)]
    use_sectors(shipped_entries())
    assert resolve_sector("display") == "display", "a name not known here is looked up in the store once"


def test_a_new_process_sees_a_sector_another_one_added(db_url):
    first = Store.open(db_url)
    stored.add_sector(first, SectorEntry("robotics", "Robotics", "로봇"))
    use_sectors(shipped_entries())  # as a process that opened the store before the sector was added
    assert Store.open(db_url) and "robotics" in SECTORS


def test_a_training_plan_survives_the_stores_round_trip(db_url):
    """The policy scenario's ``[policy.plan]`` is kept in the stored specification and read back whole, for a
    shipped sector and for one added as data."""
    from sqlalchemy.orm import Session

    from talentgap.seeds.defaults import entry_spec
    from talentgap.seeds.specs import sector_specs

    store = Store.open(db_url)
    shipped = next(e for e in shipped_entries() if e.id == "semiconductor")
    copy = SectorEntry("chips", "Chips", "칩", shipped.model, shipped.assumptions, shipped.definitions)
    stored.add_sector(store, copy)
    with Session(store.engine) as s:
        kept = {e.id: e for e in stored.sector_entries(s, store.active_version())}
    sources = set(store.sources()["source_id"])
    want = sector_specs()["semiconductor"].policy.plan
    assert want is not None
    for sid in ("semiconductor", "chips"):
        assert kept[sid].model["policy"]["plan"] == shipped.model["policy"]["plan"]
        obs = store.observations(sector="semiconductor").assign(sector=sid)
        assert entry_spec(kept[sid], obs, sources).policy.plan == want
