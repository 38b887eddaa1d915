"""Property-based tests of the whole API from its own OpenAPI schema.

Zero server errors, and every response (status, headers, body) as the schema
says, for inputs generated from the schema, valid and invalid alike. Runs on
each database backend.
"""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation import GenerationMode
from sqlalchemy import Engine

from tests.conftest import load_sample

EXAMPLES = 80


def test_api_follows_its_schema(engine: Engine, make_client) -> None:
    load_sample(engine)
    app = make_client().app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()
        # An operation without parameters has no invalid input to generate.
        has_parameters = any(True for _ in operation.iter_parameters())
        modes = [GenerationMode.POSITIVE] + [GenerationMode.NEGATIVE] * has_parameters
        for mode in modes:

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case) -> None:
                case.call_and_validate()

            check()
        tested.append(operation.label)
    assert sorted(tested) == [
        "GET /api/help",
        "GET /api/places",
        "GET /api/venues/nearest",
        "GET /api/venues/{venue_id}",
        "GET /healthz",
    ]
