"""A mapping file as a form fills it in: what an extract's columns and codes are, and the
YAML file written from the user's choices (the same file ``--mapping`` reads).

:func:`mapping_draft` says, for an extract read with a mapping (or none), which header each
field came from, which headers were not used, and every code a code field could not read,
with how often it occurs; :func:`write_mapping` validates the choices with
:func:`~ivoaudit.load.mapping.read_mapping` (so a mistake gets the same message as in a
file) and writes them as YAML.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ivoaudit.atomic import write_text
from ivoaudit.errors import MappingError
from ivoaudit.fields import FIELDS, FieldSpec, FieldType
from ivoaudit.load.mapping import read_mapping
from ivoaudit.load.yaml_json import read_yaml_file
from ivoaudit.schema import LoadedExtract


@dataclass(frozen=True)
class MappingDraft:
    """An extract seen through a mapping, as the starting point of a mapping form."""

    headers: list[str]  # every header of the extract: mapped ones first, then the rest
    columns: dict[str, str]  # field -> header, as read
    constants: dict[str, str]
    unknown_codes: dict[str, list[tuple[str, int]]]  # field -> (code as written, rows), most frequent first
    values: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # from the mapping file
    dayfirst: bool = False
    sheet: str | None = None
    fields: tuple[FieldSpec, ...] = FIELDS


def _file_values(mapping: Any) -> tuple[dict[str, dict[str, list[str]]], bool]:
    if not isinstance(mapping, str | os.PathLike):
        return {}, False
    data = read_yaml_file(Path(mapping), ("Mappningsfilen", "The mapping file"), MappingError) or {}
    if not isinstance(data, dict):
        return {}, False
    values = {str(f): {str(c): [str(v) for v in (vs if isinstance(vs, list) else [vs])]
                       for c, vs in (codes or {}).items()}
              for f, codes in (data.get("values") or {}).items()}
    return values, bool((data.get("dates") or {}).get("dayfirst"))


def mapping_draft(path: str | Path, mapping: Any = None, sheet: str | None = None, *,
                  encoding: str | None = None, delimiter: str | None = None,
                  loaded: LoadedExtract | None = None) -> MappingDraft:
    """Load ``path`` with ``mapping`` and describe it for a mapping form (``encoding`` and
    ``delimiter`` as ``load_extract`` takes them, for a CSV sniffed wrong). ``loaded``: the
    extract already loaded so (``keyed=False``), which is then described without loading it
    again (the web app keeps the draft when it inspects an upload)."""
    from ivoaudit.errors import InputError, MappingError
    from ivoaudit.load import load_extract

    try:
        extract = loaded if loaded is not None else load_extract(
            path, mapping=mapping, sheet=sheet, secret=os.urandom(32), keyed=False, encoding=encoding,
            delimiter=delimiter)
    except (InputError, MappingError):
        # Not loadable as it stands (no case id column, a header the mapping names is absent):
        # the form starts from the headers alone, which is what it is there to fix.
        from ivoaudit.load.files import read_table

        raw = read_table(path, sheet=sheet, encoding=encoding, delimiter=delimiter)
        values, dayfirst = _file_values(mapping)
        return MappingDraft(headers=[h for h in raw.headers if h], columns={}, constants={},
                            unknown_codes={}, values=values, dayfirst=dayfirst, sheet=raw.sheet)
    unknown: dict[str, list[tuple[str, int]]] = {}
    problems = extract.problems
    if len(problems):
        codes = problems[problems["code"] == "code_unknown"]
        for (fld, value), n in codes.groupby(["field", "value"], dropna=True).size().items():
            unknown.setdefault(str(fld), []).append((str(value), int(n)))
    for fld in unknown:
        unknown[fld].sort(key=lambda kv: (-kv[1], kv[0]))
    values, dayfirst = _file_values(mapping)
    spec = read_mapping(mapping) if mapping is not None else None
    headers = [*extract.columns.values(), *extract.unrecognised]
    return MappingDraft(headers=list(dict.fromkeys(headers)), columns=dict(extract.columns),
                        constants=dict(extract.constants), unknown_codes=unknown, values=values,
                        dayfirst=dayfirst or bool(spec and spec.dayfirst),
                        sheet=extract.source.sheet)


def mapping_data(columns: Mapping[str, str], values: Mapping[str, Mapping[str, list[str]]] | None = None,
                 constants: Mapping[str, str] | None = None, dayfirst: bool = False,
                 sheet: str | None = None) -> dict[str, Any]:
    """The mapping file's content from a form's choices (blank choices left out)."""
    data: dict[str, Any] = {}
    if sheet:
        data["sheet"] = sheet
    data["columns"] = {f: h for f, h in columns.items() if h}
    kept = {f: {c: sorted(set(vs)) for c, vs in codes.items() if vs}
            for f, codes in (values or {}).items()}
    if any(kept.values()):
        data["values"] = {f: codes for f, codes in kept.items() if codes}
    if constants and any(constants.values()):
        data["constants"] = {f: v for f, v in constants.items() if v}
    if dayfirst:
        data["dates"] = {"dayfirst": True}
    return data


def write_mapping(data: dict[str, Any], path: str | Path) -> Path:
    """Validate ``data`` as a mapping (raising its MappingError) and write it as YAML."""
    read_mapping(data)
    header = ("# Mappningsfil skriven av ivoaudit (webbappen). Används med --mapping.\n"
              "# Mapping file written by ivoaudit (the web app). Use it with --mapping.\n")
    write_text(path, header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return Path(path)


def code_fields() -> list[FieldSpec]:
    """Fields whose values are codes (a form maps the extract's codes onto these)."""
    return [f for f in FIELDS if f.type is FieldType.CODE]
