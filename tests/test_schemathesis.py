"""Property-based tests of the whole API from its own OpenAPI schema.

Zero server errors, and every response (status, headers, body) as the schema
says, for inputs generated from the schema, valid and invalid alike: once
anonymously and once signed in as an officer, on each database backend.
"""

import pytest
import schemathesis
from schemathesis.generation import GenerationMode
from sqlalchemy import Engine

from tests.conftest import load_sample
from tests.generated import no_server_errors
from tests.people import (
    add_account,
    cheap_hashing,  # noqa: F401  (a fixture)
    token_headers,
)

pytestmark = pytest.mark.usefixtures("cheap_hashing")
EXAMPLES = 50
OPERATIONS = [
    "DELETE /api/venues/{venue_id}/visits/{visit_id}",
    "GET /api/accounts",
    "GET /api/accounts/{account_id}",
    "GET /api/applications",
    "GET /api/applications/{application_id}",
    "GET /api/area",
    "GET /api/feedback",
    "GET /api/help",
    "GET /api/me",
    "GET /api/photos/{name}",
    "GET /api/places",
    "GET /api/places/districts",
    "GET /api/reports/coverage",
    "GET /api/reports/visits",
    "GET /api/venues/editable",
    "GET /api/venues/editable/page",
    "GET /api/venues/export",
    "GET /api/venues/nearest",
    "GET /api/venues/offline",
    "GET /api/venues/unchecked",
    "GET /api/venues/{venue_id}",
    "GET /api/venues/{venue_id}/confirmation",
    "GET /api/venues/{venue_id}/feedback",
    "GET /api/venues/{venue_id}/history",
    "GET /api/venues/{venue_id}/listing",
    "GET /api/venues/{venue_id}/qr.svg",
    "GET /api/venues/{venue_id}/vetting",
    "GET /healthz",
    "GET /openreferral/",
    "GET /openreferral/services",
    "GET /openreferral/services/{id}",
    "PATCH /api/accounts/{account_id}",
    "PATCH /api/feedback/{report_id}",
    "PATCH /api/venues/{venue_id}",
    "POST /api/accounts",
    "POST /api/accounts/{account_id}/password-reset",
    "POST /api/applications",
    "POST /api/applications/{application_id}/approve",
    "POST /api/applications/{application_id}/decline",
    "POST /api/auth/password",
    "POST /api/auth/sign-out",
    "POST /api/auth/token",
    "POST /api/easy-read/check",
    "POST /api/opening-hours/check",
    "POST /api/reports/coverage/what-if",
    "POST /api/venues",
    "POST /api/venues/import",
    "POST /api/venues/{venue_id}/checked",
    "POST /api/venues/{venue_id}/confirm",
    "POST /api/venues/{venue_id}/feedback",
    "POST /api/venues/{venue_id}/history/{change_id}/restore",
    "POST /api/venues/{venue_id}/reinstate",
    "POST /api/venues/{venue_id}/visits",
    "POST /api/venues/{venue_id}/withdraw",
    "PUT /api/venues/{venue_id}/photo",
    "PUT /api/venues/{venue_id}/vetting",
]


SIGN_OUT = "POST /api/auth/sign-out"
BETWEEN_PARAMETERS = frozenset({"GET /api/reports/visits"})


def check_every_operation(app, headers: dict[str, str]) -> list[str]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    tested = []
    operations = [result.ok() for result in schema.get_all_operations()]
    # Signing out ends the token every other operation is called with: do it last.
    for operation in sorted(operations, key=lambda op: op.label == SIGN_OUT):
        # An operation without parameters has no invalid input to generate.
        has_parameters = any(True for _ in operation.iter_parameters()) or operation.body
        # Writes can be schema-valid and still rightly refused: without If-Match
        # (the contract's 428; the header cannot be required, or FastAPI would say
        # 422), or by rules JSON Schema cannot say (opening-hours syntax, a taken
        # email, a wrong current password). For them the "valid data is accepted"
        # check is off; server errors and response conformance are still checked.
        is_write = operation.method.upper() != "GET"
        # A rule between parameters is not JSON Schema's to say either: the visits
        # report's `from` must not be after its `to` (a 422 that says so).
        between = operation.label in BETWEEN_PARAMETERS
        modes = [GenerationMode.POSITIVE] + [GenerationMode.NEGATIVE] * bool(has_parameters)
        no_server_errors(
            operation,
            headers,
            examples=EXAMPLES,
            modes=modes,
            refused_while_valid=is_write or between,
        )
        tested.append(operation.label)
    return sorted(tested)


def test_api_follows_its_schema_anonymously(engine: Engine, make_client) -> None:
    load_sample(engine)
    assert check_every_operation(make_client().app, {}) == OPERATIONS


def test_api_follows_its_schema_for_an_officer(engine: Engine, make_client) -> None:
    load_sample(engine)
    client = make_client()
    add_account(engine, "officer@example.org", "officer")
    headers = token_headers(client, "officer@example.org")
    assert check_every_operation(client.app, headers) == OPERATIONS
