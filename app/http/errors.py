"""Errors a person can act on: every error response has `detail` and a plain `message`.

Rules raise `app.problems` kinds, which know nothing of HTTP; `STATUS_CODES` is
the one table that says which status each kind answers with (as tipg's
`DEFAULT_STATUS_CODES`). A problem's answer also carries `errors`, one
`{"field", "code", "message"}` for each value at fault, so a form can place each
message beside its field.
"""

import functools
import re
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi._compat import ModelField
from fastapi.dependencies.models import Dependant
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from app.problems import (
    Busy,
    Invalid,
    NotAllowed,
    NotFound,
    Problem,
    ReadItFirst,
    SignInNeeded,
    Stale,
    Taken,
    TooBig,
    TooSoon,
    WrongKind,
)
from app.web.responses import not_found_page

# Each kind of problem's HTTP status (a subclass answers as the nearest kind listed).
STATUS_CODES: dict[type[Problem], int] = {
    SignInNeeded: 401,
    NotAllowed: 403,
    NotFound: 404,
    Taken: 409,
    Stale: 412,
    TooBig: 413,
    WrongKind: 415,
    Invalid: 422,
    ReadItFirst: 428,
    TooSoon: 429,
    Busy: 503,
    Problem: 422,
}
UNAUTHENTICATED = {"WWW-Authenticate": "Bearer"}


def status_of(problem: Problem) -> int:
    return next(STATUS_CODES[kind] for kind in type(problem).__mro__ if kind in STATUS_CODES)


# What to do about a bad value, in plain words, for the parameters people type.
FIELD_HELP = {
    "lat": "Give latitude as a number from -90 to 90, like 52.2823.",
    "lon": "Give longitude as a number from -180 to 180, like -1.5849.",
    "limit": "Ask for 1 to 50 places.",
    "q": "Type the name of a town or village, or a postcode.",
    "venue_id": "Use the number from the Safe Place's link.",
}


def problem_words(error: dict) -> str | None:
    """Pydantic's commonest problems, said plainly: 'must be 90 or less'."""
    # 90.0 reads as "90": whole numbers without the point.
    limits = {
        key: int(value) if isinstance(value, float) and value.is_integer() else value
        for key, value in (error.get("ctx") or {}).items()
    }
    return {
        "missing": "is missing",
        "float_parsing": "must be a number",
        "finite_number": "must be a number",
        "int_parsing": "must be a whole number",
        "bool_parsing": "must be true or false",
        "less_than_equal": f"must be {limits.get('le')} or less",
        "greater_than_equal": f"must be {limits.get('ge')} or more",
        "string_too_short": f"must be at least {limits.get('min_length')} characters",
        "string_too_long": f"must be at most {limits.get('max_length')} characters",
        "too_long": f"must have at most {limits.get('max_length')} items",
        "timezone_aware": "must say its UTC offset, like 2026-04-06T10:00:00+01:00",
        "list_type": "must be a list, in [ and ]",
        "datetime_from_date_parsing": "must be a date and time, like 2026-04-06T10:00:00+01:00",
    }.get(error.get("type", ""))


def plain_validation_message(error: dict) -> str:
    """'lat must be 90 or less. Give latitude as a number from -90 to 90, like 52.2823.'"""
    if error.get("type") == "json_invalid":
        return "The body is not JSON: check its quotes, commas and brackets."
    name = field_name(error) or "request"
    problem = problem_words(error)
    # Pydantic's own message may end with its full stop already (email-validator's do).
    msg = str(error.get("msg", "is not valid")).rstrip(".")
    said = f"{name} {problem}." if problem else f"{name}: {msg}."
    return f"{said} {FIELD_HELP.get(name, '')}".strip()


async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    said = [plain_validation_message(error) for error in exc.errors()]
    # What was sent is not echoed back: it may be a person's position.
    detail = jsonable_encoder(exc.errors(), exclude={"input", "ctx", "url"})
    errors = [
        {"field": field_name(error), "code": error.get("type", "invalid"), "message": message}
        for error, message in zip(exc.errors(), said, strict=True)
    ]
    return JSONResponse(
        {"detail": detail, "message": " ".join(said), "errors": errors}, status_code=422
    )


