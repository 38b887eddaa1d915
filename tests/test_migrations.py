"""The migrations build exactly the schema the models describe, and can be undone."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect
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
