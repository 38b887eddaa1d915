"""Sign-in attempts, kept in the database so that every instance sharing it counts the
same tries (app/people/sign_in.py's SignInThrottle reads and writes them)."""

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# 64-bit in PostgreSQL: refused tries can be cheap and many. SQLite's INTEGER is 64-bit
# already, and only INTEGER PRIMARY KEY numbers rows by itself.
ATTEMPT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class SignInAttempt(SQLModel, table=True):
    __tablename__ = "sign_in_attempt"
    # Every count is "this account (or address) since then": one index each.
    __table_args__ = (
        sa.Index("ix_sign_in_attempt_account_at", "account", "at"),
        sa.Index("ix_sign_in_attempt_address_at", "address", "at"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=ATTEMPT_ID)
    # A SHA-256 of the email as typed: fixed width, and nothing typed is kept in
    # clear (people do type their password into the email box).
    account: str = Field(max_length=64)
    # The client's IP address (for IPv6, its /64 network: one device has a whole /64).
    address: str = Field(max_length=64)
    # Unix time in seconds: the same arithmetic on both databases.
    at: float
    # False from the moment the try begins until its password proves right, so
    # that tries still being checked count too.
    succeeded: bool = False
