"""Getting a database ready to serve: migrate it, and load the venue file if it is empty."""

import logging
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from app.db import migrate, venue_count
from app.venues.importing import ImportSummary, import_venue_file

log = logging.getLogger(__name__)


def prepare_database(engine: Engine, venue_file: Path) -> ImportSummary | None:
    """Upgrade the schema; when there are no venues yet, load `venue_file`."""
    migrate(engine)
    with Session(engine) as session:
        if venue_count(session) > 0:
            return None
        if not venue_file.exists():
            log.warning("no venues yet, and the venue file %s does not exist", venue_file)
            return None
        return import_venue_file(session, venue_file.read_bytes())
