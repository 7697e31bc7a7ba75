"""The store's sectors: listed, added and removed as data, versioned with the observations.

Adding or removing a sector makes a new dataset version (its origin says which), so every cache keyed
by the data version sees the change, and activating an older version shows the sectors it had: a sector
belongs to version V when the version that added it is at most V and the one that removed it (if any)
is after V. A new store gets the shipped sectors (``seeds/sectors.py``) as of the seed version.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from talentgap.errors import TalentgapError
from talentgap.i18n import Listing, msg
from talentgap.seeds.sectors import SectorEntry, entry_from_mapping, entry_problems, shipped_entries, use_sectors
from talentgap.seeds.validate import Problem
from talentgap.seeds.vocab import SECTORS

from .lineage import plan_delta
from .reading import to_frame
from .schema import (
    ActiveDataset,
    DatasetVersion,
    Definition,
    Scenario,
    Schedule,
    SectorRecord,
    SectorSummary,
    active_version_id,
)

if TYPE_CHECKING:
    from .store import Store


class SectorError(TalentgapError, ValueError):
    """A sector that cannot be added or removed as asked (the message says why)."""

    code = "sector.bad_input"


class SectorExists(SectorError):
    code = "sector.exists"
    status = 409


class SectorInUse(SectorError):
    code = "sector.in_use"
    status = 409


def seed_sectors(s: Session, version: int) -> None:
    """Store the shipped sectors as of ``version`` when the store holds no sector yet."""
    if s.scalar(select(func.count()).select_from(SectorRecord)):
        return
    now = datetime.now(UTC)
    for i, e in enumerate(shipped_entries()):
        s.add(SectorRecord(id=e.id, name_en=e.name_en, name_ko=e.name_ko, spec=e.spec_json(), position=i,
                           added_version=version, created_at=now))


def sector_entries(s: Session, version: int) -> list[SectorEntry]:
    """The sectors of dataset version ``version``, in listing order."""
    rows = s.scalars(select(SectorRecord).where(SectorRecord.added_version <= version)
                     .order_by(SectorRecord.position, SectorRecord.id)).all()
    return [SectorEntry.from_store(r.id, r.name_en, r.name_ko, r.spec) for r in rows
            if r.removed_version is None or r.removed_version > version]


def sync(store: Store) -> list[SectorEntry]:
    """Make the active version's sectors the ones this process knows; return them."""
    with Session(store.engine) as s:
        version = s.scalar(select(ActiveDataset.version_id).where(ActiveDataset.id == 1))
        entries = sector_entries(s, version) if version is not None else list(shipped_entries())
    use_sectors(entries, refresh=lambda: sync(store))
    return entries


def _new_version(s: Session, origin: str) -> int:
    """A new active version on top of the active one, with no observation of its own."""
    s.execute(update(ActiveDataset).where(ActiveDataset.id == 1).values(version_id=ActiveDataset.version_id))
    parent = s.get_one(DatasetVersion, active_version_id(s))
    counts = {r.sector: (r.series, r.observations) for r in s.scalars(
        select(SectorSummary).where(SectorSummary.version_id == parent.id))}
    delta = plan_delta(to_frame([]), to_frame([]), parent_sectors=counts, parent_rows=parent.row_count)
    version = (s.scalar(select(func.max(DatasetVersion.id))) or 0) + 1
    s.add(DatasetVersion(id=version, created_at=datetime.now(UTC), origin=origin[:400], parent_id=parent.id,
                         row_count=delta.row_count, added_rows=0, replaced_rows=0, stored_rows=0))
    s.flush()
    if delta.sectors:
        s.execute(insert(SectorSummary), [{"version_id": version, "sector": k, "series": n, "observations": m}
                                          for k, (n, m) in sorted(delta.sectors.items())])
    s.execute(update(ActiveDataset).where(ActiveDataset.id == 1).values(version_id=version))
    return version


