"""One row that counts changes to the venues, so every instance sees them."""

from sqlmodel import Field, SQLModel


class CatalogueState(SQLModel, table=True):
    __tablename__ = "catalogue_state"

    id: int = Field(default=1, primary_key=True)
    # Bumped in the same transaction as every change to the venue table; each
    # server compares it with the revision of its in-memory index.
    revision: int = Field(default=0)
