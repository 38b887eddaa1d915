"""The FastAPI application: API routers, error handling, and the catalogue's lifecycle."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.exc import DBAPIError
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app.config import Settings, get_settings
from app.db import make_engine
from app.easy_read import rules as easy_read
from app.gazetteer.place_names import Gazetteer, OnlineGeocoder
from app.gazetteer.postcodes import open_postcode_table
from app.hours import london_now, warm_up
from app.http.access_log import RouteForTheLog, install_access_log_filter
from app.http.bodies import BodyGuard
from app.http.errors import EXCEPTION_HANDLERS, declare_error_answers
from app.http.headers import SecurityHeaders
from app.people.sign_in import SignInThrottle
from app.routers import (
    accounts,
    applications,
    area,
    auth,
    contacts,
    coverage,
    easy_read_check,
    health,
    listings,
    offline,
    open_referral,
    opening_hours,
    pages,
    photos,
    places,
    posters,
    problem_reports,
    public_venues,
    reports,
    venue_files,
    visits,
)
from app.routers.api_docs import add_docs
from app.venues.catalogue import Catalogue, freeze_long_lived

DESCRIPTION = """
Find the nearest Safe Place, and read about it in easy read.

A Safe Place is a shop, library, café or community centre whose staff will help
anyone who feels unsafe when out and about. Positions sent to this service are
used to answer the request and never stored or logged.
"""


def create_app(settings: Settings | None = None, *, freeze_heap: bool = False) -> FastAPI:
    """`freeze_heap`: once started, put what the server keeps out of the garbage
    collector's way (`freeze_long_lived`). For a server that starts once (`app`, which
    `safe-places serve` runs), not for the many apps a test process makes: each
    freeze would keep that app's cycles for good."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        install_access_log_filter()
        warm_up(london_now().date())
        engine = make_engine(settings.database_url)
        try:
            catalogue = Catalogue(engine, settings.refresh_seconds)
        except DBAPIError as error:
            raise RuntimeError(
                "The database is not ready: run `safe-places migrate` first "
                "(`safe-places serve` and `make run` do it for you). "
                f"The database said: {error.orig}"
            ) from error
        app.state.settings = settings
        app.state.engine = engine
        app.state.catalogue = catalogue
        app.state.sign_in_throttle = SignInThrottle(engine)
        app.state.gazetteer = Gazetteer.from_csv(settings.gazetteer_csv)
        easy_read.warm_up(place.name for place in app.state.gazetteer.places)
        # Built once per release (a few seconds), then only memory-mapped.
        app.state.postcodes = open_postcode_table()
        app.state.geocoder = (
            OnlineGeocoder(
                settings.geocoder_domain, settings.geocoder_scheme, settings.geocoder_user_agent
            )
            if settings.geocoder
            else None
        )
        if freeze_heap:
            freeze_long_lived()
        catalogue.start_watching()
        try:
            yield
        finally:
            # This run's own objects, not app.state's: a second run of the
            # lifespan (a test client inside another) must not orphan them.
            catalogue.stop_watching()
            engine.dispose()

    app = FastAPI(
        title="Safe Places",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        exception_handlers=EXCEPTION_HANDLERS,
        # FastAPI's own OpenTelemetry spans and metrics hold each request's URL, and a
        # look-up's URL holds a position: none are made, whatever a deployment's
        # OpenTelemetry settings (FASTAPI_OTEL_AUTO_CONFIGURE included).
        telemetry={"tracing": False, "metrics": False, "logs": False, "auto_configure": False},
        # /docs is served by add_docs, from this server, under a CSP; no ReDoc (a CDN's).
        docs_url=None,
        redoc_url=None,
    )
    # Outermost last: security headers on every answer, even a refused body's.
    # Innermost: valid nearest look-ups, answered before FastAPI's routing.
    app.add_middleware(public_venues.NearestFirst)
    app.add_middleware(BodyGuard)
    app.add_middleware(RouteForTheLog)
    app.add_middleware(SecurityHeaders, settings=settings)
    if settings.trusted_proxies:
        # Outermost, and here rather than in uvicorn (`serve` turns its own off), so
        # that one setting decides whichever server runs the app.
        proxies = [str(network) for network in settings.trusted_proxies]
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=proxies)
    add_docs(app)
    declare_error_answers(app)
    app.include_router(health.router)
    app.include_router(public_venues.nearest_router)
    app.include_router(venue_files.router)
    app.include_router(listings.router)
    app.include_router(offline.router)
    app.include_router(photos.router)
    app.include_router(public_venues.router)
    app.include_router(auth.router)
    app.include_router(accounts.router)
    app.include_router(easy_read_check.router)
    app.include_router(opening_hours.router)
    app.include_router(places.router)
    app.include_router(area.router)
    app.include_router(contacts.router)
    app.include_router(open_referral.router)
    # Running the scheme (issue 12).
    app.include_router(applications.router)
    app.include_router(visits.router)
    app.include_router(reports.router)
    app.include_router(coverage.router)
    app.include_router(problem_reports.router)
    app.include_router(posters.router)
    # Last: the web app's pages must never shadow an API route.
    app.include_router(pages.router)
    return app


app = create_app(freeze_heap=True)
