"""The public web app: its pages, scripts, styles, pictures, manifest and service worker.

Mounted after the API, and left out of the API schema. The files are read once
(app/web/assets.py) and sent by app/web/responses.py: gzipped when the browser
accepts it, with an ETag, so a phone that has a file already gets a 304. A script,
style sheet or picture asked for by its content name (`/js/home.3f9a1c2b7d.js`,
what the pages use) may be kept a year; by its plain name, only briefly.
"""

from fastapi import APIRouter, HTTPException, Request, Response

from app.web.assets import PAGES, VENUE_PAGE, Asset, web_app
from app.web.responses import send

router = APIRouter(include_in_schema=False)
GET = ["GET", "HEAD"]


def file_or_404(path: str) -> Asset:
    asset = web_app().file(path)
    if asset is None:
        raise HTTPException(404, "There is no such file.")
    return asset


def _page_route(path: str) -> None:
    async def page(request: Request) -> Response:
        return send(request, file_or_404(path), document=True)

    router.add_api_route(path, page, methods=GET, name=f"page {path}")


for _page in PAGES:
    if _page.path != VENUE_PAGE:
        _page_route(_page.path)


@router.api_route("/venues/{venue_id}", methods=GET)
async def venue_page(request: Request, venue_id: str) -> Response:
    """One Safe Place's page; the same file for every id (its script asks the API)."""
    return send(request, file_or_404(VENUE_PAGE), document=True)


@router.api_route("/sw.js", methods=GET)
async def service_worker(request: Request) -> Response:
    """The service worker, at the root so its scope is the whole app."""
    return send(request, file_or_404("/sw.js"), document=True)


@router.api_route("/manifest.webmanifest", methods=GET)
async def manifest(request: Request) -> Response:
    """What a phone needs to install the app."""
    return send(request, file_or_404("/manifest.webmanifest"))


# One route per folder, not "/{folder}/{name}": that would also answer GET on API
# paths that take only POST (405 must stay 405).
@router.api_route("/css/{name}", methods=GET)
async def style_sheet(request: Request, name: str) -> Response:
    """The style sheet."""
    return send(request, file_or_404(f"/css/{name}"))


@router.api_route("/js/{name}", methods=GET)
async def script(request: Request, name: str) -> Response:
    """A script (an ES module)."""
    return send(request, file_or_404(f"/js/{name}"))


@router.api_route("/icons/{name}", methods=GET)
async def picture(request: Request, name: str) -> Response:
    """A picture."""
    return send(request, file_or_404(f"/icons/{name}"))
