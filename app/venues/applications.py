"""Venues asking to join the scheme, and what the council checked before they joined.

An application holds the venue's details, checked by the venue file's own rules when
it is sent, and a contact. Nothing of it is public: only approving it makes a venue
(through the venue write path's own steps, so the venue has its history and reaches
every server's catalogue) and a staff account for the contact, in one transaction.
Approving and declining are a compare-and-set on the status, so of two officers
deciding at once, one decides and the other is told it is already decided.

Not HTTP: problems are `app.problems` kinds. The shapes the API sends and takes are
here too, beside the rules they carry.
"""

from datetime import date, datetime, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, EmailStr, Field
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.db import utc_now
from app.gazetteer.postcodes import PostcodeTable
from app.models import Account, AccountVenue, Application, Role, Venue, VenueVetting
from app.models.scheme import ApplicationStatus
from app.models.venue import Category, PlainFloat
from app.people.account_records import create_account, normalise_email
from app.people.sign_in import one_time_password
from app.permissions import require_fields
from app.problems import FieldProblem, Invalid, NotFound, Taken
from app.venues.edits import checked, create_venue, ref_taken
from app.venues.venue_file import (
    BIDI,
    CONTROL,
    FORMULA_STARTS,
    MIN_PHONE_DIGITS,
    PHONE,
    normalise_postcode,
)

# A placeholder for the checks: the ref is chosen when the application is approved.
UNCHOSEN_REF = "APPLICATION"
# The venue file's columns an application sends (all but `ref`).
VENUE_COLUMNS = (
    "name", "category", "address", "town", "postcode", "latitude", "longitude", "phone",
    "website", "opening_hours", "easy_read", "step_free", "accessible_toilet", "quiet_space",
    "photo",
)  # fmt: skip
CONTACT_TEXT = ("contact_name", "contact_phone")
MOST_TRAINED_STAFF = 1000
THANK_YOU = (
    "Thank you. We have your form. A council officer will read it. They will get in touch with you."
)

Text = Annotated[str, Field(min_length=1)]


class ApplicationCreate(BaseModel):
    """A venue asking to join: the venue file's columns but `ref`, and who to contact.

    Without latitude and longitude the venue is placed at its postcode. The values
    are checked like a row of the venue file (hours syntax, easy read, phone shape,
    text a spreadsheet would run)."""

    model_config = {"extra": "forbid"}

    name: Annotated[str, Field(min_length=1, max_length=200)]
    category: Category = Category.other
    address: Annotated[str, Field(min_length=1, max_length=300)]
    town: Annotated[str, Field(min_length=1, max_length=100)]
    postcode: Annotated[str, Field(min_length=5, max_length=10)]
    latitude: Annotated[PlainFloat, Field(ge=49.8, le=61.0)] | None = None
    longitude: Annotated[PlainFloat, Field(ge=-8.7, le=2.0)] | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    website: Annotated[str, Field(max_length=300)] | None = None
    opening_hours: Annotated[str, Field(max_length=500)] | None = None
    easy_read: Annotated[str, Field(max_length=2000)] | None = None
    step_free: bool | None = None
    accessible_toilet: bool | None = None
    quiet_space: bool | None = None
    photo: Annotated[str, Field(max_length=300)] | None = None
    contact_name: Annotated[str, Field(min_length=1, max_length=100)]
    contact_email: EmailStr = Field(max_length=254)
    contact_phone: Annotated[str, Field(min_length=1, max_length=40)]
    trained_staff: Annotated[int, Field(ge=0, le=MOST_TRAINED_STAFF, strict=True)] = Field(
        description="How many of the staff have had the scheme's training."
    )
    training_date: date | None = Field(
        default=None, description="When they were trained (the last training, if more than 1)."
    )


class ApplicationSent(BaseModel):
    id: int
    message: str = Field(description="A plain thank-you, to show as it is.")


