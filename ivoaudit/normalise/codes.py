"""Code fields: the spellings accepted for each canonical code, and the lookup of a column.

Built-in code spellings (besides the canonical codes, the mapping's ``values`` and, for
yes/no fields, :data:`ivoaudit.fields.YES_NO_SPELLINGS`), compared after :func:`fold_code`:

* ``area``: barn och unga / barn och ungdom / barn / bou / ifo barn → ``barn_unga``;
  funktionshinder / funktionsnedsättning / lss → ``funktionshinder``; missbruk /
  missbruk och beroende / beroende → ``missbruk``; äldre / äldreomsorg → ``aldre``.
* ``sex``: k / kvinna / flicka / female / woman → ``F``; m / man / pojke / male → ``M``.
* ``preliminary_outcome``: inleda / inleds / inledd / inleda utredning / utredning inleds →
  ``open``; ej inleda / inte inleda / inleds ej / inleds inte / ej inledd / inte inledd /
  ingen utredning → ``not_open``; läggs till pågående (utredning) / sammanläggs med pågående
  (utredning) → ``joined``.
* ``decision_outcome``: bifall / beviljas / beviljat / beviljad → ``granted``; delvis bifall /
  delvis beviljat / delvis beviljad / delvis avslag → ``partly_granted``; avslag / avslås /
  avslaget / avslagen → ``rejected``; inget beslut → ``none``. The participles are how case
  systems' exports commonly word a decision ("Beviljat", "Avslaget"); "delvis avslag" (partly
  refused) is the same decision as a partial grant.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ivoaudit.fields import YES_NO_SPELLINGS, FieldSpec
from ivoaudit.normalise.text import str_series

AREA_SPELLINGS: dict[str, str] = {
    "barn och unga": "barn_unga",
    "barn och ungdom": "barn_unga",
    "barn": "barn_unga",
    "bou": "barn_unga",
    "ifo barn": "barn_unga",
    "barn unga": "barn_unga",
    "funktionshinder": "funktionshinder",
    "funktionsnedsättning": "funktionshinder",
    "lss": "funktionshinder",
    "missbruk": "missbruk",
    "missbruk och beroende": "missbruk",
    "beroende": "missbruk",
    "äldre": "aldre",
    "äldreomsorg": "aldre",
}
SEX_SPELLINGS: dict[str, str] = {
    "k": "F",
    "kvinna": "F",
    "flicka": "F",
    "female": "F",
    "woman": "F",
    "m": "M",
    "man": "M",
    "pojke": "M",
    "male": "M",
}
OUTCOME_SPELLINGS: dict[str, dict[str, str]] = {
    "preliminary_outcome": {
        "inleda": "open",
        "inleds": "open",
        "inleda utredning": "open",
        "inledd": "open",
        "utredning inleds": "open",
        "ej inleda": "not_open",
        "inte inleda": "not_open",
        "inleds ej": "not_open",
        "inleds inte": "not_open",
        "ej inledd": "not_open",
        "inte inledd": "not_open",
        "ingen utredning": "not_open",
        "läggs till pågående": "joined",
        "läggs till pågående utredning": "joined",
        "sammanläggs med pågående": "joined",
        "sammanläggs med pågående utredning": "joined",
    },
    "decision_outcome": {
        "bifall": "granted",
        "beviljas": "granted",
        "beviljat": "granted",
        "beviljad": "granted",
        "delvis bifall": "partly_granted",
        "delvis beviljat": "partly_granted",
        "delvis beviljad": "partly_granted",
        "delvis avslag": "partly_granted",
        "avslag": "rejected",
        "avslås": "rejected",
        "avslaget": "rejected",
        "avslagen": "rejected",
        "inget beslut": "none",
    },
}


def fold_code(value: object) -> str:
    """Fold a code for lookup: case, surrounding/repeated white space and ``_`` do not matter."""
    return " ".join(str(value).replace("_", " ").split()).casefold()


def code_table(spec: FieldSpec, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Folded spelling → canonical code for one code field.

    ``extra`` is the mapping's ``values`` for the field (already folded), which wins over
    the built-in spellings.
    """
    table: dict[str, str] = {}
    builtin: dict[str, str] = {}
    if spec.codes and set(spec.codes) <= {"yes", "no", "reason"}:
        builtin = {k: v for k, v in YES_NO_SPELLINGS.items() if v in spec.codes}
    elif spec.name == "area":
        builtin = AREA_SPELLINGS
    elif spec.name == "sex":
        builtin = SEX_SPELLINGS
    else:
        builtin = OUTCOME_SPELLINGS.get(spec.name, {})
    for spelling, canonical in builtin.items():
        table[fold_code(spelling)] = canonical
    for code in spec.codes:
        table[fold_code(code)] = code
    for spelling, canonical in (extra or {}).items():
        table[fold_code(spelling)] = canonical
    return table


def normalise_code_array(
    text: pa.ChunkedArray | pa.Array, spec: FieldSpec, extra: Mapping[str, str] | None = None
) -> tuple[pd.Series, np.ndarray]:
    """Canonical codes (``str``, missing where blank or unknown) for a stripped Arrow text
    column, and the numpy mask of unknown cells. Looks up each distinct value once.
    Idempotent: canonical codes map to themselves."""
    table = code_table(spec, extra)
    if isinstance(text, pa.Array):
        text = pa.chunked_array([text])
    encoded = pc.dictionary_encode(text.cast(pa.string())).combine_chunks()
    mapped = [table.get(fold_code(u)) for u in encoded.dictionary.to_pylist()]
    codes = pa.array(mapped, type=pa.large_string()).take(encoded.indices)
    unknown = pc.and_(pc.is_valid(encoded.indices), pc.is_null(codes))
    return str_series(codes), unknown.to_numpy(zero_copy_only=False)


def normalise_codes(
    text: pd.Series, spec: FieldSpec, extra: Mapping[str, str] | None = None
) -> tuple[pd.Series, pd.Series]:
    """:func:`normalise_code_array` for a pandas column: (codes, unknown mask) on its index."""
    codes, unknown = normalise_code_array(pa.array(text.astype("str"), from_pandas=True), spec, extra)
    codes.index = text.index
    return codes, pd.Series(unknown, index=text.index, dtype=bool)
