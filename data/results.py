"""Stored results and saved scenarios: computed once, served many times.

A result is either *kept* — a vintage of a built-in or saved scenario, a backtest — and compared with
later data, or *scratch*: a forecast with lever overrides or a skill-gap profile, which any reader can
vary without end. Scratch results live in a pool of at most ``max_scratch_results`` rows (a setting,
default 200); past it, the least recently served are deleted, so reads cannot grow the database
without bound.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from talentgap.errors import TalentgapError
from talentgap.i18n import msg

from .schema import Scenario, StoredResult
from .store import Store


class UnknownScenario(TalentgapError, LookupError):
    code = "scenario.unknown"
    status = 404


class DuplicateScenario(TalentgapError, ValueError):
    code = "scenario.exists"
    status = 409


def params_key(params: dict) -> str:
    """A stable hash of request parameters (sorted JSON)."""
    return hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()


#: How often a scratch result's last use is recorded (a write per read would contend with imports).
USE_RESOLUTION = timedelta(minutes=1)


def get_result(store: Store, *, kind: str, params: dict, dataset_version: int, model_version: str) -> dict | None:
    with Session(store.engine) as s:
        row = s.execute(select(StoredResult.id, StoredResult.payload, StoredResult.kept, StoredResult.used_at).where(
            StoredResult.kind == kind, StoredResult.key == params_key(params),
            StoredResult.dataset_version == dataset_version, StoredResult.model_version == model_version)).first()
    if row is None:
        return None
    now = datetime.now(UTC)
    if not row.kept and (row.used_at is None or _utc(row.used_at) < now - USE_RESOLUTION):
        _touch(store, row.id, now)
    return json.loads(row.payload)


def _touch(store: Store, result_id: int, now: datetime) -> None:
    """Record that a scratch result was served. Only its place in the eviction order depends on it, so
    a busy database (SQLite locked by an import) skips the record rather than hold up the read."""
    try:
        with Session(store.engine) as s, s.begin():
            s.execute(update(StoredResult).where(StoredResult.id == result_id).values(used_at=now))
    except OperationalError:
        pass


def put_result(store: Store, *, kind: str, params: dict, dataset_version: int, model_version: str,
               payload: dict, keep: bool = True) -> None:
    """Store a result: kept as a vintage, or (``keep=False``) in the bounded scratch pool."""
    now = datetime.now(UTC)
    try:
        with Session(store.engine) as s, s.begin():
            s.add(StoredResult(kind=kind, key=params_key(params), dataset_version=dataset_version,
                               model_version=model_version, params=json.dumps(params, sort_keys=True, default=str),
                               payload=json.dumps(payload), created_at=now, kept=keep,
                               used_at=None if keep else now))
    except IntegrityError:  # computed concurrently by another request: the stored one stands
        return
    if not keep:
        evict_scratch(store)


def evict_scratch(store: Store, limit: int | None = None) -> int:
    """Delete the least recently served scratch results past ``limit`` (default: the
    ``max_scratch_results`` setting); returns how many went."""
    from .settings import get_settings

    limit = get_settings().max_scratch_results if limit is None else limit
    with Session(store.engine) as s, s.begin():
        count = s.scalar(select(func.count()).select_from(StoredResult).where(StoredResult.kept.is_(False))) or 0
        if count <= limit:
            return 0
        newest = (select(StoredResult.id).where(StoredResult.kept.is_(False))
                  .order_by(StoredResult.used_at.desc(), StoredResult.id.desc()).limit(limit))
        gone = s.execute(delete(StoredResult).where(StoredResult.kept.is_(False), StoredResult.id.not_in(newest)))
        return cast(CursorResult[Any], gone).rowcount


def _utc(dt: datetime) -> datetime:
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt


def list_results(store: Store, *, kind: str) -> list[dict]:
    """Every stored result of a kind: params, versions and time (not payloads)."""
    with Session(store.engine) as s:
        rows = s.scalars(select(StoredResult).where(StoredResult.kind == kind).order_by(StoredResult.id)).all()
        return [{"id": r.id, "params": json.loads(r.params), "dataset_version": r.dataset_version,
                 "model_version": r.model_version, "created_at": r.created_at} for r in rows]


def save_scenario(store: Store, *, name: str, sector: str, base: str, levers: dict, description: str = "") -> dict:
    with Session(store.engine) as s:
        if s.scalar(select(Scenario).where(Scenario.name == name)):
            raise DuplicateScenario(msg("scenario.exists", name=repr(name)))
    try:
        with Session(store.engine) as s, s.begin():
            s.add(Scenario(name=name, sector=sector, base=base, levers=json.dumps(levers), description=description,
                           created_at=datetime.now(UTC)))
    except IntegrityError:
        raise DuplicateScenario(msg("scenario.exists", name=repr(name))) from None
    return get_scenario(store, name)


def get_scenario(store: Store, name_or_id: str | int) -> dict:
    with Session(store.engine) as s:
        stmt = select(Scenario).where(Scenario.name == str(name_or_id))
        row = s.scalar(stmt)
        if row is None and str(name_or_id).isdigit() and len(str(name_or_id)) < 10:
            row = s.get(Scenario, int(name_or_id))
        if row is None:
            raise UnknownScenario(msg("scenario.unknown", name=repr(name_or_id)))
        return _scenario_dict(row)


def list_scenarios(store: Store) -> list[dict]:
    with Session(store.engine) as s:
        return [_scenario_dict(r) for r in s.scalars(select(Scenario).order_by(Scenario.id))]


def delete_scenario(store: Store, name: str) -> None:
    with Session(store.engine) as s, s.begin():
        row = s.scalar(select(Scenario).where(Scenario.name == name))
        if row is None:
            raise UnknownScenario(msg("scenario.unknown", name=repr(name)))
        s.delete(row)


def _scenario_dict(r: Scenario) -> dict:
    return {"id": r.id, "name": r.name, "sector": r.sector, "base": r.base, "levers": json.loads(r.levers),
            "description": r.description, "created_at": r.created_at}
