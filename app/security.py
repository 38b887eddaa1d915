"""Passwords (argon2, through pwdlib), signed access tokens, and sign-in throttling."""

import secrets
import threading
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from functools import cache

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

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


def one_time_password() -> str:
    """A password an officer passes on; the person must replace it at first sign-in."""
    return secrets.token_urlsafe(12)


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


class SignInThrottle:
    """Refuses sign-ins after too many recent failures for one account or one address.

    Kept in memory, per server process: with several instances an attacker gets
    a few more tries in all, never unlimited ones.
    """

    def __init__(
        self, per_account: int = 5, per_address: int = 20, window_seconds: float = 900
    ) -> None:
        self._limits = {"account": per_account, "address": per_address}
        self._window = window_seconds
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        failures = self._failures.get(key, deque())
        while failures and failures[0] <= now - self._window:
            failures.popleft()
        if not failures:
            self._failures.pop(key, None)  # forget the old, so memory stays bounded
        return failures

    def retry_after(self, account: str, address: str) -> int:
        """Seconds to wait before trying again, or 0 when a try is allowed."""
        now = time.monotonic()
        with self._lock:
            waits = [
                self._window - (now - failures[0])
                for key in (("account", account), ("address", address))
                if len(failures := self._recent(key, now)) >= self._limits[key[0]]
            ]
        return max(1, int(max(waits)) + 1) if waits else 0

    def failed(self, account: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in (("account", account), ("address", address)):
                self._failures[key] = self._recent(key, now)
                self._failures[key].append(now)

    def succeeded(self, account: str) -> None:
        with self._lock:
            self._failures.pop(("account", account), None)
