"""Fuzzing of every operation against a real server (uvicorn over HTTP), with a key of every role.

Schemathesis generates requests from the OpenAPI document, including ``POST /reports`` (into the
server's own throw-away reports folder) and ``DELETE /keys``. Each generated body is also sent a second
time, mutated the way careless or hostile clients do — numbers turned into NaN, Infinity or 1e308,
strings into 150,000-character ones — and streamed chunked, without a Content-Length. Nothing may be a
5xx, and the admin's responses must match the documented schemas.
"""

from __future__ import annotations

import json
import random

import pytest

schemathesis = pytest.importorskip("schemathesis")
import requests  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .live import start_server  # noqa: E402

pytestmark = pytest.mark.slow
ROLES = ("admin", "analyst", "university", "reporter")
HOSTILE_NUMBERS = (float("nan"), float("inf"), float("-inf"), 1e308, -1e308)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    server = start_server(tmp_path_factory.mktemp("fuzz-live"))
    keys = {"admin": server.key}
    for role in ROLES[1:]:
        r = requests.post(f"{server.url}/api/v1/keys", json={"name": f"fuzz-{role}-{random.randrange(10**9)}",
                                                             "role": role},
                          headers={"Authorization": f"Bearer {server.key}"}, timeout=30)
        keys[role] = r.json()["key"]
    yield server, keys
    server.stop()


def hostile(value, rng: random.Random):
    """``value`` with numbers and strings swapped for hostile ones, at random, all the way down."""
    if isinstance(value, dict):
        return {hostile(k, rng) if isinstance(k, str) and rng.random() < 0.2 else k: hostile(v, rng)
                for k, v in value.items()}
    if isinstance(value, list):
        return [hostile(v, rng) for v in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return rng.choice(HOSTILE_NUMBERS) if rng.random() < 0.7 else value
    if isinstance(value, str):
        return "x" * 150_000 if rng.random() < 0.5 else value
    return value


def chunks(data: bytes, size: int = 65536):
    for i in range(0, len(data), size):
        yield data[i:i + size]


def check_case(case, server, keys) -> None:
    for role in ROLES:
        checks = [not_a_server_error]
        if role == "admin":
            checks += [status_code_conformance, content_type_conformance, response_schema_conformance]
        case.call_and_validate(base_url=server.url, headers={"Authorization": f"Bearer {keys[role]}"},
                               checks=checks, timeout=120)
    if isinstance(case.body, dict | list):
        rng = random.Random(json.dumps(case.body, sort_keys=True, default=str))
        body = json.dumps(hostile(case.body, rng), allow_nan=True).encode()
        r = requests.request(case.method, server.url + case.formatted_path, params=case.query, data=chunks(body),
                             headers={"Authorization": f"Bearer {keys['admin']}", "Content-Type": "application/json"},
                             timeout=120)
        assert r.status_code < 500, f"{case.method} {case.formatted_path}: {r.status_code} {r.text[:300]}"


def test_no_request_from_any_role_makes_a_server_error(live):
    server, keys = live
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
        def run(case):
            check_case(case, server, keys)

        run()
