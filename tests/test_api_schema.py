"""The API against its own OpenAPI description, with requests generated from it (schemathesis):
no answer is a server error, and every answer matches what the description says of it."""

from __future__ import annotations

import os
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from sqlalchemy import Engine

from twinlink.config import Settings
from twinlink.extract.pipeline import Extractor
from twinlink.register.accounts import create_user, issue_token
from twinlink.register.pipeline import ingest_paths
from twinlink.store.engine import transaction
from twinlink.web.app import create_app

# a request the description allows may still ask what the register cannot answer (a name that fits
# several parties is a 400 naming them), so acceptance of every valid request is not among the checks
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]
EXAMPLES = int(os.environ.get("TWINLINK_API_EXAMPLES", "12"))
TEXT = """Partners of Nottingham

Nottingham is twinned with Ningbo. In July 2019 a delegation from Nottingham visited Ningbo.
Derby is twinned with Hefei since 1996.
"""


def test_the_api_keeps_to_its_description(sqlite_engine: Engine, extractor: Extractor, tmp_path: Path) -> None:
    (tmp_path / "partners.txt").write_text(TEXT, encoding="utf-8")
    list(ingest_paths(sqlite_engine, extractor, [tmp_path / "partners.txt"], 1_000_000))
    with transaction(sqlite_engine) as session:  # writing routes answer for real, not only 401
        create_user(session, "admin", "a long pass phrase for tests", "admin", "test")
        _, token = issue_token(session, "admin", "schemathesis", "test")
    signed_in = {"Authorization": f"Bearer {token}"}
    app = create_app(Settings(database_url=str(sqlite_engine.url)))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    tried = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def keeps_to_it(case: schemathesis.Case) -> None:
            case.call_and_validate(checks=CHECKS, headers=signed_in)

        keeps_to_it()
        tried.append(operation.label)
    assert "GET /api/partnerships" in tried and len(tried) > 20
