"""The migrations build exactly the schema the models describe, and can be undone."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers the tables)
from app.db import alembic_config, make_engine, migrate
from tests.conftest import drop_schema, new_database_url

SOME_TABLES = {"venue", "catalogue_state", "sign_in_attempt"}


@pytest.fixture
def empty_engine(backend: str, tmp_path: Path) -> Iterator[Engine]:
    url, schema = new_database_url(backend, tmp_path)
    engine = make_engine(url)
    yield engine
    engine.dispose()
    drop_schema(schema)


def test_models_and_migrations_agree(empty_engine: Engine) -> None:
    migrate(empty_engine)
    with empty_engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert differences == []


def test_upgrade_downgrade_upgrade(empty_engine: Engine) -> None:
    migrate(empty_engine)
    assert set(inspect(empty_engine).get_table_names()) >= SOME_TABLES
    command.downgrade(alembic_config(empty_engine), "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    migrate(empty_engine)
    migrate(empty_engine)  # a second upgrade is a no-op
    assert set(inspect(empty_engine).get_table_names()) >= SOME_TABLES


def test_refs_differing_only_in_case_stop_the_upgrade_with_both_named(
    empty_engine: Engine,
) -> None:
    """A database that already holds A-1 and a-1 (from before 0007) is not renamed
    behind the operator's back: the upgrade stops and names the pair."""
    config = alembic_config(empty_engine)
    command.upgrade(config, "0006")
    row = (
        "INSERT INTO venue (ref, name, category, address, town, postcode, latitude, longitude,"
        " active, version, revision, created_at, updated_at) VALUES (:ref, 'A', 'other', 'x',"
        " 'y', 'CV34 4AB', 52.3, -1.6, true, 1, 0, '2026-01-01', '2026-01-01')"
    )
    with empty_engine.begin() as conn:
        for ref in ("A-1", "a-1", "B-2"):
            conn.execute(text(row), {"ref": ref})
    with pytest.raises(RuntimeError, match=r"1 ref\(s\) are used twice.*A-1 and a-1"):
        command.upgrade(config, "head")
    with empty_engine.begin() as conn:
        conn.execute(text("UPDATE venue SET ref = 'A-2' WHERE ref = 'a-1'"))
    command.upgrade(config, "head")
    with pytest.raises(IntegrityError), empty_engine.begin() as conn:
        conn.execute(text(row), {"ref": "b-2"})  # the database itself keeps case-twins out
