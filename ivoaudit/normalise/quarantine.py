"""Which rows are loaded, and the record of every problem found on the way.

Row level, in this order (each row gets at most one reason; codes in :mod:`ivoaudit.problems`):

* ``row_quote`` and ``row_malformed`` — lines the CSV reader could not read as one row of the
  header's width (found by the reader, see :mod:`ivoaudit.load.lines`);
* ``row_blank`` — every cell blank (a line with no characters at all, or an empty row in a
  sheet, is not a data row: it is neither counted nor reported);
* ``case_id_missing`` — the case id cell is blank;
* ``duplicate_identical`` — all mapped cells equal (after stripping) to an earlier row with
  the same case id: the first is loaded, later copies are quarantined with this code;
* ``duplicate_conflict`` — the same case id on rows with different content: all of them
  are quarantined, since we cannot know which is right.

So every data row of the file is either a case (``cases._row``) or one quarantine row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ivoaudit.i18n import t
from ivoaudit.problems import problem_message, problem_type
from ivoaudit.schema import PROBLEM_FRAME_COLUMNS, empty_problems


@dataclass
class ProblemLog:
    """Collects problem rows (vectorised pieces) and builds the stable frame."""

    pieces: list[pd.DataFrame] = field(default_factory=list)

    def add(self, code: str, rows: Sequence[int] | np.ndarray, *, column: str = "", field_name: str = "",
            values: Sequence[object] | None = None, case_ids: Sequence[object] | None = None,
            texts: Sequence[str] | None = None, order: int = 0,
            params: Mapping[str, object] | None = None) -> None:
        """Record ``code`` on ``rows``; the message is the catalogue's template filled with
        ``params``, or one text per row in ``texts``. Unknown codes raise ``KeyError``."""
        problem_type(code)
        n = len(rows)
        if n == 0:
            return
        message = problem_message(code, **(params or {})) if texts is None else None
        self.pieces.append(pd.DataFrame({
            "row": np.asarray(rows, dtype="int64"),
            "case_id": _texts(case_ids, n),
            "column": [column] * n,
            "field": [field_name] * n,
            "value": _texts(values, n),
            "code": [code] * n,
            "problem": [message] * n if texts is None else list(texts),
            "_order": [order] * n,
        }))

    def frame(self) -> pd.DataFrame:
        """Every problem, by row and then column order, with :data:`PROBLEM_FRAME_COLUMNS`."""
        if not self.pieces:
            return empty_problems()
        out = pd.concat(self.pieces, ignore_index=True)
        out = out.sort_values(["row", "_order"], kind="stable").reset_index(drop=True)
        out = out[list(PROBLEM_FRAME_COLUMNS)]
        for col in PROBLEM_FRAME_COLUMNS[1:]:
            out[col] = out[col].astype(object)
        return out


def _texts(values: Sequence[object] | None, n: int) -> list[str | None]:
    if values is None:
        return [None] * n
    return [None if v is None or (isinstance(v, float) and v != v) else str(v) for v in values]


def valid_mask(column: pa.ChunkedArray) -> np.ndarray:
    """Non-null mask of an Arrow column as numpy bools."""
    return column.is_valid().to_numpy(zero_copy_only=False)


def quarantine_duplicates(ids: pa.ChunkedArray, content: dict[int, pa.ChunkedArray], keep: np.ndarray,
                          rows: np.ndarray, header: str, log: ProblemLog) -> tuple[np.ndarray, list[str]]:
    """Collapse identical duplicates of a case id; quarantine every row of a conflicting one.

    ``ids`` are the (cleaned) case ids of every row, ``content`` the stripped text of every
    mapped column, ``keep`` the rows still loaded. Returns the new ``keep`` and the notes.
    """
    kept_ids = ids.filter(pa.array(keep))
    if pc.count_distinct(kept_ids, mode="only_valid").as_py() == len(kept_ids) - kept_ids.null_count:
        return keep, []
    case_id = pd.Series(ids.to_pandas(types_mapper=pd.ArrowDtype)).where(pd.Series(keep))
    dup = (case_id.duplicated(keep=False) & case_id.notna()).to_numpy()
    where = np.flatnonzero(dup)
    take = pa.array(where)
    rendered = pd.DataFrame({p: col.take(take).cast(pa.string()).to_pandas().fillna("").to_numpy(dtype=object)
                             for p, col in sorted(content.items())})
    groups: dict[str, list[tuple[int, tuple[object, ...]]]] = {}
    for i, values in zip(where.tolist(), rendered.itertuples(index=False, name=None), strict=True):
        groups.setdefault(str(case_id.iloc[i]), []).append((i, values))
    keep = keep.copy()
    identical = conflict = 0
    for cid, members in groups.items():
        member_rows = [int(rows[i]) for i, _ in members]
        if len({values for _, values in members}) == 1:
            for i, _ in members[1:]:
                keep[i] = False
                identical += 1
                log.add("duplicate_identical", [rows[i]], column=header, field_name="case_id", values=[cid],
                        case_ids=[cid], params={"first": member_rows[0]})
            continue
        for i, _ in members:
            keep[i] = False
            conflict += 1
            others = ", ".join(str(r) for r in member_rows if r != int(rows[i]))
            log.add("duplicate_conflict", [rows[i]], column=header, field_name="case_id", values=[cid],
                    case_ids=[cid], params={"others": others})
    return keep, _duplicate_notes(identical, conflict)


def _duplicate_notes(identical: int, conflict: int) -> list[str]:
    notes = []
    if identical:
        notes.append(t("{n} identiska dubblettrader slogs ihop med den första förekomsten.",
                       "{n} identical duplicate rows were collapsed into their first occurrence.",
                       n=identical))
    if conflict:
        notes.append(t("{n} rader har samma ärendenummer som en annan rad men annat innehåll och "
                       "lästes inte in.",
                       "{n} rows share their case id with another row but differ in content and "
                       "were not loaded.", n=conflict))
    return notes
