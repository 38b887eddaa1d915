"""Passwords (argon2, through pwdlib), signed access tokens, and sign-in throttling
(counted in the database, so every instance sharing it counts the same tries)."""

import hashlib
import ipaddress
import math
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Literal

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    and_,
    case,
    delete,
    func,
    insert,
    not_,
    or_,
    select,
    true,
    update,
)
from sqlmodel import col

from app.models import SignInAttempt

ACCESS_TOKEN_MINUTES = 15
ALGORITHM = "HS256"

_hasher = PasswordHash((Argon2Hasher(),))


@cache
def _dummy_hash() -> str:
    """Checked against when the email is unknown, so that a wrong email and a wrong
    password cost the same time and get the same answer. Made at first use: a
    hash costs 0.1 s and 64 MB for a moment, which start-up need not pay."""
    return _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """True when the password matches; spends the same effort when there is no account."""
    if password_hash is None:
        _hasher.verify(password, _dummy_hash())
        return False
    return _hasher.verify(password, password_hash)


# Letters and digits that cannot be mistaken for one another read out or handwritten:
# no i, l, 1, o or 0 (and lower case only, so no I/l either). 31 of them.
PASSWORD_LETTERS = "abcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_GROUPS, GROUP_LETTERS = 5, 4


def one_time_password() -> str:
    """A password an officer passes on ("7kqm-x3tp-…", 99 bits); the person must replace
    it at first sign-in. In groups of 4, to read out and to type from a note."""
    return "-".join(
        "".join(secrets.choice(PASSWORD_LETTERS) for _ in range(GROUP_LETTERS))
        for _ in range(PASSWORD_GROUPS)
    )


def create_access_token(account_id: int, token_version: int, secret_key: str) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(account_id),
        "ver": token_version,
        "iat": now,
        "exp": now + timedelta(minutes=ACCESS_TOKEN_MINUTES),
    }
    return jwt.encode(claims, secret_key, algorithm=ALGORITHM)


class BadToken(Exception):
    """Expired, malformed, forged, or otherwise not ours."""


def read_access_token(token: str, secret_key: str) -> tuple[int, int]:
    """(account id, token version) from a token we signed and that has not expired."""
    try:
        claims = jwt.decode(
            token, secret_key, algorithms=[ALGORITHM], options={"require": ["sub", "exp", "ver"]}
        )
        return int(claims["sub"]), int(claims["ver"])
    except (jwt.PyJWTError, ValueError, TypeError) as error:
        raise BadToken(str(error)) from None


class TooManyTries(Exception):
    """A sign-in try refused before its password is checked."""

    def __init__(self, wait_seconds: int, elsewhere: bool) -> None:
        super().__init__(wait_seconds)
        self.wait_seconds = wait_seconds
        # Only the account's own limit refused it: the failures came from other
        # addresses, and the account's owner can still sign in where they did before.
        self.elsewhere = elsewhere


@dataclass(frozen=True)
class SignInLimits:
    """How many failed tries within the window refuse which new tries."""

    per_account_and_address: int = 5
    per_address: int = 20
    per_account: int = 20
    window_seconds: float = 15 * 60
    # An address where the account signed in this recently is taken to be its owner's.
    known_address_seconds: float = 30 * 24 * 60 * 60


Limit = Literal["account_and_address", "address", "account"]


def limits_reached(
    failures: dict[Limit, int], known_address: bool, limits: SignInLimits
) -> list[tuple[Limit, int]]:
    """The limits a new try would go over, each with the failures it allows."""
    allowed: dict[Limit, int] = {"account_and_address": limits.per_account_and_address}
    if not known_address:  # the owner's own address answers only to its own failures
        allowed |= {"address": limits.per_address, "account": limits.per_account}
    return [(limit, most) for limit, most in allowed.items() if failures[limit] >= most]


def account_key(email: str) -> str:
    return hashlib.sha256(email.encode("utf-8", "backslashreplace")).hexdigest()