class AppliedVenue(BaseModel):
    """The venue as it asked to be listed (checked when sent)."""

    name: str
    category: Category
    address: str
    town: str
    postcode: str
    latitude: float
    longitude: float
    phone: str | None = None
    website: str | None = None
    opening_hours: str | None = None
    easy_read: str | None = None
    step_free: bool | None = None
    accessible_toilet: bool | None = None
    quiet_space: bool | None = None
    photo: str | None = None


class ApplicationPublic(BaseModel):
    """An application as officers see it."""

    id: int
    status: ApplicationStatus
    venue: AppliedVenue
    contact_name: str
    contact_email: str
    contact_phone: str
    trained_staff: int
    training_date: date | None
    created_at: datetime
    decided_at: datetime | None
    decline_reason: str | None
    venue_id: int | None = Field(description="The venue made when it was approved.")
    enough_trained_staff: bool = Field(
        description="Whether trained_staff meets the scheme's minimum (min_trained_staff)."
    )
    min_trained_staff: int


class Decline(BaseModel):
    model_config = {"extra": "forbid"}

    reason: Annotated[str, Field(min_length=1, max_length=300)] = Field(
        description="Why, in a few words: the officer tells the venue."
    )


class Approval(BaseModel):
    """What approving made. The one-time password is shown here once, and kept nowhere."""

    application: ApplicationPublic
    venue_id: int
    venue_ref: str
    account_email: str
    account_created: bool = Field(description="False when the email already had an account.")
    one_time_password: str | None = Field(
        description="The new account's first password; null when an account was linked."
    )
    message: str


class VettingIn(BaseModel):
    """What the council checked about a venue (all of it: PUT replaces it)."""

    model_config = {"extra": "forbid"}

    police_check_date: date | None = None
    trained_staff: Annotated[int, Field(ge=0, le=MOST_TRAINED_STAFF, strict=True)] | None = None
    training_date: date | None = None
    sticker_given: bool = False


class VettingPublic(VettingIn):
    venue_id: int
    updated_at: datetime | None = None


# --- sending --------------------------------------------------------------------------


def _text_problems(name: str, value: str) -> list[FieldProblem]:
    """The venue file's rules for free text, for the contact's own fields."""
    problems = []
    if CONTROL.search(value):
        said = f"{name} holds a control character (like a NUL byte): remove it"
        problems.append(FieldProblem(name, "control_character", said))
    if BIDI.search(value):
        said = f"{name} holds an invisible mark that changes the direction text is shown in"
        problems.append(FieldProblem(name, "direction_mark", said))
    if value.strip()[:1] in FORMULA_STARTS:
        said = f"{name} must not start with {value.strip()[0]} (a spreadsheet would run it)"
        problems.append(FieldProblem(name, "formula", said))
    return problems


def _contact_problems(sent: ApplicationCreate, today: date) -> list[FieldProblem]:
    problems = [
        problem for name in CONTACT_TEXT for problem in _text_problems(name, getattr(sent, name))
    ]
    phone = sent.contact_phone.strip()
    if not problems and not (
        PHONE.fullmatch(phone) and sum(c.isdigit() for c in phone) >= MIN_PHONE_DIGITS
    ):
        said = "contact_phone must be a phone number, like 01632 960001"
        problems.append(FieldProblem("contact_phone", "phone", said))
    if sent.training_date is not None and sent.training_date > today + timedelta(days=366):
        said = "training_date must be within a year from today"
        problems.append(FieldProblem("training_date", "training_date", said))
    return problems


def _placed(sent: ApplicationCreate, postcodes: PostcodeTable) -> dict[str, float]:
    """The position sent, or the postcode's own (Code-Point Open)."""
    if (sent.latitude is None) != (sent.longitude is None):
        missing = "longitude" if sent.longitude is None else "latitude"
        raise Invalid(
            f"{missing} is missing. Give latitude and longitude both, or neither: "
            "then we place the venue at its postcode.",
            field=missing,
        )
    if sent.latitude is not None and sent.longitude is not None:
        return {"latitude": sent.latitude, "longitude": sent.longitude}
    postcode = normalise_postcode(sent.postcode)
    found = postcode and postcodes.postcode(postcode)
    if not found:
        raise Invalid(
            f"We cannot find the postcode {sent.postcode.strip()[:10]}. Check it. "
            "Or give the latitude and longitude.",
            field="postcode",
        )
    return {"latitude": found[0], "longitude": found[1]}


