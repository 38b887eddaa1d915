"""Requests schemathesis makes from the OpenAPI document, checked one operation at a
time: no server error, answers as documented. tests/test_schemathesis.py runs it over
the whole API; a module's own tests may run it over theirs, with their own data."""

from collections.abc import Iterable

from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance
from schemathesis.generation import GenerationMode

MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def no_server_errors(
    operation,
    headers: dict[str, str],
    *,
    examples: int = 25,
    modes: Iterable[GenerationMode] = MODES,
    refused_while_valid: bool = False,
) -> None:
    """`examples` generated requests in each mode. `refused_while_valid`: valid to the
    schema but refusable by a rule JSON Schema cannot say (If-Match, opening-hours
    syntax, `from` after `to`), so "valid data is accepted" is not asked; server errors
    and conformance still are."""
    excluded = [positive_data_acceptance] if refused_while_valid else []
    for mode in modes:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            # The same examples every run, so CI is repeatable: a failure seen once is
            # seen again, and fixed, not retried away.
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def check(case) -> None:
            # Called at once, inside this iteration: the loop variable is current.
            case.call_and_validate(headers=headers, excluded_checks=excluded)

        check()
