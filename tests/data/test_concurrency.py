"""Concurrent imports land whole, one after the other; readers never see a half-written version."""

from __future__ import annotations

import threading

from talentgap.data.store import Store

from ..conftest import write

HEADER = "series_id,sector,metric,definition,occupation,education,region,year,value,unit,source_id\n"


def test_two_imports_at_once_both_land_whole(store, db_url, small_seed, tmp_path):
    files = [write(tmp_path / f"f{i}.csv", HEADER + "".join(
        f",battery,stock,d{i}_{k},,,,2023,{k},persons,t-w01\n" for k in range(3000))) for i in range(2)]
    results, errors = [], []
    seen_inconsistent = []
    stop = threading.Event()

    def importer(path):
        try:
            results.append(Store.open(db_url, seed=small_seed).import_file(path))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def reader():
        reader_store = Store.open(db_url, seed=small_seed)
        while not stop.is_set():
            active = reader_store.active_version()  # first: its version row was committed with it
            versions = {v.id: v for v in reader_store.versions()}
            n = len(reader_store.observations(active))
            if n != versions[active].row_count:
                seen_inconsistent.append((active, n))

    threads = [threading.Thread(target=importer, args=(f,)) for f in files]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    watcher.join()
    assert errors == []
    assert sorted(r.version for r in results) == [2, 3]
    # the later import builds on the earlier one: nothing is lost
    final = store.observations(3)
    assert len(final) == 5 + 6000
    assert seen_inconsistent == []