def field_name(error: dict) -> str | None:
    """The value at fault, as a form names it ("latitude", "venue_ids.0"); None: the request."""
    where = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body")]
    return ".".join(where) or None


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    """Every error has the same shape: `detail`, and `message` in plain words.

    A person's browser asking for a page that is not there gets a page, not JSON.
    """
    if exc.status_code == 404 and wants_a_page(request):
        return not_found_page(request)
    unmatched = exc.status_code == 404 and "endpoint" not in request.scope
    if unmatched and (invalid := invalid_typed_id(request)) is not None:
        return await validation_error(request, invalid)
    message = exc.detail if isinstance(exc.detail, str) else "The request could not be answered."
    return JSONResponse(
        {"detail": exc.detail, "message": message},
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


def invalid_typed_id(request: Request) -> RequestValidationError | None:
    """Why a path shaped like an id route (`/api/venues/{venue_id:int}`) matched none.

    Ids in paths are typed, so `/api/venues/unchecked` can never be taken for a
    venue id and the order routes are included in does not matter. A path that
    would match but for its id (`/api/venues/abc`, `/api/venues/-1`) is answered
    as the id's own rules say (422, "venue_id must be a whole number…"), not as
    an address that does not exist.
    """
    path = request.url.path
    for route in api_routes(request.app):
        if ":" not in route.path:
            continue
        raw = _shape(route.path).match(path)
        if raw is None or request.method not in (route.methods or ()):
            continue
        errors = []
        for field in path_fields(route.dependant):
            _, found = field.validate(raw.group(field.name), {}, loc=("path", field.name))
            errors += found if isinstance(found, list) else [found] if found else []
        if errors:
            return RequestValidationError(errors)
    return None


def api_routes(app: FastAPI) -> list[APIRoute]:
    """Every API route of the app, with its full path (routers included with prefixes)."""
    found = (context.original_route for context in iter_route_contexts(app.router.routes))
    return [route for route in found if isinstance(route, APIRoute)]


def path_fields(dependant: Dependant) -> Iterator[ModelField]:
    """The route's path parameters, its dependencies' too (each name once)."""
    seen: set[str] = set()
    for field in [
        *dependant.path_params,
        *(f for d in dependant.dependencies for f in path_fields(d)),
    ]:
        if field.name not in seen:
            seen.add(field.name)
            yield field


@functools.cache
def _shape(typed_path: str) -> re.Pattern[str]:
    """The route's path with its convertors taken off: any text where an id goes."""
    untyped = re.sub(r"{(\w+):\w+}", r"{\1}", typed_path)
    return compile_path(untyped)[0]


async def problem_error(request: Request, problem: Problem) -> Response:
    """A domain problem as an answer: its status from STATUS_CODES, its words, its fields."""
    status = status_of(problem)
    if status == 404 and wants_a_page(request):
        return not_found_page(request)
    errors = [
        {"field": each.field, "code": each.code, "message": each.message}
        for each in problem.problems
    ]
    return JSONResponse(
        {"detail": problem.message, "message": problem.message, "errors": errors},
        status_code=status,
        headers=UNAUTHENTICATED
        if status == 401
        else {"Retry-After": str(problem.retry_after)}
        if isinstance(problem, TooSoon | Busy)
        else None,
    )


def wants_a_page(request: Request) -> bool:
    path = request.url.path
    accepts = request.headers.get("accept", "")
    return (
        request.method in ("GET", "HEAD")
        and "text/html" in accepts
        and not (path.startswith("/api/") or path in ("/api", "/openapi.json", "/docs", "/healthz"))
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    RequestValidationError: validation_error,
    Problem: problem_error,
    StarletteHTTPException: http_error,
}


ERROR_DESCRIPTIONS = {
    400: "The body could not be read: send UTF-8 JSON (or the form it asks for)",
    401: "Not signed in, or the sign-in has ended",
    403: "Not allowed: wrong role, or not your venue",
    404: "Not found",
    409: "Conflicts with what is stored",
    412: "Changed by someone else since you read it: read it again",
    413: "Too big: the message says the limit",
    415: "Not a kind of file this accepts",
    422: "Not valid: the message says what to change",
    428: "Send If-Match with the ETag you read",
    429: "Too many tries: wait, then try again",
    503: "Busy with a long piece of work: try again after Retry-After seconds",
}


class FieldError(BaseModel):
    """One value at fault: a form puts `message` beside the input named by `field`."""

    field: str | None = Field(
        description='The value at fault ("phone", "venue_ids.0"); null: the request as a whole.'
    )
    code: str = Field(description="A stable word for programs, like required, too_long, stale.")
    message: str = Field(description="What is wrong and what to do, in plain words.")


class ErrorAnswer(BaseModel):
    """Every error answer: `message` in plain words; `errors`, one for each value at fault."""

    detail: Any = Field(description="The same, for programs written for FastAPI's own errors.")
    message: str
    errors: list[FieldError] = Field(default=[], description="Always given for 422.")


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these error statuses, so clients and tests know them."""
    return {code: {"description": ERROR_DESCRIPTIONS[code], "model": ErrorAnswer} for code in codes}


def declare_error_answers(app: FastAPI) -> None:
    """Every 422 in the OpenAPI document is an ErrorAnswer (with `errors`), including
    FastAPI's own for a route's parameters, which it would call HTTPValidationError."""
    made = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = made()
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            answer = ErrorAnswer.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(answer.pop("$defs", {}))
            schemas["ErrorAnswer"] = answer
            schemas["HTTPValidationError"] = {"$ref": "#/components/schemas/ErrorAnswer"}
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
