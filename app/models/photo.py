"""Photos of venue entrances, kept in the database so every instance can serve them."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class Photo(SQLModel, table=True):
    # Photos are never deleted by an edit: history can put an earlier one back.
    key: str = Field(primary_key=True, max_length=32)
    venue_id: int = Field(foreign_key="venue.id", index=True)
    account_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime
    width: int
    height: int
    data: bytes = Field(sa_type=sa.LargeBinary)
