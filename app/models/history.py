"""Every change to a venue: who, when, and each field's old and new value."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Field, SQLModel


class VenueChange(SQLModel, table=True):
    __tablename__ = "venue_change"

    id: int | None = Field(default=None, primary_key=True)
    venue_id: int = Field(foreign_key="venue.id", index=True)
    # Null for changes not made through an account (the command-line import).
    account_id: int | None = Field(default=None, foreign_key="account.id")
    changed_at: datetime
    field: str = Field(max_length=40)
    # JSON, so a value's type survives: "yes"/true/null are different things.
    old_value: Any = Field(default=None, sa_type=sa.JSON, nullable=True)
    new_value: Any = Field(default=None, sa_type=sa.JSON, nullable=True)


class VenueChangePublic(BaseModel):
    id: int
    venue_id: int
    changed_by: str | None
    changed_at: datetime
    field: str
    old_value: Any
    new_value: Any
