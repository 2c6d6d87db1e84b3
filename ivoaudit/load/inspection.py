"""What the loader saw in an extract: the data behind ``ivoaudit inspect``.

:func:`inspect_extract` turns a :class:`~ivoaudit.schema.LoadedExtract` into a plain dict
(the JSON output, stable); :func:`render_text` renders it for a reader who is not a
programmer. The dict:

``file`` (name), ``format`` (``csv``/``xlsx``), ``encoding``, ``delimiter`` (CSV, else
null), ``sheet`` (XLSX, else null), ``fingerprint`` (sha256 of the file),
``rows`` (data rows in the file), ``loaded`` (cases), ``quarantined`` (rows not loaded),
``continued_lines`` (CSV lines that continue a cell with a line break of the row before: with
``loaded`` and ``quarantined`` they account for every line after the header);

``fields``: one object per field present, in canonical order: ``field`` (canonical name),
``label`` (in the current language), ``header`` (the column in the extract, null when the
value is a constant or derived), ``source`` (``column``, ``constant`` or ``derived``),
``filled`` (loaded rows whose cell had a value, valid or not), ``invalid`` (of those, the
ones that could not be read), ``blank``, and for date fields ``min``/``max`` (ISO dates of
the valid values, null when none);

``unrecognised``: headers not used for any field; ``absent``: canonical fields the
extract does not have; ``date_range``: ``min``/``max`` over all case date fields except
``birth_date``;

``problems`` and ``quarantine``: ``total`` and ``groups``, one per problem code, largest
first: ``code``, ``label``, ``count``, ``examples`` (the first ``examples`` rows by row
number: ``row``, ``case_id``, ``column``, ``value``, ``problem``; personnummer are already
masked);

``notes``: what the loader did on its own (duplicates collapsed, fields derived).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ivoaudit.fields import EVENT_FIELDS, FIELDS, FieldType
from ivoaudit.i18n import t
from ivoaudit.load.extract import load_events, load_extract
from ivoaudit.load.headers import printable
from ivoaudit.normalise.pseudonyms import throwaway_key
from ivoaudit.problems import problem_title
from ivoaudit.schema import LoadedExtract

DEFAULT_EXAMPLES = 5


def inspect_file(
    path: str | Path,
    mapping: Any = None,
    sheet: str | None = None,
    events: bool = False,
    examples: int = DEFAULT_EXAMPLES,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> dict[str, Any]:
    """Load ``path`` and return :func:`inspect_extract`'s report.

    A throwaway pseudonymisation key is used: inspecting shows no pseudonyms, so it should
    not create the local key file.
    """
    if events:
        extract = load_events(path, mapping=mapping, sheet=sheet, secret=throwaway_key(), encoding=encoding,
                              delimiter=delimiter)
    else:
        extract = load_extract(path, mapping=mapping, sheet=sheet, keyed=False, encoding=encoding,
                               delimiter=delimiter)
    return inspect_extract(extract, examples=examples)


def _iso(value: Any) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def inspect_extract(extract: LoadedExtract, examples: int = DEFAULT_EXAMPLES) -> dict[str, Any]:
    """The report data for one loaded extract (see the module docstring for its keys)."""
    specs = {f.name: f for f in (*FIELDS, *EVENT_FIELDS)}
    catalogue = EVENT_FIELDS if "event_date" in extract.cases.columns else FIELDS
    cases, invalid = extract.cases, extract.invalid
    fields: list[dict[str, Any]] = []
    lows: list[Any] = []
    highs: list[Any] = []
    for name in extract.fields:
        spec = specs.get(name)
        column = cases[name]
        bad = int(invalid[name].sum()) if name in invalid else 0
        valid = int(column.notna().sum())
        if name in extract.columns:
            source, header = "column", extract.columns[name]
        elif name in extract.constants:
            source, header = "constant", None
        else:
            source, header = "derived", None
        entry: dict[str, Any] = {
            "field": name,
            "label": (t(spec.sv, spec.en) if spec else name),
            "header": header,
            "source": source,
            "filled": valid + bad,
            "invalid": bad,
            "blank": len(cases) - valid - bad,
        }
        if spec is not None and spec.type is FieldType.DATE:
            low, high = (column.min(), column.max()) if valid else (None, None)
            entry["min"], entry["max"] = _iso(low), _iso(high)
            if valid and name != "birth_date":
                lows.append(low)
                highs.append(high)
        fields.append(entry)
    present = set(extract.fields)
    return {
        "file": Path(extract.source.path).name,
        "format": extract.source.format,
        "encoding": extract.source.encoding,
        "delimiter": extract.source.delimiter,
        "sheet": extract.source.sheet,
        "fingerprint": extract.source.fingerprint,
        "rows": int(extract.source.rows),
        "loaded": len(cases),
        "quarantined": len(extract.quarantine),
        "continued_lines": list(extract.source.continued),
        "fields": fields,
        "unrecognised": list(extract.unrecognised),
        "absent": [f.name for f in catalogue if f.name not in present],
        "date_range": {
            "min": _iso(min(lows)) if lows else None,
            "max": _iso(max(highs)) if highs else None,
        },
        "problems": _groups(extract.problems, examples),
        "quarantine": _groups(extract.quarantine, examples),
        "notes": list(extract.notes),
    }


def _groups(frame: pd.DataFrame, examples: int) -> dict[str, Any]:
    groups = []
    if len(frame):
        counts = frame["code"].value_counts()
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
        for code, count in ordered:
            part = frame[frame["code"] == code].sort_values("row", kind="stable").head(examples)
            groups.append(
                {
                    "code": str(code),
                    "label": problem_title(str(code)),
                    "count": int(count),
                    "examples": [
                        {
                            "row": int(r.row),
                            "case_id": None if r.case_id is None or pd.isna(r.case_id) else str(r.case_id),
                            "column": r.column or None,
                            "value": None if r.value is None or pd.isna(r.value) else str(r.value),
                            "problem": r.problem,
                        }
                        for r in part.itertuples(index=False)
                    ],
                }
            )
    return {"total": len(frame), "groups": groups}


_DELIMITER_NAMES = {
    ",": ("komma (,)", "comma (,)"),
    ";": ("semikolon (;)", "semicolon (;)"),
    "\t": ("tabb", "tab"),
}


def render_text(report: dict[str, Any]) -> str:
    """The report as plain text in the current language, for reading in a terminal."""
    lines = [*_file_lines(report), "", *_field_table(report), "", *_column_lines(report)]
    for key, title_sv, title_en in (
        (
            "problems",
            "Datakvalitetsproblem i celler (raden läses in, cellen räknas som ogiltig)",
            "Data-quality problems in cells (the row is loaded, the cell counts as invalid)",
        ),
        ("quarantine", "Rader som inte lästes in (karantän)", "Rows not loaded (quarantine)"),
    ):
        lines += ["", *_problem_lines(report[key], t(title_sv, title_en))]
    if report["notes"]:
        lines.append("")
        lines.append(t("Noteringar:", "Notes:"))
        lines.extend(f"  - {note}" for note in report["notes"])
    # Cells of the extract are printed: no control sequence of theirs reaches the terminal.
    return "\n".join(printable(line) for line in lines) + "\n"


def _file_lines(report: dict[str, Any]) -> list[str]:
    """The file, its format, its rows and the span of its dates."""
    lines = [t("Uttag: {f}", "Extract: {f}", f=report["file"])]
    if report["format"] == "csv":
        sv, en = _DELIMITER_NAMES.get(report["delimiter"], (report["delimiter"],) * 2)
        lines.append(
            t(
                "Format: CSV, teckenkodning {e}, avgränsare {d}",
                "Format: CSV, encoding {e}, delimiter {d}",
                e=report["encoding"],
                d=t(sv, en),
            )
        )
    else:
        lines.append(
            t(
                'Format: Excel (xlsx), blad "{s}"',
                'Format: Excel (xlsx), sheet "{s}"',
                s=report["sheet"],
            )
        )
    lines.append(
        t(
            "Rader: {rows} datarader, {loaded} inlästa, {q} ej inlästa (karantän)",
            "Rows: {rows} data rows, {loaded} loaded, {q} not loaded (quarantine)",
            rows=report["rows"],
            loaded=report["loaded"],
            q=report["quarantined"],
        )
    )
    span = report["date_range"]
    if span["min"]:
        lines.append(t("Datum: {a} – {b}", "Dates: {a} – {b}", a=span["min"], b=span["max"]))
    return lines


def _field_table(report: dict[str, Any]) -> list[str]:
    """One line per field: where it comes from, how many cells are filled and invalid, the
    span of its dates; columns aligned, numbers to the right."""
    head = (
        t("Fält", "Field"),
        t("Kolumn i uttaget", "Column in the extract"),
        t("Ifyllda", "Filled"),
        t("Ogiltiga", "Invalid"),
        t("Från–till", "From–to"),
    )
    table = []
    for f in report["fields"]:
        if f["source"] == "constant":
            where = t("(fast värde)", "(constant)")
        elif f["source"] == "derived":
            where = t("(ur personnumret)", "(from the personal number)")
        else:
            where = f["header"]
        span_text = f"{f['min']} – {f['max']}" if f.get("min") else ""
        table.append(
            (f"{f['label']} ({f['field']})", where, str(f["filled"]), str(f["invalid"]), span_text)
        )
    widths = [max(len(r[i]) for r in [head, *table]) for i in range(5)]
    lines = []
    for i, row in enumerate([head, *table]):
        cells = [
            row[0].ljust(widths[0]),
            row[1].ljust(widths[1]),
            row[2].rjust(widths[2]),
            row[3].rjust(widths[3]),
            row[4],
        ]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths).rstrip())
    return lines


def _column_lines(report: dict[str, Any]) -> list[str]:
    """The headers not recognised and the fields the extract lacks."""
    lines = []
    if report["unrecognised"]:
        lines.append(
            t(
                "Kolumner som inte känns igen (används inte): {h}",
                "Columns not recognised (not used): {h}",
                h=", ".join(report["unrecognised"]),
            )
        )
    if report["absent"]:
        lines.append(
            t(
                "Fält som saknas i uttaget: {f}",
                "Fields the extract lacks: {f}",
                f=", ".join(report["absent"]),
            )
        )
    return lines


def _problem_lines(block: dict[str, Any], title: str) -> list[str]:
    """A problem or quarantine block: its total, then per kind the count and a few examples
    (row, case, column, value, what is wrong)."""
    lines = [f"{title}: {block['total']}"]
    for group in block["groups"]:
        lines.append(f"  {group['label']} ({group['code']}): {group['count']}")
        for ex in group["examples"]:
            where = t("rad {r}", "row {r}", r=ex["row"])
            if ex.get("case_id"):
                where += t(" (ärende {c})", " (case {c})", c=ex["case_id"])
            if ex["column"]:
                where += f", {ex['column']}"
            value = f' "{ex["value"]}"' if ex["value"] not in (None, "") else ""
            lines.append(f"    {where}:{value} – {ex['problem']}")
        more = group["count"] - len(group["examples"])
        if more > 0:
            lines.append(t("    … och {n} till", "    … and {n} more", n=more))
    return lines
