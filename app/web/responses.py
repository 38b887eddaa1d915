"""Sending one of the web app's files: its ETag (a 304 when the phone has it), gzip when
the browser takes it, and a page's own headers. Also the easy-read 404 page, which
app/http/errors.py sends for any address that is not a page.

Not here: the routes (app/routers/pages.py), or making the files (app/web/assets.py).
"""

from fastapi import Request, Response

from app.http.headers import page_headers
from app.venues.photo_checks import allowed_photo_hosts
from app.web.assets import NOT_FOUND_PAGE, Asset, web_app


def send(request: Request, asset: Asset, document: bool = False, status: int = 200) -> Response:
    headers = {
        "ETag": asset.etag,
        "Cache-Control": asset.cache_control,
        "Vary": "Accept-Encoding",
        # Every answer gets nosniff (app/http/headers.py); documents their policy too.
        **(page_headers(allowed_photo_hosts()) if document else {}),
    }
    if status == 200 and asset.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if asset.gzipped is not None and "gzip" in request.headers.get("accept-encoding", "").lower():
        headers["Content-Encoding"] = "gzip"
        return Response(asset.gzipped, status, media_type=asset.media_type, headers=headers)
    return Response(asset.body, status, media_type=asset.media_type, headers=headers)


def not_found_page(request: Request) -> Response:
    """The easy-read "We cannot find this page", with status 404."""
    return send(request, web_app().assets[NOT_FOUND_PAGE], document=True, status=404)
