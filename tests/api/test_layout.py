"""The layout of ``api/`` and the rules every interface shares: one room per interface, modules that
import alone, the service as the interfaces' only door to the store and the models, typed responses in the OpenAPI document, one scenario-name rule, HTML error pages in the UI."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from talentgap.api.cli import app as cli
from talentgap.api.http.app import create_app
from talentgap.data.keys import create_key
from talentgap.data.store import Store

from .web_client import sign_in

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {"talentgap": "talentgap", "seeds": "talentgap.seeds", "data": "talentgap.data",
            "models": "talentgap.models", "api": "talentgap.api"}


def project_modules() -> list[str]:
    names = []
    for folder, package in PACKAGES.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            if "migrations" in parts or parts[-1] == "__main__":
                continue  # Alembic runs the migration scripts; __main__ runs the CLI
            names.append(".".join((package, *[p for p in parts if p != "__init__"])))
    return names


def test_http_routers_are_named_by_resource():
    rooms = {p.stem for p in (ROOT / "api" / "http").glob("*.py")}
    assert {"forecasts", "series", "sectors", "datasets", "skills", "scenarios", "reports", "keys", "deps"} <= rooms
    cli_rooms = {p.stem for p in (ROOT / "api" / "cli").glob("*.py")}
    assert {"data", "forecast", "series", "skills", "scenario", "report", "schedule", "keys"} <= cli_rooms


def test_no_module_is_over_400_lines():
    long = {str(p.relative_to(ROOT)): n for folder in PACKAGES for p in (ROOT / folder).rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert not long, f"split these modules: {long}"


def test_every_module_imports_alone():
    """Each module imported first, in a fresh module table: a circular import fails here."""
    script = (
        "import importlib, sys\n"
        f"names = {project_modules()!r}\n"
        "failed = []\n"
        "for name in names:\n"
        "    for m in [m for m in sys.modules if m.startswith('talentgap')]:\n"
        "        del sys.modules[m]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as exc:\n"
        "        failed.append(f'{name}: {type(exc).__name__}: {exc}')\n"
        "print('\\n'.join(failed))\n"
        "sys.exit(1 if failed else 0)\n")
    res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr


#: The interfaces: they reach the store and the models only through ``talentgap.api.service``.
INTERFACES = ("http", "cli", "web")
#: What they must not import, at any depth and in any form.
BEHIND_THE_SERVICE = ("talentgap.data", "talentgap.models")


def imported_modules(path: Path, module: str) -> list[tuple[int, str]]:
    """Every module an ``import`` or ``from … import`` anywhere in the file (functions included) names,
    relative imports resolved against ``module`` (the file's dotted name); a ``from X import y`` counts
    as both ``X`` and ``X.y``, since ``y`` may be a submodule."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                origin = ".".join([*base, *([node.module] if node.module else [])])
            else:
                origin = node.module or ""
            found += [(node.lineno, origin)] + [(node.lineno, f"{origin}.{alias.name}") for alias in node.names]
    return found


def behind_the_service(name: str) -> bool:
    return any(name == banned or name.startswith(banned + ".") for banned in BEHIND_THE_SERVICE)


def forbidden_imports(path: Path, module: str) -> list[tuple[int, str]]:
    return [(line, name) for line, name in imported_modules(path, module) if behind_the_service(name)]


def test_interfaces_reach_the_store_and_models_only_through_the_service():
    paths = [p for room in INTERFACES for p in sorted((ROOT / "api" / room).rglob("*.py"))]
    assert len(paths) > 30
    leaks = [f"{p.relative_to(ROOT)}:{line} imports {name}" for p in paths
             for line, name in forbidden_imports(p, ".".join(("talentgap", *p.relative_to(ROOT).with_suffix("").parts)))]
    assert not leaks, "\n".join(leaks)


@pytest.mark.parametrize("source", [
    "from talentgap.data.keys import create_key",
    "import talentgap.models.sector",
    "from talentgap import data",
    "from ...data.store import Store",
    "from ... import models",
    "def f():\n    from ...models import sector\n",
    "class C:\n    def m(self):\n        import talentgap.data as d\n",
])
def test_the_import_check_sees_every_form(tmp_path, source):
    path = tmp_path / "route.py"
    path.write_text(source, encoding="utf-8")
    assert forbidden_imports(path, "talentgap.api.http.route"), source


@pytest.mark.parametrize("source", [
    "from .. import service",
    "from ..service.keys import create",
    "from talentgap.i18n import msg",
    "from .deps import StoreDep",
    "import dataclasses",
    "from talentgap import database_tools",
])
def test_the_import_check_lets_the_service_through(tmp_path, source):
    path = tmp_path / "route.py"
    path.write_text(source, encoding="utf-8")
    names = [name for _, name in imported_modules(path, "talentgap.api.http.route")]
    assert names and not [n for n in names if behind_the_service(n)], names


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('layout') / 'l.db'}"
    store = Store.open(db)
    keys = {r: create_key(store, role=r, name=r) for r in ("admin", "analyst", "university", "reporter")}
    return TestClient(create_app(store)), keys, db


