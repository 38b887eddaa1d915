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

import re
from datetime import UTC, date, datetime, timedelta
from difflib import SequenceMatcher
from typing import Annotated, Any

from pydantic import BaseModel, EmailStr, Field
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.db import stored_utc
from app.gazetteer.place_names import Gazetteer, OnlineGeocoder
from app.gazetteer.postcode_lookup import find_postcode, unknown_in_northern_ireland
from app.gazetteer.postcodes import PostcodeTable
from app.hours import LONDON, HoursError, check_hours, week_lines
from app.models import Account, AccountVenue, Application, Role, Venue, VenueVetting
from app.models.scheme import ApplicationStatus
from app.models.venue import Category, PlainFloat
from app.people.account_records import (
    AccountChanged,
    claim_account,
    create_account,
    normalise_email,
)
from app.people.sign_in import one_time_password
from app.problems import FieldProblem, Invalid, NotFound, Taken
from app.venues.edits import checked, create_venue, ref_taken
from app.venues.venue_file import COLUMNS, is_phone_number, normalise_postcode, text_problems

# Placeholders for the checks: the ref is chosen when the application is approved, and
# a venue that cannot be placed yet is checked in full at a stand-in position (its
# position problem is told with the others; nothing is stored).
UNCHOSEN_REF = "APPLICATION"
UNPLACED = {"latitude": 52.0, "longitude": -1.5}
# The venue file's columns an application sends (all but `ref`).
VENUE_COLUMNS = tuple(name for name in COLUMNS if name != "ref")
# Training older than this is out of date: the staff should be trained again.
TRAINING_YEARS_KEPT = 10
MOST_TRAINED_STAFF = 1000
SAME_MOMENT = "Someone else changed the venues or accounts at the same moment. Try again."
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
        default=None,
        description="When they were trained (the last training, if more than 1): today or "
        "before, and not more than 10 years ago.",
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


class LooksTheSame(BaseModel):
    """A Safe Place or another application at the same postcode with a name like this
    one's: the venue may have applied twice, or be in the scheme already."""

    kind: str = Field(description="'venue' (in the scheme) or 'application' (another one)")
    id: int = Field(description="The venue's id, or the other application's.")
    name: str
    postcode: str
    words: str = Field(description="'Costa Coffee (WAR-0012) is a Safe Place at CV34 4AB.'")


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
    looks_the_same: list[LooksTheSame] = Field(
        default=[],
        description="Safe Places (withdrawn ones too) and other undecided applications at the "
        "same postcode with a name like this one's: check before approving (an approval "
        "makes a new venue).",
    )
    opening_week: list[str] = Field(
        default=[],
        description="The opening hours in words for the next 7 days, as people would see "
        "them ('Monday 7 December: 9am to 5pm'); empty without hours, or with hours the "
        "service can no longer read.",
    )


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


def _contact_problems(sent: ApplicationCreate, today: date) -> list[FieldProblem]:
    """The venue file's rules for the contact's free text; the phone is checked by its
    shape instead (it may start with +, as a spreadsheet formula would)."""
    problems = text_problems("contact_name", sent.contact_name)
    phone = sent.contact_phone.strip()
    phone_text = text_problems("contact_phone", phone, formulas=False)
    problems += phone_text
    if not phone_text and not is_phone_number(phone):
        said = "contact_phone must be a phone number, like 01632 960001"
        problems.append(FieldProblem("contact_phone", "phone", said))
    trained = sent.training_date
    if trained is not None and not (
        today - timedelta(days=365 * TRAINING_YEARS_KEPT) <= trained <= today
    ):
        # Read after the form's label: "Date of the last training must be a day …".
        said = (
            "training_date must be a day that has passed, "
            f"within the last {TRAINING_YEARS_KEPT} years"
        )
        problems.append(FieldProblem("training_date", "training_date", said))
    return problems


def _postcode_not_found(postcode: str, geocoder: OnlineGeocoder | None) -> str:
    """What the join form can do about a postcode we cannot place (it has no boxes for
    a position: an API caller may send latitude and longitude instead)."""
    if unknown_in_northern_ireland(postcode, geocoder):
        return (
            f"We cannot find postcodes in Northern Ireland yet, so we cannot put {postcode} "
            "on the map. Please ask the council to add your place."
        )
    return f"We cannot find the postcode {postcode}. Check it: it is on your place's letters."


