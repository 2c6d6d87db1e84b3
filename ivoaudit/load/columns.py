"""Which column of an extract is which canonical field: the mapping's columns first, then the
built-in header names (unless the mapping turns them off)."""

from __future__ import annotations

from collections.abc import Sequence

from ivoaudit.errors import InputError, MappingError
from ivoaudit.fields import FieldSpec
from ivoaudit.i18n import t
from ivoaudit.load.headers import close_headers, find_header, recognise, shown_header, shown_headers
from ivoaudit.load.mapping import MappingSpec
from ivoaudit.load.sniff import ADVICE_DELIMITER


def resolve_columns(
    headers: Sequence[str], spec: MappingSpec, fields: Sequence[FieldSpec], file: str
) -> dict[str, int]:
    """Field → column position: the mapping's columns first, then synonyms (unless disabled).

    Raises :class:`~ivoaudit.errors.MappingError` for every mapped header not in the file.
    """
    placed: dict[str, int] = {}
    errors: list[str] = []
    for field_name, header in spec.columns.items():
        position = find_header(header, headers)
        if position is None:
            close = close_headers(header, headers)
            hint = (
                t(
                    " Närmast liknande: {c}.",
                    " Closest matches: {c}.",
                    c=", ".join(f'"{shown_header(c)}"' for c in close),
                )
                if close
                else ""
            )
            errors.append(
                t(
                    'columns.{field}: rubriken "{h}" finns inte i {file}.{hint}',
                    'columns.{field}: the header "{h}" is not in {file}.{hint}',
                    field=field_name,
                    h=header,
                    file=file,
                    hint=hint,
                )
            )
            continue
        placed[field_name] = position
    if errors:
        seen = shown_headers(headers)
        raise MappingError(
            t(
                "Mappningsfilen {m} stämmer inte med uttaget: ",
                "The mapping file {m} does not match the extract: ",
                m=spec.source or "",
            )
            + " ".join(errors)
            + t(
                " Rubrikerna i filen är: {seen}. Skriv rubriken exakt som i uttaget.",
                " The headers in the file are: {seen}. Write the header exactly as in the extract.",
                seen=seen,
            )
        )
    if spec.recognise_headers:
        taken = set(placed) | set(spec.constants)
        placed.update(recognise(headers, fields, taken=taken, skip=set(placed.values())))
    return placed


def missing_required(spec: MappingSpec, fields: Sequence[FieldSpec], placed: dict[str, int]) -> list[FieldSpec]:
    """The required fields that have neither a column nor a constant."""
    return [f for f in fields if f.required and f.name not in placed and f.name not in spec.constants]


def missing_required_error(
    missing: Sequence[FieldSpec], headers: Sequence[str], file: str
) -> InputError:
    """No column for a required field: the headers seen, and how to map or rename one."""
    labels = ", ".join(
        t("{sv} ({name})", "{en} ({name})", sv=f.sv.lower(), en=f.en.lower(), name=f.name)
        for f in missing
    )
    first = missing[0]
    seen = shown_headers(headers)
    return InputError(
        t(
            "Ingen kolumn för {labels} hittades i {file}. Rubrikerna i filen är: {seen}. Byt namn på "
            'kolumnen till exempelvis "{example}", eller skriv en mappningsfil med raden '
            'columns: {name}: "<rubriken i uttaget>" och ange den med --mapping.',
            "No column for {labels} was found in {file}. The headers in the file are: {seen}. "
            'Rename the column to, for example, "{example}", or write a mapping file with the '
            'line columns: {name}: "<the header in the extract>" and give it with --mapping.',
            labels=labels,
            file=file,
            seen=seen,
            example=first.sv,
            name=first.name,
        )
        + (t(*ADVICE_DELIMITER) if len(headers) == 1 else "")
    )
