"""/docs: Swagger UI, served from this server, so the docs work offline and under a CSP.

Swagger UI's files come from the pinned `fastapi-offline` package (its static folder
only); FastAPI's own /docs would load them from a CDN.
"""

import re
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.staticfiles import StaticFiles

from app.http.headers import docs_headers

SWAGGER_UI = Path(str(files("fastapi_offline") / "static"))
ASSETS = "/docs/assets"


def swagger_ui_page(title: str, openapi_url: str) -> tuple[str, dict[str, str]]:
    """Swagger UI's page, and its headers: its policy allows its one inline script."""
    page = get_swagger_ui_html(
        openapi_url=openapi_url,
        title=title,
        swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS}/favicon.png",
        # Swagger UI would otherwise send the schema to validator.swagger.io.
        swagger_ui_parameters={"validatorUrl": None},
    )
    html = bytes(page.body).decode()
    inline = re.search(r"<script>(.*?)</script>", html, re.DOTALL)
    assert inline is not None, "Swagger UI's page has one inline script"
    return html, docs_headers(inline.group(1))


def add_docs(app: FastAPI) -> None:
    """Serve /docs and Swagger UI's files (the app is made with docs_url=None)."""
    html, headers = swagger_ui_page(f"{app.title} - API docs", app.openapi_url or "/openapi.json")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> Response:
        """The API's interactive documentation."""
        return Response(html, media_type="text/html", headers=headers)

    app.mount(ASSETS, StaticFiles(directory=SWAGGER_UI), name="swagger-ui")
