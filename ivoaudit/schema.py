"""The shapes every part of ivoaudit agrees on, written once: statuses, the columns of the
files a check writes, how a reviewer's answer turns into a status, and the frozen data
passed between the pipeline stages.

Statuses and files are the user-facing contract of ``shared/spec/data-model.md``; change
them here, deliberately, and nowhere else.

The in-memory contract (load → normalise → check → sample/report):

``LoadedExtract.cases`` — one row per loaded case; columns are the canonical fields the
extract *has* (a field the extract lacks is absent, so rules can tell "column absent"
from "cell blank"), plus ``_row``, the row number as the user sees it in their file
(header = row 1, first data row = 2, both for CSV and XLSX).
  * date fields: ``datetime64`` (midnight), ``NaT`` when the cell was blank *or* invalid;
  * code fields: the canonical code as ``str``, missing (``NA``/``None``) when blank or invalid;
  * text fields: stripped ``str``, missing when blank;
  * ``person_id``: the keyed pseudonym (never the raw number), or with
    ``load_extract(..., keyed=False)`` a run-local token (``"L"`` + rank) that only tells
    which rows share a person; ``sex`` and ``birth_date`` are derived from the number when
    the extract lacks them.

``LoadedExtract.invalid`` — same index, one bool column per canonical field in ``cases``:
True where the cell had a value that could not be read. Rules use it to give
``missing_data`` instead of treating an unreadable end date as "has not happened".

``problems`` — cell-level data-quality findings on loaded rows (the rest of the row is
kept); ``quarantine`` — rows that were not loaded. Both have :data:`PROBLEM_FRAME_COLUMNS`
(``case_id`` the row's case id where it has one, ``column`` the header as written in the
extract, ``field`` the canonical name, ``code`` the problem's code in ``ivoaudit/problems.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import pandas as pd

from ivoaudit.i18n import t

# --- Result statuses (data-model.md "Result statuses"; this order everywhere) -------------------
STATUSES: Final = ("pass", "fail", "overdue", "pending", "missing_data", "needs_review", "not_applicable")
COMPLIANT: Final = ("pass",)
COUNTED: Final = ("pass", "fail", "overdue")  # the compliance denominator
DEVIATIONS: Final = ("fail", "overdue")  # the requirement was not met
APPLICABLE_STATUSES: Final = STATUSES[:-1]  # counted per rule in summary.csv and the reports

# --- Files a check folder holds (data-model.md "Files the tool writes") ------------------------
RESULT_COLUMNS: Final = ("case_id", "rule_id", "status", "start_date", "end_date", "deadline", "days",
                         "days_over", "note", "reference")
RESULT_OPTIONAL: Final = ("note", "reference")  # a reader accepts a results.csv without them
ROUND_RESULT_COLUMNS: Final = tuple(c for c in RESULT_COLUMNS if c != "reference")  # kept per round in the store
SUMMARY_COLUMNS: Final = ("rule_id", "applicable", *APPLICABLE_STATUSES, "compliance")
# evaluable (true/false) and missing_fields (";"-separated canonical fields): rules.md "Rules
# the extract cannot support"; a rule that is not evaluable has blank counts.
SUMMARY_EXTRA: Final = ("evaluable", "missing_fields", "title", "basis", "period", "local_change", "source",
                        "pass_on_exception")
CASE_COLUMNS: Final = ("case_id", "area", "unit", "caseworker", "sex", "age_group", "received_date")
# problems.csv and quarantine.csv: the case id beside the row, so the case can be found in the
# case system; ``code`` is the problem's code in the catalogue (ivoaudit/problems.py).
PROBLEM_COLUMNS: Final = ("row", "case_id", "column", "field", "value", "problem", "code")  # problems.csv
QUARANTINE_COLUMNS: Final = ("row", "case_id", "column", "value", "problem", "code")  # quarantine.csv
PROBLEM_FRAME_COLUMNS: Final = ("row", "case_id", "column", "field", "value", "code", "problem")  # in memory


def empty_problems() -> pd.DataFrame:
    """An empty problems/quarantine frame with the stable columns."""
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else "object")
                         for c in PROBLEM_FRAME_COLUMNS})


def empty_frame(columns: tuple[str, ...]) -> pd.DataFrame:
    """A frame with no rows and ``columns`` (object dtype), e.g. an absent problems.csv."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


# --- Review answers → statuses -----------------------------------------------------------------
ANSWERS: Final = ("yes", "no", "not_applicable")  # Ja / Nej / Ej aktuellt on the review form
ANSWER_STATUS: Final = {"yes": "pass", "no": "fail", "not_applicable": "not_applicable"}


