"""Stored results and saved scenarios: computed once, served many times, kept as vintages."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from talentgap.i18n import msg

from .schema import Scenario, StoredResult
from .store import Store


class UnknownScenario(LookupError):
    code = "scenario.unknown"


class DuplicateScenario(ValueError):
    code = "scenario.exists"


def params_key(params: dict) -> str:
    """A stable hash of request parameters (sorted JSON)."""
    return hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()


def get_result(store: Store, *, kind: str, params: dict, dataset_version: int, model_version: str) -> dict | None:
    with Session(store.engine) as s:
        row = s.scalar(select(StoredResult).where(
            StoredResult.kind == kind, StoredResult.key == params_key(params),
            StoredResult.dataset_version == dataset_version, StoredResult.model_version == model_version))
        return json.loads(row.payload) if row else None


def put_result(store: Store, *, kind: str, params: dict, dataset_version: int, model_version: str,
               payload: dict) -> None:
    try:
        with Session(store.engine) as s, s.begin():
            s.add(StoredResult(kind=kind, key=params_key(params), dataset_version=dataset_version,
                               model_version=model_version, params=json.dumps(params, sort_keys=True, default=str),
                               payload=json.dumps(payload), created_at=datetime.now(UTC)))
    except IntegrityError:  # computed concurrently by another request: the stored one stands
        pass


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
