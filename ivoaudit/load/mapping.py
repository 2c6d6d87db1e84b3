"""Mapping files: an extract's own headers and codes onto the canonical fields.

The format is the one in ``shared/spec/data-model.md``::

    sheet: "Aktualiseringar"       # XLSX only; default: first sheet (--sheet wins)
    columns:                       # canonical field: header in the extract
      case_id: "Ärendenr"
    values:                        # canonical value: list of the extract's codes
      preliminary_outcome:
        open: ["Inleda utredning", "Inleds"]
    constants:                     # fields the extract lacks but the user knows
      area: barn_unga
    dates:
      dayfirst: true
    recognise_headers: true        # ivoaudit addition, see below

Decision on headers the mapping does not name: they are still recognised by the built-in
synonyms (so a mapping need only list the headers that differ), unless the mapping says
``recognise_headers: false``. Mapped columns and constants always win over a synonym.

The file is read by :mod:`ivoaudit.load.yaml_json` (size, alias and nesting limits). The
validator is explicit rather than pydantic so that every message is in the user's
language and names the file, the key and what to do. Every mistake found is listed, not
only the first. Header names are checked against the extract later, when it is read
(:func:`ivoaudit.load.resolve_columns`), since only then are the headers known.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ivoaudit.errors import MappingError
from ivoaudit.fields import FIELDS, FieldSpec, FieldType
from ivoaudit.i18n import t
from ivoaudit.load.yaml_json import read_yaml_file
from ivoaudit.normalise.codes import code_table, fold_code

# fingerprint: the digest of the header row of the export the mapping is for (load.detect);
# reading a mapping ignores it.
TOP_LEVEL_KEYS = ("sheet", "columns", "values", "constants", "dates", "recognise_headers", "fingerprint")


@dataclass(frozen=True)
class MappingSpec:
    """A validated mapping file."""

    source: str  # file name (for messages), or "mapping" for an in-memory dict
    columns: dict[str, str] = field(default_factory=dict)  # field -> header in the extract
    values: dict[str, dict[str, str]] = field(
        default_factory=dict
    )  # field -> folded code -> canonical
    constants: dict[str, str] = field(default_factory=dict)  # field -> canonical value or text
    dayfirst: bool = False
    sheet: str | None = None
    recognise_headers: bool = True


def read_mapping(
    source: str | Path | Mapping[str, Any] | MappingSpec | None,
    fields: Sequence[FieldSpec] = FIELDS,
) -> MappingSpec:
    """Read and validate a mapping (a YAML file path or an already parsed dict).

    Raises :class:`~ivoaudit.errors.MappingError` listing every mistake, each naming the
    file and the key.
    """
    if source is None:
        return MappingSpec(source="")
    if isinstance(source, MappingSpec):
        return source
    if isinstance(source, Mapping):
        return _validate(dict(source), "mapping", fields)
    path = Path(source)
    name = path.name
    data = read_yaml_file(path, ("Mappningsfilen", "The mapping file"), MappingError)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise MappingError(
            t(
                "Mappningsfilen {file} ska bestå av nycklar som columns:, values: och constants:, "
                "men innehåller {kind}. Skriv den som exemplet i dokumentationen.",
                "The mapping file {file} should consist of keys such as columns:, values: and "
                "constants:, but contains {kind}. Write it as the example in the documentation.",
                file=name,
                kind=t("en lista", "a list") if isinstance(data, list) else t("en enda text", "a single text"),
            )
        )
    return _validate(data, name, fields)


def _suggest(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.5)
    return t(" Menade du {s}?", " Did you mean {s}?", s=close[0]) if close else ""


class _Errors:
    def __init__(self, file: str):
        self.file = file
        self.items: list[str] = []

    def add(self, key: str, sv: str, en: str, /, **kw: object) -> None:
        self.items.append(t("{key}: ", "{key}: ", key=key) + t(sv, en, **kw))

    def raise_if_any(self) -> None:
        if not self.items:
            return
        head = t(
            "Mappningsfilen {file} har {n} fel:",
            "The mapping file {file} has {n} error(s):",
            file=self.file,
            n=len(self.items),
        )
        body = " ".join(f"({i}) {item}" for i, item in enumerate(self.items, start=1))
        tail = t(" Rätta filen och försök igen.", " Correct the file and try again.")
        raise MappingError(f"{head} {body}{tail}")


def _as_code(value: object) -> str | None:
    """A YAML scalar as a code; YAML 1.1 reads yes/no/on/off as booleans."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str | int | float):
        return str(value)
    return None