def address_key(host: str) -> str:
    """What the limits count by: the IP address, or an IPv6 client's whole /64 network
    (a device is handed a /64 to pick addresses from)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:  # a test client's name, a Unix socket: nothing to read
        return "name:" + hashlib.sha256(host.encode("utf-8", "backslashreplace")).hexdigest()[:32]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


@dataclass(frozen=True)
class SignInTry:
    id: int
    account: str
    address: str


def _tally(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _nth_latest(connection: Connection, condition: ColumnElement[bool], n: int) -> float | None:
    """When the n-th latest try matching `condition` began (None if there are fewer)."""
    query = (
        select(col(SignInAttempt.at))
        .where(condition)
        .order_by(col(SignInAttempt.at).desc())
        .offset(n - 1)
        .limit(1)
    )
    return connection.execute(query).scalar()


class SignInThrottle:
    """Refuses sign-in tries after too many recent failures, counted in the database so
    that every instance sharing it counts the same tries.

    Within 15 minutes: 5 failures for one account from one address refuse that address
    for that account; 20 from one address refuse it for other accounts too; 20 for one
    account, from anywhere, refuse it at other addresses too. Only the first limit
    holds where the account signed in within 30 days, so an attacker elsewhere cannot
    lock the owner out: only failures from the owner's own address can.

    A try is written down as a failure before its password is checked, and counted
    after, so tries in flight on other instances count too: however many arrive at
    once, no more than the limit are checked. A refused try is not counted.
    """

    def __init__(
        self,
        engine: Engine,
        limits: SignInLimits | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._engine = engine
        self._limits = limits or SignInLimits()
        self._clock = clock
        self._next_prune = 0.0
        self._prune_lock = threading.Lock()

    def begin(self, email: str, host: str) -> SignInTry:
        """A try that counts as a failure until `succeeded`; raises TooManyTries."""
        account, address = account_key(email), address_key(host)
        # Read-only first: hammering a closed door costs the database no writes.
        self._refuse_if_over(account, address, own=None)
        row = {"account": account, "address": address, "at": self._clock(), "succeeded": False}
        with self._engine.begin() as connection:
            added = insert(SignInAttempt).values(row).returning(col(SignInAttempt.id))
            own = connection.execute(added).scalar_one()
            assert own is not None
        try:
            self._refuse_if_over(account, address, own)  # others may have come in meanwhile
        except TooManyTries:
            with self._engine.begin() as connection:
                connection.execute(delete(SignInAttempt).where(col(SignInAttempt.id) == own))
            raise
        self._prune_now_and_then()
        return SignInTry(own, account, address)

    def succeeded(self, attempt: SignInTry) -> None:
        """The password was right: this address's earlier failures for the account are
        forgiven, and the address is known as the owner's."""
        earlier_failures = (
            select(col(SignInAttempt.id))
            .where(
                col(SignInAttempt.account) == attempt.account,
                col(SignInAttempt.address) == attempt.address,
                not_(col(SignInAttempt.succeeded)),
                col(SignInAttempt.id) < attempt.id,
            )
            .with_for_update(skip_locked=True)  # never wait on another instance: no deadlock
        )
        with self._engine.begin() as connection:
            connection.execute(
                update(SignInAttempt)
                .where(col(SignInAttempt.id) == attempt.id)
                .values(succeeded=True)
            )
            connection.execute(
                delete(SignInAttempt).where(col(SignInAttempt.id).in_(earlier_failures))
            )

    def _refuse_if_over(self, account: str, address: str, own: int | None) -> None:
        now, limits = self._clock(), self._limits
        failure = and_(
            not_(col(SignInAttempt.succeeded)),
            col(SignInAttempt.at) > now - limits.window_seconds,
            col(SignInAttempt.id) != own if own is not None else true(),
        )
        same_account = col(SignInAttempt.account) == account
        same_address = col(SignInAttempt.address) == address
        groups: dict[Limit, ColumnElement[bool]] = {
            "account_and_address": and_(same_account, same_address),
            "address": same_address,
            "account": same_account,
        }
        known = and_(
            col(SignInAttempt.succeeded),
            groups["account_and_address"],
            col(SignInAttempt.at) > now - limits.known_address_seconds,
        )
        since = now - max(limits.window_seconds, limits.known_address_seconds)
        counts = select(
            *(_tally(and_(failure, group)) for group in groups.values()), _tally(known)
        ).where(or_(same_account, same_address), col(SignInAttempt.at) > since)
        with self._engine.connect() as connection:
            *failures, known_here = map(int, connection.execute(counts).one())
            over = limits_reached(dict(zip(groups, failures, strict=True)), known_here > 0, limits)
            if not over:
                return
            # When the most-th latest failure leaves the window, fewer than most remain.
            latest = [
                _nth_latest(connection, and_(failure, groups[limit]), most) for limit, most in over
            ]
        wait = max((at + limits.window_seconds - now for at in latest if at is not None), default=1)
        elsewhere = [limit for limit, _ in over] == ["account"]
        raise TooManyTries(max(1, math.ceil(wait)), elsewhere)

    def _prune_now_and_then(self) -> None:
        """Forget failures older than the window and sign-ins older than 30 days, at
        most once a minute per process."""
        now, limits = self._clock(), self._limits
        with self._prune_lock:
            if now < self._next_prune:
                return
            self._next_prune = now + 60
        stale = or_(
            and_(
                not_(col(SignInAttempt.succeeded)),
                col(SignInAttempt.at) < now - limits.window_seconds,
            ),
            col(SignInAttempt.at) < now - limits.known_address_seconds,
        )
        doomed = select(col(SignInAttempt.id)).where(stale).with_for_update(skip_locked=True)
        with self._engine.begin() as connection:
            connection.execute(delete(SignInAttempt).where(col(SignInAttempt.id).in_(doomed)))