def check_new(s: Session, entry: SectorEntry, version: int) -> None:
    """Refuse a sector whose id or names collide with one of ``version``'s, or that is incomplete."""
    problems = entry_problems(entry)
    if problems:
        raise SectorError(msg("sector.bad_input", problems=Listing(problems, sep="; ")))
    for other in sector_entries(s, version):
        if entry.id == other.id or entry.name_en.lower() == other.name_en.lower() or entry.name_ko == other.name_ko \
                or entry.id == other.name_en.lower():
            raise SectorExists(msg("sector.exists", sector=repr(entry.id),
                                   names=f"{other.id}: {other.name_ko}, {other.name_en}"))


def write_sector(s: Session, entry: SectorEntry, version: int) -> None:
    """Store ``entry`` as added by ``version`` (inside ``s``'s transaction), with its definitions."""
    position = (s.scalar(select(func.max(SectorRecord.position))) or 0) + 1
    values = {"name_en": entry.name_en, "name_ko": entry.name_ko, "spec": entry.spec_json(), "position": position,
              "added_version": version, "removed_version": None, "created_at": datetime.now(UTC)}
    old = s.get(SectorRecord, entry.id)
    if old is not None:  # added again after a removal
        for k, v in values.items():
            setattr(old, k, v)
    else:
        s.add(SectorRecord(id=entry.id, **values))
    for d in entry.definitions:
        s.merge(Definition(sector=entry.id, **{k: d.get(k, "") for k in
                                              ("definition", "label_en", "label_ko", "description", "description_ko")}))


def add_sector(store: Store, entry: SectorEntry) -> int:
    """Add ``entry`` as a new dataset version; return the version. Raises :class:`SectorError`."""
    with Session(store.engine) as s, s.begin():
        check_new(s, entry, active_version_id(s))
        version = _new_version(s, f"sector add {entry.id}")
        write_sector(s, entry, version)
    sync(store)
    return version


def users_of(s: Session, sector: str) -> list[str]:
    """Why ``sector`` cannot be removed: the saved scenarios and report schedules that use it."""
    reasons: list[str] = [msg("sector.used_by_scenario", name=repr(n))
               for n in s.scalars(select(Scenario.name).where(Scenario.sector == sector).order_by(Scenario.name))]
    for name, params in s.execute(select(Schedule.name, Schedule.params).order_by(Schedule.name)).all():
        chosen = json.loads(params or "{}").get("sectors")
        if chosen and sector in chosen:  # a schedule without a sector list reports whatever sectors there are
            reasons.append(msg("sector.used_by_schedule", name=repr(name)))
    return reasons


def remove_sector(store: Store, sector: str) -> int:
    """Remove ``sector`` as a new dataset version; refused while a saved scenario or schedule uses it."""
    with Session(store.engine) as s, s.begin():
        active = active_version_id(s)
        if sector not in {e.id for e in sector_entries(s, active)}:
            from talentgap.models.sector import UnknownSector

            raise UnknownSector(msg("sector.unknown", sector=repr(sector),
                                    sectors=", ".join(e.id for e in sector_entries(s, active))))
        reasons = users_of(s, sector)
        if reasons:
            raise SectorInUse(msg("sector.in_use", sector=repr(sector), reason=Listing(reasons, sep="; ")))
        version = _new_version(s, f"sector remove {sector}")
        s.get_one(SectorRecord, sector).removed_version = version
    sync(store)
    return version


def sheet_entries(rows: list[dict[str, str]]) -> tuple[list[SectorEntry], list[Problem]]:
    """The sectors of a workbook's ``sectors`` sheet (``id, name_ko, name_en``), with each row's problems."""
    entries, problems = [], []
    for r in rows:
        entry = entry_from_mapping(r)
        for p in entry_problems(entry):
            column, _, text = p.partition(": ")
            problems.append(Problem(int(r["row"]), f"sectors!{column}", text, got=str(r.get(column, ""))))
        entries.append(entry)
    return entries, problems


@contextmanager
def known_while(entries: list[SectorEntry]) -> Iterator[None]:
    """The upload's own new sectors known while its rows are checked (forgotten after)."""
    added = {e.id: e.term for e in entries if e.id not in SECTORS}
    SECTORS.update(added)
    try:
        yield
    finally:
        for sector in added:
            SECTORS.pop(sector, None)