def _validate(data: dict[Any, Any], file: str, fields: Sequence[FieldSpec]) -> MappingSpec:
    """The mapping file's contents checked section by section; every fault found is listed
    in one ``MappingError`` (top-level keys, sheet, columns, values, constants, dates)."""
    errors = _Errors(file)
    by_name = {f.name: f for f in fields}
    _check_top_level(data, errors)
    sheet = data.get("sheet")
    if sheet is not None and not isinstance(sheet, str | int):
        errors.add(
            "sheet",
            'ska vara bladets namn, till exempel sheet: "Blad1".',
            'should be the sheet\'s name, for example sheet: "Sheet1".',
        )
    out_columns = _columns(_section(data, "columns", errors), by_name, errors)
    out_values = _values(_section(data, "values", errors), by_name, fields, errors)
    out_constants = _constants(_section(data, "constants", errors), by_name, out_columns, out_values, errors)
    dayfirst = _dayfirst(_section(data, "dates", errors), errors)
    recognise = data.get("recognise_headers", True)
    if not isinstance(recognise, bool):
        errors.add("recognise_headers", "ska vara true eller false.", "should be true or false.")
        recognise = True

    errors.raise_if_any()
    return MappingSpec(
        source=file,
        columns=out_columns,
        values=out_values,
        constants=out_constants,
        dayfirst=dayfirst,
        sheet=None if sheet is None else str(sheet),
        recognise_headers=recognise,
    )


def _check_top_level(data: dict[Any, Any], errors: _Errors) -> None:
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            errors.add(
                str(key),
                "okänd nyckel; tillåtna är {allowed}.{hint}",
                "unknown key; allowed keys are {allowed}.{hint}",
                allowed=", ".join(TOP_LEVEL_KEYS),
                hint=_suggest(str(key), TOP_LEVEL_KEYS),
            )


def _columns(columns: dict[Any, Any], by_name: dict[str, FieldSpec], errors: _Errors) -> dict[str, str]:
    """``columns:``: field -> the extract's header, each header mapped to one field only."""
    seen_headers: dict[str, str] = {}
    out_columns: dict[str, str] = {}
    for name, header in columns.items():
        key = f"columns.{name}"
        if name not in by_name:
            errors.add(
                key,
                "okänt fält.{hint} Kör `ivoaudit inspect UTTAG` för att se alla fältnamn.",
                "unknown field.{hint} Run `ivoaudit inspect EXTRACT` to see every field name.",
                hint=_suggest(str(name), list(by_name)),
            )
            continue
        if (
            not isinstance(header, str | int | float)
            or isinstance(header, bool)
            or not str(header).strip()
        ):
            errors.add(
                key,
                'ska vara rubriken i uttaget, till exempel {name}: "Ärendenr".',
                'should be the header in the extract, for example {name}: "Case no".',
                name=name,
            )
            continue
        header = str(header)
        if header in seen_headers:
            errors.add(
                key,
                'rubriken "{h}" är redan mappad till {other}; en kolumn kan bara '
                "mappas till ett fält.",
                'the header "{h}" is already mapped to {other}; a column can be '
                "mapped to one field only.",
                h=header,
                other=seen_headers[header],
            )
            continue
        seen_headers[header] = name
        out_columns[name] = header
    return out_columns


def _values(values: dict[Any, Any], by_name: dict[str, FieldSpec], fields: Sequence[FieldSpec],
            errors: _Errors) -> dict[str, dict[str, str]]:
    """``values:``: per code field, canonical code -> the extract's codes for it."""
    out_values: dict[str, dict[str, str]] = {}
    for name, codes in values.items():
        key = f"values.{name}"
        spec = by_name.get(name)
        if spec is None:
            errors.add(
                key, "okänt fält.{hint}", "unknown field.{hint}", hint=_suggest(str(name), list(by_name))
            )
            continue
        if spec.type is not FieldType.CODE:
            errors.add(
                key,
                "fältet har inga koder (bara kodfält kan ha values: {allowed}).",
                "the field has no codes (only code fields can have values: {allowed}).",
                allowed=", ".join(f.name for f in fields if f.type is FieldType.CODE),
            )
            continue
        if not isinstance(codes, dict):
            errors.add(
                key,
                'ska vara kanoniskt värde: lista med uttagets koder, till exempel {code}: ["..."].',
                "should be canonical value: list of the extract's "
                'codes, for example {code}: ["..."].',
                code=spec.codes[0],
            )
            continue
        out_values[name] = _code_table(codes, spec, key, errors)
    return out_values