def apply_answers(results: pd.DataFrame, answers: pd.DataFrame | None) -> pd.DataFrame:
    """The results with reviewers' answers applied: the one answer→status merge.

    ``needs_review`` means "a manual question not yet answered" (data-model.md), and the
    review form opens an answer cell only where the automatic result is ``needs_review``
    (every other result is a locked cell). So an answer replaces a ``needs_review`` result of
    its (case, rule) and nothing else: Ja → ``pass``, Nej → ``fail``, Ej aktuellt →
    ``not_applicable``, and the note says the status came from the review. An answer never
    overrides an automatic ``pass``/``fail``/…, and never adds a row the check did not make.
    ``answers`` has columns ``case_id, rule_id, answer``; the last answer of a pair wins.
    """
    out = results.copy()
    if answers is None or answers.empty or out.empty:
        return out
    answer_keys = answers["case_id"].astype(str) + "\x1f" + answers["rule_id"].astype(str)
    by_key = pd.Series(answers["answer"].astype(str).map(ANSWER_STATUS).to_numpy(), index=answer_keys.to_numpy())
    by_key = by_key[~by_key.index.duplicated(keep="last")].dropna()
    keys = out["case_id"].astype(str) + "\x1f" + out["rule_id"].astype(str)
    answered = keys.map(by_key)
    changed = out["status"].eq("needs_review") & answered.notna()
    out.loc[changed, "status"] = answered[changed]
    if "note" in out.columns:
        out["note"] = out["note"].astype(object)
        out.loc[changed, "note"] = t("manuell granskning", "manual review")
    return out


# --- Tracking (tracking.md): what the store's CHECK constraints allow -------------------------
ACTION_STATUSES: Final = ("planned", "in_progress", "done", "effective", "not_effective", "cancelled")
FINDING_STATUSES: Final = ("proposed", "open", "closed", "dismissed")
FINDING_SOURCES: Final = ("measurement", "review", "ivo", "manual")
DECISION_STATUSES: Final = ("open", "answered", "closed")  # an IVO decision
VERDICTS: Final = ("improved", "not_improved", "worse", "target_reached", "not_yet_measured")

def apply_checks(results: pd.DataFrame, checks: pd.DataFrame | None) -> pd.DataFrame:
    """The results with the reviewer's "Stämmer med akten?" applied (issue 16).

    A "Nej" on an automatic result means the extract's data for it are wrong: the result
    becomes ``missing_data`` (out of the denominator, a data-quality finding) and the note says
    so, with the date the case file gives when the reviewer wrote one. A "Ja" changes nothing.
    ``checks`` has columns ``case_id, rule_id, matches, correct_date``.
    """
    out = results.copy()
    if checks is None or checks.empty or out.empty:
        return out
    wrong = checks[checks["matches"].astype(str) == "no"]
    if wrong.empty:
        return out
    dates = {(str(c), str(r)): d for c, r, d in
             zip(wrong["case_id"], wrong["rule_id"], wrong["correct_date"], strict=True)}
    keys = list(zip(out["case_id"].astype(str), out["rule_id"].astype(str), strict=True))
    hit = pd.Series([k in dates for k in keys], index=out.index)
    out["note"] = out["note"].astype(object) if "note" in out else None
    out.loc[hit, "status"] = "missing_data"
    out.loc[hit, "note"] = [
        t("stämmer inte med akten enligt granskaren", "does not match the case file, says the reviewer")
        + (t(" (akten: {d})", " (case file: {d})", d=dates[k]) if dates[k] else "")
        for k, h in zip(keys, hit, strict=True) if h]
    return out


def apply_review(results: pd.DataFrame, answers: pd.DataFrame | None,
                 checks: pd.DataFrame | None = None) -> pd.DataFrame:
    """A round's results after its review: :func:`apply_answers`, then :func:`apply_checks`.
    ``rounds show``, the round report and the web pages all read a round through this."""
    return apply_checks(apply_answers(results, answers), checks)


@dataclass(frozen=True)
class SourceInfo:
    """What was detected about the extract file."""

    path: str
    format: str  # "csv" or "xlsx"
    rows: int  # data rows in the file (header excluded)
    fingerprint: str  # sha256 of the file's bytes
    encoding: str | None = None  # CSV only
    delimiter: str | None = None  # CSV only
    sheet: str | None = None  # XLSX only
    header_row: int = 1
    continued: tuple[int, ...] = ()  # CSV lines that continue a cell with line breaks of the row before


@dataclass(frozen=True)
class LoadedExtract:
    cases: pd.DataFrame
    invalid: pd.DataFrame
    problems: pd.DataFrame
    quarantine: pd.DataFrame
    source: SourceInfo
    columns: dict[str, str]  # canonical field -> header in the extract
    constants: dict[str, str] = field(default_factory=dict)  # canonical field -> constant value
    unrecognised: tuple[str, ...] = ()  # headers not mapped to any field
    notes: tuple[str, ...] = ()  # e.g. "3 identical duplicate rows collapsed"

    @property
    def fields(self) -> list[str]:
        """Canonical fields present (from a column or a constant)."""
        return [c for c in self.cases.columns if not c.startswith("_")]
