"""Errors by class: every user error is a :class:`TalentgapError` with its own code; anything else —
a database error included, whatever attributes it carries — is ours: HTTP 500 / exit 1, the traceback
logged under an error id that the user is shown."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import re

from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError
from typer.testing import CliRunner

import talentgap
from talentgap.api.cli import app as cli_app
from talentgap.api.errors import classify
from talentgap.api.http.app import create_app
from talentgap.data.keys import create_key
from talentgap.data.store import Store
from talentgap.errors import TalentgapError, error_classes


def _import_everything() -> None:
    for info in pkgutil.walk_packages(talentgap.__path__, "talentgap."):
        if ".migrations" not in info.name:
            importlib.import_module(info.name)


def test_every_user_error_class_has_its_own_code():
    _import_everything()
    classes = error_classes()
    assert len(classes) >= 30  # the packages' errors were found, not an empty list
    owners: dict[str, list[str]] = {}
    for cls in classes:
        if "code" not in vars(cls):
            # only a family base (with subclasses of its own) may go without a code
            assert cls.__subclasses__(), f"{cls.__module__}.{cls.__qualname__} has no code of its own"
            continue
        assert re.fullmatch(r"[a-z0-9_]+\.[a-z0-9_]+", cls.code), cls.code
        assert 400 <= cls.status < 500 and cls.exit_code == 2, cls
        owners.setdefault(cls.code, []).append(f"{cls.__module__}.{cls.__qualname__}")
    shared = {code: names for code, names in owners.items() if len(names) > 1}
    assert not shared, shared


def test_classify_goes_by_class_not_by_a_code_attribute():
    integrity = IntegrityError("INSERT …", {}, Exception("UNIQUE constraint failed"))
    assert getattr(integrity, "code", None)  # SQLAlchemy's errors carry a code attribute …
    out = classify(integrity)  # … which does not make them the user's
    assert (out.user, out.status, out.exit_code) == (False, 500, 1)

    class Foreign(ValueError):
        code = "looks.coded"

    assert not classify(Foreign("x")).user
    from talentgap.models.sector import UnknownSector

    out = classify(UnknownSector("no such sector"))
    assert (out.user, out.code, out.status, out.exit_code) == (True, "sector.unknown", 404, 2)


def _raise_integrity(*_args, **_kwargs):
    raise IntegrityError("INSERT INTO dataset_version …", {}, Exception("UNIQUE constraint failed: secret_table"))


def test_integrity_error_inside_a_route_is_a_500_with_an_error_id_in_the_log(tmp_path, small_seed, monkeypatch,
                                                                             caplog):
    store = Store.open(f"sqlite:///{tmp_path / 'e.db'}", seed=small_seed)
    key = create_key(store, role="analyst", name="analyst")
    client = TestClient(create_app(store), raise_server_exceptions=False)
    monkeypatch.setattr(Store, "versions", _raise_integrity)
    with caplog.at_level(logging.ERROR, logger="talentgap.api"):
        r = client.get("/api/v1/datasets", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 500, r.text
    error = r.json()["error"]
    assert error["code"] == "internal" and re.fullmatch(r"[0-9a-f]{8}", error["error_id"])
    assert error["error_id"] in error["message"] and "secret_table" not in r.text
    logged = [rec for rec in caplog.records if error["error_id"] in rec.getMessage()]
    assert logged and logged[0].exc_info and logged[0].exc_info[0] is IntegrityError


def test_an_uncoded_error_inside_a_route_is_a_500_with_an_error_id(tmp_path, small_seed, monkeypatch, caplog):
    store = Store.open(f"sqlite:///{tmp_path / 'e.db'}", seed=small_seed)
    key = create_key(store, role="analyst", name="analyst")
    client = TestClient(create_app(store), raise_server_exceptions=False)

    def broken(*_args, **_kwargs):
        raise ValueError("a bug, not the user's input")

    monkeypatch.setattr(Store, "versions", broken)
    with caplog.at_level(logging.ERROR, logger="talentgap.api"):
        r = client.get("/api/v1/datasets", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 500
    error_id = r.json()["error"]["error_id"]
    assert "a bug" not in r.text
    assert any(error_id in rec.getMessage() and rec.exc_info for rec in caplog.records)


def test_integrity_error_in_a_command_exits_1_with_an_error_id(tmp_path, monkeypatch, caplog):
    db = f"sqlite:///{tmp_path / 'c.db'}"
    monkeypatch.setattr(Store, "versions", _raise_integrity)
    with caplog.at_level(logging.ERROR, logger="talentgap.cli"):
        res = CliRunner().invoke(cli_app, ["data", "versions", "--db", db])
    assert res.exit_code == 1, res.output
    shown = re.search(r"error id ([0-9a-f]{8})", res.output)
    assert shown, res.output
    logged = [rec for rec in caplog.records if shown.group(1) in rec.getMessage()]
    assert logged and logged[0].exc_info[0] is IntegrityError


def test_a_user_error_in_a_command_still_exits_2(tmp_path):
    res = CliRunner().invoke(cli_app, ["forecast", "--sector", "nowhere", "--db", f"sqlite:///{tmp_path / 'u.db'}"])
    assert res.exit_code == 2 and "nowhere" in res.output and "error id" not in res.output


def test_the_base_class_is_no_user_error_of_its_own():
    assert TalentgapError not in error_classes()
