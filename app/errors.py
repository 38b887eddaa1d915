"""Errors a person can act on: every error response has `detail` and a plain `message`.

Rules raise `app.problems` kinds, which know nothing of HTTP; `STATUS_CODES` is
the one table that says which status each kind answers with (as tipg's
`DEFAULT_STATUS_CODES`). A problem's answer also carries `errors`, one
`{"field", "code", "message"}` for each value at fault, so a form can place each
message beside its field.
"""

from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.problems import (
    Invalid,
    NotAllowed,
    NotFound,
    Problem,
    ReadItFirst,
    SignInNeeded,
    Stale,
    Taken,
    TooBig,
    WrongKind,
)
from app.routers.web import not_found_page

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
    where = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body")]
    name = ".".join(where) or "request"
    problem = problem_words(error)
    said = f"{name} {problem}." if problem else f"{name}: {error.get('msg', 'is not valid')}."
    return f"{said} {FIELD_HELP.get(name, '')}".strip()


async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    message = " ".join(plain_validation_message(error) for error in exc.errors())
    # What was sent is not echoed back: it may be a person's position.
    errors = jsonable_encoder(exc.errors(), exclude={"input", "ctx", "url"})
    return JSONResponse({"detail": errors, "message": message}, status_code=422)


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    """Every error has the same shape: `detail`, and `message` in plain words.

    A person's browser asking for a page that is not there gets a page, not JSON.
    """
    if exc.status_code == 404 and wants_a_page(request):
        return not_found_page(request)
    message = exc.detail if isinstance(exc.detail, str) else "The request could not be answered."
    return JSONResponse(
        {"detail": exc.detail, "message": message},
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


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
        headers=UNAUTHENTICATED if status == 401 else None,
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
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these error statuses, so clients and tests know them."""
    return {code: {"description": ERROR_DESCRIPTIONS[code]} for code in codes}
