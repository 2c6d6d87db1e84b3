"""Exception hierarchy.

User errors (bad input, bad mapping, bad checklist, wrong usage) are apart from internal
crashes: the CLI shows a user error as a one-paragraph message and exits with its code;
anything else is a bug (exit 1). Findings about the *data* (an unparseable date in one cell)
are never raised: they are recorded as data (see ``ivoaudit.schema``).
"""

from __future__ import annotations


class IvoauditError(Exception):
    """Base of every error ivoaudit raises on purpose."""

    exit_code = 1


class UserError(IvoauditError):
    """An error the user can fix; its message says what and where and what to do."""

    exit_code = 3


class UsageError(UserError):
    """Wrong command-line usage (exit 2)."""

    exit_code = 2


class InputError(UserError):
    """The extract cannot be read (exit 3)."""


class MappingError(UserError):
    """The mapping file is invalid (exit 3)."""


class ChecklistError(UserError):
    """A checklist file is invalid (exit 3)."""


class StoreError(UserError):
    """The audit store cannot be used as asked (exit 3)."""


class ReviewFormError(UserError):
    """A review form is refused (exit 3); ``problems`` lists every problem found."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or []
