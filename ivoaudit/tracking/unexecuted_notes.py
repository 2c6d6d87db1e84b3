"""What the quarter's list tells its reader besides the decisions: warnings and notes.

Warnings are about the list's validity (drawn up before the quarter ended, after IVO's
reporting window closed, or from an extract older than the quarter's end); notes say what
the extract could not show (no interruptions, no legal basis, no reason column, no earlier
list). The extract lacking a field the list needs at all is an error, not a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from ivoaudit.errors import InputError
from ivoaudit.fields import DATE_FIELDS, label
from ivoaudit.i18n import get_language, t
from ivoaudit.schema import LoadedExtract
from ivoaudit.store.unexecuted import StoredList
from ivoaudit.tracking.quarters import Quarter, day_text


@dataclass(frozen=True)
class Notice:
    """A warning or note: a stable ``code`` and its ``text`` in the language of the call."""

    code: str
    text: str

    def __str__(self) -> str:
        return self.text


# Codes of warnings that bear on the figures themselves (shown in the council report too).
FIGURE_WARNINGS = ("preliminary", "extract_old")

# Fields the list cannot be drawn up without: their absence would read as "nothing to report".
REQUIRED = ("decision_date", "decision_outcome", "execution_date")


def require_fields(extract: LoadedExtract) -> None:
    """Raise :class:`~ivoaudit.errors.InputError` when the extract lacks a field of ``REQUIRED``."""
    missing = [f for f in REQUIRED if f not in extract.fields]
    if missing:
        raise InputError(t(
            "Uttaget {file} saknar {fields}. Utan dem kan listan över ej verkställda beslut inte tas fram "
            "(den skulle se tom ut fast inget har mätts). Mappa kolumnerna i en mappningsfil (--mapping) "
            "eller ta ett uttag som har dem.",
            "The extract {file} lacks {fields}. Without them the list of decisions not executed cannot be "
            "drawn up (it would look empty although nothing was measured). Map the columns in a mapping "
            "file (--mapping) or take an extract that has them.",
            file=Path(extract.source.path).name,
            fields=", ".join(f"{label(f, get_language())} ({f})" for f in missing)))


def _latest_date(extract: LoadedExtract) -> date | None:
    found = [extract.cases[f].max() for f in DATE_FIELDS if f in extract.cases.columns and f != "birth_date"]
    found = [d for d in found if d is not None and not pd.isna(d)]
    return pd.Timestamp(max(found)).date() if found else None


def warnings_for(q: Quarter, produced: date, extract: LoadedExtract) -> tuple[Notice, ...]:
    """The list's warnings: drawn up too early or too late, or from an old extract."""
    out = []
    window = q.window
    if produced <= q.last_day:
        out.append(Notice("preliminary", t(
            "Kvartalet {q} är inte slut ({d}): listan är preliminär. Ta fram den igen efter kvartalets slut.",
            "The quarter {q} has not ended ({d}): the list is preliminary. Draw it up again after the quarter ends.",
            q=q.label, d=day_text(q.last_day))))
    elif window.state(produced) == "closed":
        out.append(Notice("window_closed", t(
            "Rapporteringsperioden för {q} ({w}) stängde {c}. Listan tas fram {p}, efter perioden: rapportera "
            "till IVO snarast och ange varför rapporten är sen.",
            "The reporting window for {q} ({w}) closed on {c}. The list is drawn up on {p}, after the window: "
            "report to IVO at once and say why the report is late.",
            q=q.label, w=window.text(), c=day_text(window.closes), p=day_text(produced))))
    latest = _latest_date(extract)
    if latest is not None and latest < q.last_day:
        out.append(Notice("extract_old", t(
            "Det senaste datumet i uttaget är {d}, före kvartalets sista dag ({e}). Är uttaget taget före "
            "kvartalets slut saknas det som hänt sedan dess; ta ett nytt uttag.",
            "The latest date in the extract is {d}, before the quarter's last day ({e}). If the extract was "
            "taken before the quarter ended, what happened since is missing; take a new extract.",
            d=latest.isoformat(), e=q.last_day.isoformat())))
    return tuple(out)


def notes_for(extract: LoadedExtract, last: StoredList | None, q: Quarter) -> tuple[Notice, ...]:
    """What the extract (or the store) could not show."""
    fields = set(extract.fields)
    lang = get_language()
    out = []
    if "execution_interrupted_date" not in fields:
        out.append(Notice("no_interruptions", t(
            "Uttaget saknar kolumnen {f}: avbrott i verkställigheten kan inte listas.",
            "The extract lacks the column {f}: interruptions of execution cannot be listed.",
            f=label("execution_interrupted_date", lang))))
    elif "execution_resumed_date" not in fields:
        out.append(Notice("no_resumed", t(
            "Uttaget saknar kolumnen {f}: avbrott kan inte bedömas och redovisas som ej bedömbara.",
            "The extract lacks the column {f}: interruptions cannot be judged and are shown as not judgeable.",
            f=label("execution_resumed_date", lang))))
    if "legal_basis" not in fields:
        out.append(Notice("no_legal_basis", t(
            "Uttaget saknar lagrum: alla bifallna beslut räknas, och beslut enligt LVU/LVM kan inte sorteras bort.",
            "The extract has no legal basis: every granted decision counts, and decisions under LVU/LVM cannot "
            "be left out.")))
    if "intervention_type" not in fields:
        out.append(Notice("no_intervention_type", t(
            "Uttaget saknar insats: listan och statistiken kan inte visa typ av insats.",
            "The extract has no intervention type: the list and the statistics cannot show it.")))
    if "execution_delay_reason" not in fields:
        out.append(Notice("no_reason", t(
            "Uttaget har ingen kolumn för skäl till dröjsmålet ({f}): skriv skälet i IVO:s e-tjänst.",
            "The extract has no column for the reason for the delay ({f}): give the reason in IVO's e-service.",
            f=label("execution_delay_reason", lang))))
    if last is None:
        out.append(Notice("no_earlier_list", t(
            "Ingen tidigare kvartalslista finns i granskningsdatabasen: inget beslut markeras som rapporterat "
            "tidigare.",
            "No earlier quarter's list is in the audit store: no decision is marked as reported before.")))
    elif last.quarter != q.previous().label:
        out.append(Notice("gap_in_lists", t(
            "Senaste sparade lista gäller {l}, inte {p}.", "The latest recorded list is for {l}, not {p}.",
            l=last.quarter, p=q.previous().label)))
    return tuple(out)


__all__ = ["FIGURE_WARNINGS", "REQUIRED", "Notice", "notes_for", "require_fields", "warnings_for"]
