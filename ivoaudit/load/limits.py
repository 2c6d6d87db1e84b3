"""The limits on what the loader reads, each refused with a message that says what to do.

An extract is data from a case system: none of these is reached by a real one, and each
guards against a file that would otherwise exhaust memory or time (a cell of megabytes, a
zip bomb, a YAML alias bomb) or crash a library (nesting deeper than Python's recursion).
"""

from __future__ import annotations

from ivoaudit.errors import InputError
from ivoaudit.i18n import t

MAX_FILE_BYTES = 4 << 30  # an extract file (4 GB: ~20 million cases of a wide extract)
MAX_LINE_BYTES = 1 << 20  # one physical line of a CSV file (1 MB)
MAX_CELL_CHARS = 32_767  # one cell: Excel's own limit, so any extract Excel shows fits
MAX_COLUMNS = 16_384  # columns of an extract: Excel's own limit (A … XFD)
MAX_SHEET_ROWS = 1_048_576  # rows of a sheet: Excel's own limit
MAX_XLSX_UNPACKED = 1 << 30  # a workbook's content once unpacked (1 GB; 100 000 cases take ~150 MB)
MAX_SETTINGS_BYTES = 1 << 20  # a mapping file, a checklist, a JSON settings file (1 MB)
MAX_NESTING = 32  # levels of nesting in YAML or JSON
MAX_YAML_NODES = 100_000  # values in a YAML file once its aliases are expanded (a checklist has ~2 000)


def megabytes(size: int) -> int:
    """A byte count in whole megabytes (at least 1), for messages."""
    return max(1, round(size / (1 << 20)))


def cell_too_long(name: str, row: int, column: str) -> InputError:
    """A cell over :data:`MAX_CELL_CHARS` characters (CSV and XLSX)."""
    return InputError(t(
        "Cellen på rad {row}, kolumn \"{column}\" i {file} har mer än {limit} tecken, mer än Excel "
        "rymmer i en cell. Kontrollera att filen är ett uttag och att citattecknen (\") står rätt, "
        "eller korta texten i verksamhetssystemet.",
        "The cell on row {row}, column \"{column}\" of {file} holds more than {limit} characters, more "
        "than Excel holds in a cell. Check that the file is an extract and that its double quotes are "
        "right, or shorten the text in the case system.", row=row, column=column, file=name,
        limit=MAX_CELL_CHARS))