def _placed(
    session: Session,
    sent: ApplicationCreate,
    postcodes: PostcodeTable,
    gazetteer: Gazetteer,
    geocoder: OnlineGeocoder | None,
) -> tuple[dict[str, float], list[FieldProblem]]:
    """The position sent, or the postcode's (app.gazetteer.postcode_lookup); when there is
    none, a stand-in and the problem, to tell with every other."""
    if (sent.latitude is None) != (sent.longitude is None):
        missing = "longitude" if sent.longitude is None else "latitude"
        said = (
            f"{missing} is missing. Give latitude and longitude both, or neither: "
            "then we place the venue at its postcode."
        )
        return UNPLACED, [FieldProblem(missing, "required", said)]
    if sent.latitude is not None and sent.longitude is not None:
        return {"latitude": sent.latitude, "longitude": sent.longitude}, []
    postcode = normalise_postcode(sent.postcode)
    if postcode is None:
        return UNPLACED, []  # the venue file's own check says it is not a UK postcode
    found = find_postcode("full", postcode, postcodes, gazetteer, session, geocoder)
    if found is None:
        said = _postcode_not_found(postcode, geocoder)
        return UNPLACED, [FieldProblem("postcode", "postcode_not_found", said)]
    return {"latitude": found.latitude, "longitude": found.longitude}, []


def checked_venue(
    session: Session,
    sent: ApplicationCreate,
    postcodes: PostcodeTable,
    gazetteer: Gazetteer,
    geocoder: OnlineGeocoder | None,
    today: date,
) -> dict[str, Any]:
    """The venue's values as a venue file row would be stored, or Invalid with every
    problem at once (its position's and the contact's too)."""
    position, problems = _placed(session, sent, postcodes, gazetteer, geocoder)
    values = sent.model_dump(include=set(VENUE_COLUMNS)) | position
    try:
        row = checked({}, {**values, "ref": UNCHOSEN_REF}, today)
    except Invalid as invalid:
        problems = invalid.problems + problems
    problems += _contact_problems(sent, today)
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
        created_at=now.astimezone(UTC),
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


def shown(
    application: Application,
    min_trained_staff: int,
    now: datetime,
    looks_the_same: list[LooksTheSame] | None = None,
) -> ApplicationPublic:
    assert application.id is not None
    venue = AppliedVenue.model_validate(application.venue)
    return ApplicationPublic(
        **application.model_dump(exclude={"venue", "decided_by"}),
        venue=venue,
        enough_trained_staff=application.trained_staff >= min_trained_staff,
        min_trained_staff=min_trained_staff,
        looks_the_same=looks_the_same or [],
        opening_week=_week_in_words(venue, now),
    )


def _week_in_words(venue: AppliedVenue, now: datetime) -> list[str]:
    """What people would see of the hours, for the officer to check before approving."""
    if not venue.opening_hours:
        return []
    try:
        # What the public sent: read afresh, never kept with the stored venues' hours.
        hours = check_hours(venue.opening_hours, venue.latitude, venue.longitude)
    except HoursError:
        return []  # checked when sent; a rule made stricter since says so on approval
    return week_lines(hours, now)


# --- the same venue twice? --------------------------------------------------------------

# Words a venue's name may have or leave out and still be the same place.
NAME_NOISE = re.compile(r"\b(the|and|ltd|limited|plc|uk)\b|[^a-z0-9 ]")
# Names this alike (difflib's ratio, 0 to 1) at one postcode are worth a second look:
# "Costa Coffee" and "Costa coffee Ltd" are; "Costa Coffee" and "Boots" are not.
ALIKE = 0.8


def name_key(name: str) -> str:
    """'The Old Library & Café Ltd.' -> 'old library caf': what two spellings share."""
    return " ".join(NAME_NOISE.sub(" ", name.casefold().replace("&", " and ")).split())


def names_alike(one: str, other: str) -> bool:
    a, b = name_key(one), name_key(other)
    if not a or not b:
        return False
    return a in b or b in a or SequenceMatcher(None, a, b).ratio() >= ALIKE


