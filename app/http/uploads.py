"""Files sent as the body of a request (a photo, a venue file): read with a size limit."""

from fastapi import Request

from app.problems import TooBig, WrongKind

NOT_A_FORM = "Send the file itself as the body of the request, not as a form."


async def read_upload(request: Request, limit: int, too_big: str) -> bytes:
    """The request body, read no further than `limit` bytes (413 with `too_big` past it)."""
    if request.headers.get("content-type", "").lower().startswith("multipart/"):
        raise WrongKind(NOT_A_FORM)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooBig(too_big)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise TooBig(too_big)
    return bytes(body)
