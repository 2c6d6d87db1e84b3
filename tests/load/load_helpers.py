"""Helpers for the loader tests: one logical extract written in every supported form."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl

# Valid personnummer, checked with the independent ``personnummer`` package:
# 19121212-1212 (man), 19900101-0017 (man), 20010203-0020 (woman).
PNR_MAN = "19121212-1212"
PNR_A = "19900101-0017"
PNR_B = "20010203-0020"

HEADERS = [
    "Ärendenr",
    "Personnr",
    "Verksamhetsområde",
    "Enhet",
    "Handläggare",
    "Anmälan inkom",
    "Beslut förhandsbedömning",
    "Utfall förhandsbedömning",
    "Övrig kommentar",
]
ROWS = [
    [
        "Ä-1",
        PNR_MAN,
        "Barn och unga",
        "Öster",
        "Åsa Öberg",
        "2024-01-05",
        "2024-01-15",
        "Inleda utredning",
        "båt",
    ],
    ["Ä-2", PNR_A, "äldre", "Väster", "Örjan", "2024-02-29", "", "not_open", ""],
    ["Ä-3", "", "barn_unga", "Öster", "", "2023-12-31", "2024-01-14", "JOINED", "ö"],
    ["Ä-4", PNR_B, "Missbruk", "Norr", "Ärlig Åkesson", "2024-03-01", "2024-03-20", "open", ""],
]


def write_csv(
    path: Path,
    headers: list[str],
    rows: list[list[str]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    """Write rows as a CSV file (QUOTE_MINIMAL, CRLF as Excel does)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_xlsx(
    path: Path,
    headers: list[str],
    rows: list[list[object]],
    *,
    sheet: str = "Uttag",
    real_dates: bool = True,
    extra_sheets: tuple[str, ...] = (),
) -> Path:
    """Write rows to a workbook; ISO date strings become real date cells when ``real_dates``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        cells: list[object] = []
        for value in row:
            if real_dates and isinstance(value, str) and len(value) == 10 and value[4] == "-":
                with contextlib.suppress(ValueError):
                    value = dt.datetime.strptime(value, "%Y-%m-%d")
            cells.append(None if value == "" else value)
        ws.append(cells)
    for name in extra_sheets:
        wb.create_sheet(name)
    wb.save(path)
    return path