def looks_the_same(session: Session, found: list[Application]) -> dict[int, list[LooksTheSame]]:
    """For each application not declined: the venues (withdrawn too), and the other
    undecided applications, at its postcode with a name like its own. Two queries,
    whatever the count."""
    asking = [a for a in found if a.status != ApplicationStatus.declined]
    postcodes = {a.venue["postcode"] for a in asking}
    if not postcodes:
        return {}
    venues = session.exec(select(Venue).where(col(Venue.postcode).in_(postcodes))).all()
    # Approved ones are venues now (above); only the undecided are asked for here.
    waiting = select(Application).where(col(Application.status) == ApplicationStatus.new)
    others = [other for other in session.exec(waiting) if other.venue["postcode"] in postcodes]
    alike: dict[int, list[LooksTheSame]] = {}
    for application in asking:
        assert application.id is not None
        postcode, name = application.venue["postcode"], application.venue["name"]
        same = [
            LooksTheSame(
                kind="venue", id=venue.id or 0, name=venue.name, postcode=postcode,
                words=f"{venue.name} ({venue.ref}) is a Safe Place at {postcode} already."
                if venue.active
                else f"{venue.name} ({venue.ref}) at {postcode} was a Safe Place (withdrawn).",
            )
            for venue in venues
            if venue.postcode == postcode
            and venue.id != application.venue_id
            and names_alike(name, venue.name)
        ] + [
            LooksTheSame(
                kind="application", id=other.id or 0, name=other.venue["name"], postcode=postcode,
                words=f"{other.venue['name']} at {postcode} applied too. "
                "That application is not decided yet.",
            )
            for other in others
            if other.id != application.id
            and other.venue["postcode"] == postcode
            and names_alike(name, other.venue["name"])
        ]  # fmt: skip
        if same:
            alike[application.id] = same
    return alike


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


def _claim(
    session: Session,
    application: Application,
    officer: Account,
    to: ApplicationStatus,
    now: datetime,
) -> None:
    """Decide it, only if no one has: the first statement of the change (a row lock on
    PostgreSQL, the write lock on SQLite), so two decisions at once cannot both hold."""
    now = now.astimezone(UTC)
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
    decided = application.decided_at
    when = stored_utc(decided).astimezone(LONDON).date().isoformat() if decided else "before"
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
    try:
        # A new ETag for the account: an officer's change from before must not drop this link.
        claim_account(session, existing)
    except AccountChanged:
        session.rollback()
        raise Taken(SAME_MOMENT, code="conflict") from None
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
    now: datetime,
) -> Approval:
    """The venue, its vetting and its staff account, all or nothing, then committed.
    Officers only (the route's rule): an officer may set every venue field."""
    require_new(application)
    require_trained_staff(application, min_trained_staff)
    assert application.id is not None
    _claim(session, application, officer, ApplicationStatus.approved, now)
    today = now.astimezone(LONDON).date()
    values = checked({}, {**application.venue, "ref": new_ref(session, application.id)}, today)
    venue = create_venue(session, values, officer)
    assert venue.id is not None
    account, password, said = _staff_account(session, application.contact_email, venue)
    session.add(
        VenueVetting(
            venue_id=venue.id,
            trained_staff=application.trained_staff,
            training_date=application.training_date,
            updated_at=now.astimezone(UTC),
        )
    )
    application.venue_id = venue.id
    session.add(application)
    _commit_or_refuse(session)
    return Approval(
        application=shown(application, min_trained_staff, now),
        venue_id=venue.id,
        venue_ref=venue.ref,
        account_email=account.email,
        account_created=password is not None,
        one_time_password=password,
        message=f"{venue.name} is now a Safe Place. {said}",
    )


def decline(
    session: Session, application: Application, officer: Account, reason: str, now: datetime
) -> None:
    reason = reason.strip()
    if not reason:
        raise Invalid("reason is required: say why, in a few words.", field="reason")
    if problems := text_problems("reason", reason):
        raise Invalid(problems)
    require_new(application)
    _claim(session, application, officer, ApplicationStatus.declined, now)
    application.decline_reason = reason
    session.add(application)
    _commit_or_refuse(session)


def _commit_or_refuse(session: Session) -> None:
    """A new ref or account another change took at the same moment: nothing kept."""
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Taken(SAME_MOMENT, code="conflict") from None


# --- vetting --------------------------------------------------------------------------


def vetting_of(session: Session, venue_id: int) -> VettingPublic:
    found = session.get(VenueVetting, venue_id)
    if found is None:
        return VettingPublic(venue_id=venue_id)
    return VettingPublic.model_validate(found, from_attributes=True)


def set_vetting(
    session: Session, venue_id: int, vetting: VettingIn, now: datetime
) -> VettingPublic:
    if (
        vetting.police_check_date is not None
        and vetting.police_check_date > now.astimezone(LONDON).date()
    ):
        raise Invalid(
            "police_check_date cannot be after today. Give the day the check was done.",
            field="police_check_date",
        )
    row = session.get(VenueVetting, venue_id) or VenueVetting(venue_id=venue_id)
    for name, value in vetting.model_dump().items():
        setattr(row, name, value)
    row.updated_at = now.astimezone(UTC)
    session.add(row)
    _commit_or_refuse(session)
    return vetting_of(session, venue_id)