def checked_venue(sent: ApplicationCreate, postcodes: PostcodeTable, today: date) -> dict[str, Any]:
    """The venue's values as a venue file row would be stored, or Invalid with every
    problem (the contact's too)."""
    values = sent.model_dump(include=set(VENUE_COLUMNS))
    problems = _contact_problems(sent, today)
    try:
        values |= _placed(sent, postcodes)
        row = checked({}, {**values, "ref": UNCHOSEN_REF}, today)
    except Invalid as invalid:
        problems = invalid.problems + problems
    if problems:
        raise Invalid(problems)
    row.pop("ref")
    return {**row, "category": str(row["category"])}


def add_application(
    session: Session, sent: ApplicationCreate, venue: dict[str, Any], now: datetime
) -> Application:
    application = Application(
        venue=venue,
        contact_name=sent.contact_name.strip(),
        contact_email=normalise_email(sent.contact_email),
        contact_phone=sent.contact_phone.strip(),
        trained_staff=sent.trained_staff,
        training_date=sent.training_date,
        created_at=now,
    )
    session.add(application)
    session.commit()
    return application


# --- reading --------------------------------------------------------------------------


def application_or_not_found(session: Session, application_id: int) -> Application:
    found = session.get(Application, application_id)
    if found is None:
        raise NotFound(f"There is no application with id {application_id}.")
    return found


def shown(application: Application, min_trained_staff: int) -> ApplicationPublic:
    assert application.id is not None
    return ApplicationPublic(
        **application.model_dump(exclude={"venue", "decided_by"}),
        venue=AppliedVenue.model_validate(application.venue),
        enough_trained_staff=application.trained_staff >= min_trained_staff,
        min_trained_staff=min_trained_staff,
    )


def applications(
    session: Session, status: ApplicationStatus | None, limit: int
) -> list[Application]:
    """Newest first."""
    query = select(Application).order_by(
        col(Application.created_at).desc(), col(Application.id).desc()
    )
    if status is not None:
        query = query.where(col(Application.status) == status)
    return list(session.exec(query.limit(limit)).all())


# --- deciding -------------------------------------------------------------------------


def _claim(session: Session, application: Application, officer: Account, to: ApplicationStatus):
    """Decide it, only if no one has: the first statement of the change (a row lock on
    PostgreSQL, the write lock on SQLite), so two decisions at once cannot both hold."""
    now = utc_now()
    claimed = session.connection().execute(
        update(Application)
        .where(
            col(Application.id) == application.id,
            col(Application.status) == ApplicationStatus.new,
        )
        .values(status=to, decided_at=now, decided_by=officer.id)
    )
    if claimed.rowcount != 1:
        session.rollback()
        session.refresh(application)
        raise already_decided(application)
    application.status, application.decided_at, application.decided_by = to, now, officer.id


def already_decided(application: Application) -> Taken:
    when = application.decided_at.date().isoformat() if application.decided_at else "before"
    said = "approved" if application.status == ApplicationStatus.approved else "declined"
    return Taken(
        f"This application was already {said} on {when}. Nothing was changed.", code="decided"
    )


def require_new(application: Application) -> None:
    if application.status != ApplicationStatus.new:
        raise already_decided(application)


def require_trained_staff(application: Application, min_trained_staff: int) -> None:
    if application.trained_staff < min_trained_staff:
        raise Invalid(
            f"This place has {application.trained_staff} trained staff. "
            f"The scheme needs at least {min_trained_staff}. "
            "Ask them to train more staff first.",
            field="trained_staff",
        )


