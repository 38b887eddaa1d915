"""The whole list of Safe Places, for a phone to keep and use with no signal."""

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response

from app.deps import CatalogueDep, NowDep
from app.models.offline import OfflineVenues
from app.offline_list import OfflineListCache

router = APIRouter(prefix="/api/venues", tags=["venues"])
_lists = OfflineListCache()


@router.get(
    "/offline",
    response_model=OfflineVenues,
    responses={304: {"description": "The list you have is still current."}},
)
def offline_venues(
    request: Request,
    catalogue: CatalogueDep,
    now: NowDep,
    if_none_match: Annotated[str | None, Header(max_length=200)] = None,
) -> Response:
    """Every active Safe Place, with its opening times for the next 7 days, to keep offline."""
    body = _lists.get(catalogue.snapshot, now)
    # Public data, the same for everyone: caches may keep it, but must ask if it changed.
    headers = {"ETag": body.etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if if_none_match and body.etag in (tag.strip() for tag in if_none_match.split(",")):
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", "").lower():
        headers["Content-Encoding"] = "gzip"
        return Response(body.gzipped, media_type="application/json", headers=headers)
    return Response(body.json(), media_type="application/json", headers=headers)
