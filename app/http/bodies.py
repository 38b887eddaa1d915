"""Request bodies: refused unread when too big, or when no sign-in was sent for a route
that needs one.

FastAPI reads a JSON or form body in full, and before any dependency runs: without
this, a route that needs a sign-in would read a 200 MB body before its 401, and a
public route would read it all into memory. `BodyGuard` is pure ASGI middleware that
wraps `receive`, so it costs nothing on answers that read no body (every GET). When
the matched route first asks for its body:

- a route that needs a sign-in (its dependencies include `bearer_token`, so
  the rule stays in app/deps.py) answers 401 if no Authorization header came;
- a JSON or form body over `MAX_JSON_BYTES` answers 413, from Content-Length before
  a byte is read, or as soon as a streamed body passes the limit.

Files sent as the body (a photo, a venue file) are read by app/http/uploads.py, with
their own limits.
"""

from dataclasses import dataclass

from fastapi import HTTPException
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.deps import SIGN_IN_FIRST, bearer_token
from app.http.errors import UNAUTHENTICATED

MAX_JSON_BYTES = 64 * 1024
JSON_TOO_BIG = "The request is bigger than 64 KB. Send less."


@dataclass(frozen=True, slots=True)
class BodyRules:
    needs_sign_in: bool
    limit: int | None  # None: the route reads its body itself (app/http/uploads.py), or none


NO_RULES = BodyRules(needs_sign_in=False, limit=None)


def rules_for(route: object) -> BodyRules:
    """What a route asks of a body (worked out when a body is first read: a few µs)."""
    if not isinstance(route, APIRoute):
        return NO_RULES
    limit = MAX_JSON_BYTES if route.body_field is not None else None
    return BodyRules(calls(route.dependant, bearer_token), limit)


def calls(dependant: Dependant, wanted: object) -> bool:
    return any(each.call is wanted or calls(each, wanted) for each in dependant.dependencies)


class BodyGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received = -1  # -1: the route has not asked for its body yet
        rules = NO_RULES

        async def guarded_receive() -> Message:
            nonlocal received, rules
            if received < 0:
                # The router has matched by now: its route is in the scope.
                rules = rules_for(scope.get("route"))
                check_before_reading(scope, rules)
                received = 0
            message = await receive()
            if rules.limit is not None and message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > rules.limit:
                    raise HTTPException(413, JSON_TOO_BIG)
            return message

        await self.app(scope, guarded_receive, send)


def check_before_reading(scope: Scope, rules: BodyRules) -> None:
    headers = dict(scope["headers"])
    if rules.needs_sign_in and b"authorization" not in headers:
        raise HTTPException(401, SIGN_IN_FIRST, headers=UNAUTHENTICATED)
    declared = headers.get(b"content-length", b"")
    if rules.limit is not None and declared.isdigit() and int(declared) > rules.limit:
        raise HTTPException(413, JSON_TOO_BIG)
