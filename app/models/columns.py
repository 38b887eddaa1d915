"""Column types shared by the tables."""

from enum import StrEnum

import sqlalchemy as sa


def text_enum(kind: type[StrEnum], name: str, length: int) -> sa.Enum:
    """An enum stored as its values in plain text (not a native enum type), so
    adding a member needs no ALTER TYPE."""
    return sa.Enum(
        kind,
        name=name,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
    )