def new_ref(session: Session, application_id: int) -> str:
    """APP-<id>, or APP-<id>-2 … when a venue file already used it."""
    ref, extra = f"APP-{application_id}", 1
    while ref_taken(session, ref, None):
        extra += 1
        ref = f"APP-{application_id}-{extra}"
    return ref


def _staff_account(session: Session, email: str, venue: Venue) -> tuple[Account, str | None, str]:
    """The contact's account, linked to the venue: a new one with a one-time password,
    or the one the email already has."""
    assert venue.id is not None
    existing = session.exec(select(Account).where(Account.email == email)).first()
    if existing is None:
        password = one_time_password()
        account = create_account(
            session, email, Role.staff, password, [venue.id], must_change_password=True
        )
        said = f"We made an account for {email}. Give them the password below."
        return account, password, said
    if existing.role == Role.officer:
        said = f"{email} already has an officer account. Officers can change every venue."
        return existing, None, said
    assert existing.id is not None
    session.add(AccountVenue(account_id=existing.id, venue_id=venue.id))
    said = (
        f"{email} already has an account. We linked it to the new Safe Place. "
        "Their password is the same."
    )
    if not existing.active:
        said += " Their account is disabled: enable it on the Accounts page."
    return existing, None, said


def approve(
    session: Session,
    application: Application,
    officer: Account,
    min_trained_staff: int,
    today: date,
) -> Approval:
    """The venue, its vetting and its staff account, all or nothing, then committed."""
    require_new(application)
    require_trained_staff(application, min_trained_staff)
    require_fields(officer, VENUE_COLUMNS)
    assert application.id is not None
    _claim(session, application, officer, ApplicationStatus.approved)
    values = checked({}, {**application.venue, "ref": new_ref(session, application.id)}, today)
    venue = create_venue(session, values, officer)
    assert venue.id is not None
    account, password, said = _staff_account(session, application.contact_email, venue)
    session.add(
        VenueVetting(
            venue_id=venue.id,
            trained_staff=application.trained_staff,
            training_date=application.training_date,
            updated_at=utc_now(),
        )
    )
    application.venue_id = venue.id
    session.add(application)
    _commit_or_refuse(session)
    return Approval(
        application=shown(application, min_trained_staff),
        venue_id=venue.id,
        venue_ref=venue.ref,
        account_email=account.email,
        account_created=password is not None,
        one_time_password=password,
        message=f"{venue.name} is now a Safe Place. {said}",
    )


def decline(session: Session, application: Application, officer: Account, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise Invalid("reason is required: say why, in a few words.", field="reason")
    if problems := _text_problems("reason", reason):
        raise Invalid(problems)
    require_new(application)
    _claim(session, application, officer, ApplicationStatus.declined)
    application.decline_reason = reason
    session.add(application)
    _commit_or_refuse(session)


def _commit_or_refuse(session: Session) -> None:
    """A new ref or account another change took at the same moment: nothing kept."""
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Taken(
            "Someone else changed the venues or accounts at the same moment. Try again.",
            code="conflict",
        ) from None


# --- vetting --------------------------------------------------------------------------


def vetting_of(session: Session, venue_id: int) -> VettingPublic:
    found = session.get(VenueVetting, venue_id)
    if found is None:
        return VettingPublic(venue_id=venue_id)
    return VettingPublic.model_validate(found, from_attributes=True)


def set_vetting(session: Session, venue_id: int, vetting: VettingIn, today: date) -> VettingPublic:
    if vetting.police_check_date is not None and vetting.police_check_date > today:
        raise Invalid(
            "police_check_date cannot be after today. Give the day the check was done.",
            field="police_check_date",
        )
    row = session.get(VenueVetting, venue_id) or VenueVetting(venue_id=venue_id)
    for name, value in vetting.model_dump().items():
        setattr(row, name, value)
    row.updated_at = utc_now()
    session.add(row)
    _commit_or_refuse(session)
    return vetting_of(session, venue_id)