def _code_table(codes: dict[Any, Any], spec: FieldSpec, key: str, errors: _Errors) -> dict[str, str]:
    """One field's ``values:`` as folded extract code -> canonical code (a code given to two
    canonical values, or a canonical value the field does not have, is an error)."""
    table: dict[str, str] = {}
    origin: dict[str, str] = {}
    for canonical, listed in codes.items():
        canon = _as_code(canonical)
        ckey = f"{key}.{canon}"
        if canon not in spec.codes:
            errors.add(
                ckey,
                '"{c}" är inget värde för {field}; tillåtna är {allowed}.{hint}',
                '"{c}" is not a value of {field}; allowed are {allowed}.{hint}',
                c=canon,
                field=spec.name,
                allowed=", ".join(spec.codes),
                hint=_suggest(str(canon), spec.codes),
            )
            continue
        items = listed if isinstance(listed, list) else [listed]
        for item in items:
            if isinstance(item, bool) or _as_code(item) is None:
                errors.add(
                    ckey,
                    "koden {v} måste skrivas inom citattecken (YAML läser "
                    "ja/nej/yes/no/on/off utan citattecken som sant/falskt).",
                    "the code {v} must be written in quotes (YAML reads yes/no/on/off "
                    "without quotes as true/false).",
                    v=str(item).lower(),
                )
                continue
            code = fold_code(_as_code(item))
            if code in origin and origin[code] != canon:
                errors.add(
                    ckey,
                    'koden "{v}" är mappad två gånger, både till {a} och {b}; ta bort den ena.',
                    'the code "{v}" is mapped twice, to both {a} and {b}; remove one of them.',
                    v=item,
                    a=origin[code],
                    b=canon,
                )
                continue
            origin[code] = canon
            table[code] = canon
    return table


def _constants(constants: dict[Any, Any], by_name: dict[str, FieldSpec], out_columns: dict[str, str],
               out_values: dict[str, dict[str, str]], errors: _Errors) -> dict[str, str]:
    """``constants:``: a fixed value for a field the extract lacks (never a date, a person
    or a required field; a code through the field's codes and the file's own values)."""
    out_constants: dict[str, str] = {}
    for name, value in constants.items():
        key = f"constants.{name}"
        spec = by_name.get(name)
        if spec is None:
            errors.add(
                key, "okänt fält.{hint}", "unknown field.{hint}", hint=_suggest(str(name), list(by_name))
            )
            continue
        if spec.required or spec.type in (FieldType.DATE, FieldType.PERSON):
            errors.add(
                key,
                "fältet kan inte ges ett fast värde; det måste finnas som kolumn i uttaget.",
                "the field cannot be given a constant value; it must be a column in the extract.",
            )
            continue
        if name in out_columns:
            errors.add(
                key,
                'fältet är både mappat till kolumnen "{h}" och givet ett fast värde; '
                "ta bort det ena.",
                'the field is both mapped to the column "{h}" and '
                "given a constant value; remove one of them.",
                h=out_columns[name],
            )
            continue
        text = _as_code(value)
        if text is None or not text.strip():
            errors.add(key, "ska vara ett enkelt värde.", "should be a single value.")
            continue
        if spec.type is FieldType.CODE:
            lookup = code_table(spec, out_values.get(name))
            canon = lookup.get(fold_code(text))
            if canon is None:
                errors.add(
                    key,
                    '"{v}" är inget värde för {field}; tillåtna är {allowed}.{hint}',
                    '"{v}" is not a value of {field}; allowed are {allowed}.{hint}',
                    v=text,
                    field=name,
                    allowed=", ".join(spec.codes),
                    hint=_suggest(text, spec.codes),
                )
                continue
            text = canon
        out_constants[name] = text.strip()
    return out_constants


def _dayfirst(dates: dict[Any, Any], errors: _Errors) -> bool:
    """``dates:``: its only key, ``dayfirst`` (true or false; false when not given)."""
    dayfirst = False
    for key_name, value in dates.items():
        if key_name != "dayfirst":
            errors.add(
                f"dates.{key_name}",
                "okänd nyckel; den enda är dayfirst.",
                "unknown key; the only one is dayfirst.",
            )
        elif not isinstance(value, bool):
            errors.add("dates.dayfirst", "ska vara true eller false.", "should be true or false.")
        else:
            dayfirst = value
    return dayfirst


def _section(data: dict[Any, Any], key: str, errors: _Errors) -> dict[Any, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.add(
            key,
            "ska innehålla rader i formen nyckel: värde (indragna under {key}:).",
            "should contain lines of the form key: value (indented under {key}:).",
            key=key,
        )
        return {}
    return value
