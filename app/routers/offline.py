"""The whole list of Safe Places, for a phone to keep and use with no signal."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from app.deps import CatalogueDep, NowDep
from app.models.offline_venue import OfflineVenues

router = APIRouter(prefix="/api/venues", tags=["venues"])


@router.get(
    "/offline",
    response_model=OfflineVenues,
    responses={304: {"description": "The list you have is still current."}},
)
async def offline_venues(
    request: Request,
    catalogue: CatalogueDep,
    now: NowDep,
    if_none_match: Annotated[str | None, Header(max_length=200)] = None,
) -> Response:
    """Every active Safe Place, with its opening times for the next 7 days, to keep offline."""
    snapshot, lists = catalogue.snapshot, catalogue.offline_list
    # On the event loop only when there is nothing to build (the catalogue's watcher
    # keeps it up to date after a change): building is work for a thread.
    body = lists.current(snapshot, now)
    if body is None:
        body = await run_in_threadpool(lists.get, snapshot, now)
    # Public data, the same for everyone: caches may keep it, but must ask if it changed.
    headers = {"ETag": body.etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if if_none_match and body.etag in (tag.strip() for tag in if_none_match.split(",")):
        return Response(status_code=304, headers=headers)
    # Sent from the event loop a piece at a time (see GZIP_SEND_BYTES), letting
    # look-ups in between: a thread hop for each piece would be slow when look-ups
    # keep the loop busy, and sending all in one go would hold them up.
    if "gzip" in request.headers.get("accept-encoding", "").lower():
        headers["Content-Encoding"] = "gzip"
        headers["Content-Length"] = str(body.gzipped_size)
        return StreamingResponse(_sent(body.gzip_chunks()), 200, headers, "application/json")
    headers["Content-Length"] = str(body.size)
    return StreamingResponse(_sent(body.json_chunks()), 200, headers, "application/json")


async def _sent(pieces: Iterator[bytes]) -> AsyncIterator[bytes]:
    for piece in pieces:
        yield piece
        # A socket on the same machine takes megabytes without waiting: yield anyway.
        await asyncio.sleep(0)