def test_every_route_documents_its_success_body(env):
    client, _, _ = env
    spec = client.get("/openapi.json").json()
    missing = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            ok = next((op["responses"][c] for c in ("200", "201", "202") if c in op["responses"]), None)
            content = (ok or {}).get("content", {})
            schemas = [c.get("schema") for c in content.values() if c.get("schema")]
            if not schemas and not (path.endswith("/download") and content):
                missing.append(f"{method.upper()} {path}")
    assert not missing, missing


@pytest.mark.parametrize("name,status", [("trend", 409), ("policy", 409), ("<script>x</script>", 422),
                                         ("../../../tmp/x", 422), ("a" * 121, 422)])
def test_scenario_names_follow_one_rule_over_http(env, name, status):
    client, keys, _ = env
    r = client.post("/api/v1/scenarios", headers={"Authorization": f"Bearer {keys['analyst']}"},
                    json={"name": name, "sector": "battery"})
    assert r.status_code == status, r.text
    assert "name" in r.json()["error"]["message"]


@pytest.mark.parametrize("name", ["trend", "<script>x</script>", "../../../tmp/x"])
def test_scenario_names_follow_one_rule_in_the_cli(env, name):
    _, _, db = env
    res = CliRunner().invoke(cli, ["scenario", "create", name, "--sector", "battery", "--db", db])
    assert res.exit_code == 2 and "name" in res.output


def csrf_of(client: TestClient) -> str:
    """The CSRF token the signed-in session's forms carry."""
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/ui/scenario").text).group(1)


def test_scenario_names_follow_one_rule_in_the_ui(env):
    client, keys, _ = env
    sign_in(client, keys["analyst"])
    r = client.post("/ui/scenario", data={"csrf": csrf_of(client), "sector": "battery", "base": "trend", "action": "save",
                                          "name": "<script>x</script>", "extra_graduates": "10"})
    assert r.status_code == 422 and "name:" in r.text and "<script>x" not in r.text


def test_ui_errors_are_html_pages_in_the_frame(env):
    client, keys, _ = env
    sign_in(client, keys["university"])
    for url, status in (("/ui/sectors/nope", 404), ("/ui/nope", 404), ("/ui/sources/nope", 404)):
        r = client.get(url)
        assert r.status_code == status and r.headers["content-type"].startswith("text/html"), url
        assert "<header>" in r.text and "<h1>" in r.text
    token = csrf_of(client)
    r = client.post("/ui/data/activate", data={"csrf": token, "version": "abc"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html") and "version" in r.text
    r = client.post("/ui/data/activate", data={"csrf": token, "version": "1"})
    assert r.status_code == 403 and r.headers["content-type"].startswith("text/html")


def test_cli_and_http_forecast_json_are_identical(env):
    client, keys, db = env
    res = CliRunner().invoke(cli, ["forecast", "--sector", "quantum", "--scenario", "policy", "--format", "json",
                                   "--db", db])
    assert res.exit_code == 0, res.output
    r = client.get("/api/v1/forecasts/quantum?scenario=policy", headers={"Authorization": f"Bearer {keys['reporter']}"})
    assert r.json() == json.loads(res.stdout)
