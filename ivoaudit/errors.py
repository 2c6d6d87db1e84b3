"""Exception hierarchy.

User errors (bad input, bad mapping, bad checklist, wrong usage) are apart from internal
crashes: the CLI shows a user error as a one-paragraph message and exits with its code;
anything else is a bug (exit 1). Findings about the *data* (an unparseable date in one cell)
are never raised: they are recorded as data (see ``ivoaudit.schema``).
"""

from __future__ import annotations

import errno


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


def os_error_message(exc: OSError) -> str:
    """What went wrong with a file, and what to do, for an error the operating system gave.

    Used by the CLI's error boundary (exit 3) and the web app: a full disk, a read-only
    folder or a path that loops is the user's to fix, not a bug. Names the file; never
    suggests closing a file in Excel unless access was denied.
    """
    from ivoaudit.i18n import t

    where = exc.filename if exc.filename is not None else t("en fil", "a file")
    texts = _OS_ERRORS.get(exc.errno or 0)
    if texts is None:
        return t("{f} kan inte läsas eller skrivas ({e}). Kontrollera sökvägen och försök igen.",
                 "{f} cannot be read or written ({e}). Check the path and try again.",
                 f=where, e=exc.strerror or exc)
    return t(*texts, f=where)


_OS_ERRORS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("Disken är full: {f} kunde inte skrivas klart och har inte ändrats. Frigör utrymme "
                   "eller välj en annan mapp, och försök igen.",
                   "The disk is full: {f} could not be written completely and is unchanged. Free some "
                   "space or choose another folder, and try again."),
    errno.EDQUOT: ("Din lagringskvot är slut: {f} kunde inte skrivas klart och har inte ändrats. Frigör "
                   "utrymme eller välj en annan mapp.",
                   "Your storage quota is used up: {f} could not be written completely and is "
                   "unchanged. Free some space or choose another folder."),
    errno.EROFS: ("{f} ligger på en skrivskyddad enhet. Välj en mapp du kan skriva i.",
                  "{f} is on a read-only drive. Choose a folder you can write to."),
    errno.ELOOP: ("{f} går inte att nå: sökvägen innehåller länkar som pekar på varandra i en slinga. "
                  "Ange den verkliga sökvägen.",
                  "{f} cannot be reached: the path has links that point at each other in a loop. "
                  "Give the real path."),
    errno.ENAMETOOLONG: ("Sökvägen {f} är för lång för filsystemet. Välj en kortare mapp eller ett "
                         "kortare filnamn.",
                         "The path {f} is too long for the file system. Choose a shorter folder or "
                         "file name."),
    errno.EACCES: ("{f} kan inte öppnas eller skrivas (åtkomst nekad). Stäng filen om den är öppen i "
                   "Excel, Word eller något annat program, eller välj en mapp du har behörighet till, "
                   "och försök igen.",
                   "{f} cannot be opened or written (access denied). Close the file if it is open in "
                   "Excel, Word or another program, or choose a folder you have access to, and try "
                   "again."),
    errno.EPERM: ("{f} får inte ändras (åtgärden är inte tillåten). Välj en mapp du har behörighet till.",
                  "{f} may not be changed (operation not permitted). Choose a folder you have access "
                  "to."),
    errno.EISDIR: ("{f} är en mapp, inte en fil. Ange ett filnamn.",
                   "{f} is a folder, not a file. Give a file name."),
    errno.ENOTDIR: ("En del av sökvägen {f} är en fil, inte en mapp. Kontrollera sökvägen.",
                    "Part of the path {f} is a file, not a folder. Check the path."),
    errno.ENOENT: ("{f} finns inte. Kontrollera sökvägen.", "{f} does not exist. Check the path."),
    errno.EEXIST: ("{f} finns redan och kan inte ersättas. Välj ett annat namn.",
                   "{f} exists already and cannot be replaced. Choose another name."),
    errno.EBUSY: ("{f} används av ett annat program. Stäng det och försök igen.",
                  "{f} is in use by another program. Close it and try again."),
    errno.EMFILE: ("För många öppna filer. Stäng andra program och försök igen.",
                   "Too many open files. Close other programs and try again."),
    errno.EFBIG: ("{f} blev för stor för filsystemet och har inte ändrats. Välj en annan mapp.",
                  "{f} grew too large for the file system and is unchanged. Choose another folder."),
    errno.EIO: ("Läs- eller skrivfel på disken för {f}. Kontrollera enheten och försök igen.",
                "A disk read or write error on {f}. Check the drive and try again."),
}


class ImportRefusedError(ReviewFormError):
    """An Excel file the tracking imports read (the action register, an IVO decision) is
    refused as a whole (exit 3); ``problems`` lists every problem found, numbered on screen."""
