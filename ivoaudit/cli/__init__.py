"""The command line: a thin shell over the library.

Each command parses its options, calls one library function and prints the outcome. The
group, the list of commands and the one error boundary are in :mod:`ivoaudit.cli.main`;
what commands share (bilingual help, ``--lang``, the extract options, ``--db``) is in
:mod:`ivoaudit.cli.options`; each command is one ``cmd_NAME.py``.
"""

from ivoaudit.cli.main import main, program

__all__ = ["main", "program"]
