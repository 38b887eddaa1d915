"""The FastAPI application: API routers, error handling, and the catalogue's lifecycle."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError

from app.catalogue import Catalogue
from app.config import Settings, get_settings
from app.db import make_engine
from app.places import Gazetteer, OnlineGeocoder
from app.privacy import install_access_log_filter
from app.routers import contacts, health, places, venues

DESCRIPTION = """
Find the nearest Safe Place, and read about it in easy read.

A Safe Place is a shop, library, café or community centre whose staff will help
anyone who feels unsafe when out and about. Positions sent to this service are
used to answer the request and never stored or logged.
"""


# What to do about a bad value, in plain words, for the parameters people type.
FIELD_HELP = {
    "lat": "Give latitude as a number from -90 to 90, like 52.2823.",
    "lon": "Give longitude as a number from -180 to 180, like -1.5849.",
    "limit": "Ask for 1 to 50 places.",
    "q": "Type 2 to 100 letters: a town, a village or a postcode.",
    "venue_id": "Use the number from the Safe Place's link.",
}


def plain_validation_message(error: dict) -> str:
    """'lat: Input should be less than or equal to 90. Give latitude as …' from one error."""
    where = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body")]
    name = ".".join(where) or "request"
    advice = FIELD_HELP.get(name, "")
    return f"{name}: {error.get('msg', 'is not valid')}. {advice}".strip()


async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = jsonable_encoder(exc.errors(), exclude={"input", "ctx", "url"})
    message = "; ".join(plain_validation_message(error) for error in errors)
    return JSONResponse({"detail": errors, "message": message}, status_code=422)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        install_access_log_filter()
        app.state.settings = settings
        app.state.engine = make_engine(settings.database_url)
        try:
            app.state.catalogue = Catalogue(app.state.engine, settings.refresh_seconds)
        except DBAPIError as error:
            raise RuntimeError(
                "The database is not ready: run `safe-places migrate` first "
                "(`safe-places serve` and `make run` do it for you). "
                f"The database said: {error.orig}"
            ) from error
        app.state.catalogue.start_watching()
        app.state.gazetteer = Gazetteer.from_csv(settings.gazetteer_csv)
        app.state.geocoder = (
            OnlineGeocoder(
                settings.geocoder_domain, settings.geocoder_scheme, settings.geocoder_user_agent
            )
            if settings.geocoder
            else None
        )
        try:
            yield
        finally:
            app.state.catalogue.stop_watching()
            app.state.engine.dispose()

    app = FastAPI(
        title="Safe Places",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        exception_handlers={RequestValidationError: validation_error},
    )
    app.include_router(health.router)
    app.include_router(venues.router)
    app.include_router(places.router)
    app.include_router(contacts.router)
    return app


app = create_app()
