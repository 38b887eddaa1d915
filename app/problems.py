"""Why something cannot be done, said plainly: the domain's errors, with no HTTP in them.

Rules (who may, what is valid, what is stale) raise these; `app.http.errors` maps each
kind to its HTTP status in one table, so a rule never chooses a status code and a
status code never carries a rule. `field` names the value at fault when there is
one, so a form can put the words beside it; `code` is a stable word for programs.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One value at fault: which (`field`), a stable `code`, and what to do (`message`)."""

    field: str | None
    code: str
    message: str


class Problem(Exception):
    """Something a person can act on: `message` says what is wrong and what to do."""

    code = "problem"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code

    @property
    def problems(self) -> list[FieldProblem]:
        return [FieldProblem(self.field, self.code, self.message)]


class SignInNeeded(Problem):
    """No sign-in, or one that has ended."""

    code = "sign_in"


class NotAllowed(Problem):
    """Signed in, but this account may not do this (its role, or not its venue)."""

    code = "not_allowed"


class NotFound(Problem):
    code = "not_found"


class Taken(Problem):
    """The value is already used by another record (a ref, an email)."""

    code = "taken"


class Stale(Problem):
    """Changed by someone else since it was read: nothing of this change was kept."""

    code = "stale"


class ReadItFirst(Problem):
    """A change that does not say which version it was made from (no If-Match)."""

    code = "if_match"


class TooSoon(Problem):
    """Too many tries: wait `retry_after` seconds, then try again."""

    code = "too_many_tries"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Busy(Problem):
    """Cannot be done just now (a long piece of work still running): try again after
    `retry_after` seconds."""

    code = "busy"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TooBig(Problem):
    code = "too_big"


class WrongKind(Problem):
    """Not a kind of file this accepts."""

    code = "wrong_kind"


class Invalid(Problem):
    """The values would not be valid: one problem per value at fault."""

    code = "invalid"

    def __init__(self, problems: list[FieldProblem] | str, *, field: str | None = None) -> None:
        if isinstance(problems, str):
            problems = [FieldProblem(field, self.code, problems)]
        said = (
            each.message if each.message.endswith((".", "?", "!")) else f"{each.message}."
            for each in problems
        )
        super().__init__(" ".join(said), field=problems[0].field if problems else field)
        self._problems = problems

    @property
    def problems(self) -> list[FieldProblem]:
        return self._problems
