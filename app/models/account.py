"""Staff and council officer accounts, and which venues a staff account may edit."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, EmailStr
from pydantic import Field as PydanticField
from sqlmodel import Field, SQLModel

from app.models.columns import text_enum

# Ids are 32-bit in PostgreSQL: a bigger number can name nothing.
MAX_ID = 2**31 - 1
# Strict: JSON true is not the number 1.
RecordId = Annotated[int, PydanticField(ge=1, le=MAX_ID, strict=True)]


class Role(StrEnum):
    officer = "officer"
    staff = "staff"


class AccountVenue(SQLModel, table=True):
    __tablename__ = "account_venue"

    account_id: int = Field(foreign_key="account.id", primary_key=True, ondelete="CASCADE")
    venue_id: int = Field(foreign_key="venue.id", primary_key=True, ondelete="CASCADE")


class Account(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    role: Role = Field(sa_type=text_enum(Role, "role", 16))
    active: bool = True
    # Set when an officer made or reset the password: the person must choose their own.
    must_change_password: bool = False
    # Tokens carry this number; bumping it ends every token issued before.
    token_version: int = 0
    created_at: datetime
    updated_at: datetime


class AccountPublic(BaseModel):
    """An account as the API shows it: never the password hash."""

    id: int
    email: str
    role: Role
    active: bool
    must_change_password: bool
    venue_ids: list[int]
    etag: str = PydanticField(
        description="The account's ETag: send it as If-Match to change the account."
    )


class AccountCreate(BaseModel):
    model_config = {"extra": "forbid"}

    email: EmailStr = Field(max_length=254)
    role: Role
    venue_ids: list[RecordId] = Field(default_factory=list, max_length=200)


class AccountUpdate(BaseModel):
    model_config = {"extra": "forbid"}

    active: bool | None = None
    role: Role | None = None
    venue_ids: list[RecordId] | None = Field(default=None, max_length=200)


class AccountWithPassword(AccountPublic):
    """Returned once, when an officer creates or resets an account."""

    one_time_password: str


class Me(AccountPublic):
    can_add_venues: bool
    can_manage_accounts: bool
    editable_fields: list[str] = Field(
        description="The fields of a venue you may change, on the venues you may edit "
        "(app/permissions.py decides; the web app keeps no copy of the rule)."
    )


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=12, max_length=200)
