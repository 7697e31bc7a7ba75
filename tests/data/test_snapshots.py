"""Reads of the active data take the version and its rows from one snapshot, even while imports commit."""

from __future__ import annotations

import threading

import pandas as pd

from talentgap.data.store import Store

from ..conftest import write

HEADER = "series_id,sector,metric,definition,occupation,education,region,year,value,unit,source_id\n"
MARKER = "battery.stock.kiat_emerging"


def marker_file(tmp_path, token: int):
    """An import whose marker row (battery stock, 2023) holds ``token``, plus one row of its own."""
    return write(tmp_path / f"m{token}.csv", HEADER + f",battery,stock,kiat_emerging,,,,2023,{token},persons,t-w01\n"
                 f",battery,openings,kiat_emerging,,,,{1990 + token},{token},persons,t-w01\n")


def test_a_read_keeps_its_snapshot_while_an_import_commits(store, db_url, small_seed, tmp_path):
    new_source = write(tmp_path / "s.csv", HEADER.strip() + ",source_kind,source_ref\n"
                       ",battery,stock,kiat_emerging,,,,2023,7,persons,new-1,url,https://example.org/new\n")
    with store.read() as view:
        assert view.version == 1
        result = Store.open(db_url, seed=small_seed).import_file(new_source)  # commits during the read
        assert store.active_version() == result.version == 2
        assert "new-1" in set(store.sources()["source_id"])
        assert list(view.sources()["source_id"]) == ["t-s01", "t-w01"]
        assert len(view.observations()) == 5
        assert view.observations(sector="battery").empty
        assert view.sector_counts() == (("semiconductor", 3, 5),)
        assert view.series(sector="battery") == ()
    assert store.sector_summaries().version == 2
    assert store.sector_summaries().sectors == (("battery", 1, 1), ("semiconductor", 3, 5))


def test_concurrent_readers_always_get_the_rows_of_the_version_they_name(store, db_url, small_seed, tmp_path):
    writers, imports_each = 3, 4
    files = {w: [marker_file(tmp_path, 10 * w + i) for i in range(imports_each)] for w in range(1, writers + 1)}
    tokens: dict[int, int] = {}  # version -> marker token it wrote
    reads: list[tuple[str, int, object]] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def writer(w: int) -> None:
        own = Store.open(db_url, seed=small_seed)
        try:
            for i, f in enumerate(files[w]):
                tokens[own.import_file(f).version] = 10 * w + i
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def reader() -> None:
        try:
            while not done.is_set():
                snap = store.snapshot(sector="battery")
                reads.append(("snapshot", snap.version, snap.observations))
                summary = store.sector_summaries()
                reads.append(("summary", summary.version, summary.sectors))
                detail = store.sector_detail("battery")
                reads.append(("detail", detail.version, detail.series))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    readers = [threading.Thread(target=reader) for _ in range(4)]
    writing = [threading.Thread(target=writer, args=(w,)) for w in files]
    for t in readers + writing:
        t.start()
    for t in writing:
        t.join()
    done.set()
    for t in readers:
        t.join()

    assert errors == []
    assert sorted(tokens) == list(range(2, 2 + writers * imports_each))
    seen_versions = {version for _, version, _ in reads}
    assert len(seen_versions) > 1, "the readers never overlapped an import"
    # versions are immutable, so each read must equal what its version holds now
    for kind, version, got in reads:
        if kind == "snapshot":
            pd.testing.assert_frame_equal(got, store.observations(version, sector="battery"))
            if version > 1:
                assert got.query("series_id == @MARKER and year == 2023")["value"].item() == tokens[version]
        elif kind == "summary":
            assert got == store.sector_summaries(version).sectors
            assert dict((s, n) for s, _, n in got).get("battery", 0) == len(store.observations(version, sector="battery"))
        else:
            assert got == store.sector_detail("battery", version).series
            assert sum(s.points for s in got) == len(store.observations(version, sector="battery"))
