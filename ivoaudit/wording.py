"""Words for result statuses, their legend, and number formats: the same in every output.

The terminal, the check report, the review form and the reports all name statuses with
these words and explain them with these sentences, so a unit manager never meets "Brist"
in one file and "Ej uppfyllt" in another. Numbers follow the reader's language: Swedish
``89,3 %`` and ``1 515`` (a no-break space between thousands), English ``89.3%`` and
``1,515``; counted nouns agree with their number ("1 regel", "2 regler", "frist 1 dag").
"""

from __future__ import annotations

from ivoaudit.i18n import get_language

STATUS_WORDS: dict[str, tuple[str, str]] = {
    "pass": ("Uppfyllt", "Pass"),
    "fail": ("Ej uppfyllt", "Fail"),
    "overdue": ("Försenat", "Overdue"),
    "pending": ("Pågår", "Pending"),
    "missing_data": ("Uppgift saknas", "Missing data"),
    "needs_review": ("Granskas manuellt", "Needs review"),
    "not_applicable": ("Ej tillämplig", "Not applicable"),
}

# One short sentence per status: what the word means for the case (the legend under tables).
STATUS_LEGEND: dict[str, tuple[str, str]] = {
    "pass": ("Kravet är uppfyllt: i tid, inom en laglig förlängning eller med dokumenterat undantag.",
             "The requirement is met: in time, within a lawful extension or with a documented exception."),
    "fail": ("Gjort för sent eller inte dokumenterat; ”Ej uppfyllt (+21 d)” betyder gjort 21 dagar "
             "efter fristen.",
             "Done late or not documented; “Fail (+21 d)” means done 21 days after the deadline."),
    "overdue": ("Ännu inte gjort, och fristen hade passerat på granskningsdagen; ”Försenat (+21 d)” "
                "betyder 21 dagar över fristen hittills.",
                "Not yet done, and the deadline had passed on the check date; “Overdue (+21 d)” means "
                "21 days past the deadline so far."),
    "pending": ("Ännu inte gjort, men fristen har inte passerat; räknas inte i andelen.",
                "Not yet done, but the deadline has not passed; not counted in the share."),
    "missing_data": ("Ett datum eller en uppgift som regeln behöver saknas eller är ogiltig; räknas inte "
                     "i andelen och är en brist i uppgifterna.",
                     "A date or value the rule needs is missing or invalid; not counted in the share, "
                     "and a data-quality finding."),
    "needs_review": ("Kan inte avgöras ur uttaget; besvaras av granskaren ur akten.",
                     "Cannot be decided from the extract; answered by the reviewer from the case file."),
    "not_applicable": ("Regeln gäller inte ärendet.", "The rule does not apply to the case."),
}

# A rule the extract cannot support at all (rules.md "Rules the extract cannot support").
NOT_EVALUABLE_WORD = ("Kan inte bedömas", "Not evaluable")
NOT_EVALUABLE_LEGEND = (
    "Uttaget saknar en kolumn som regeln behöver; regeln är inte mätt (inte ”0 brister”). "
    "Mappa kolumnen eller välj en checklista utan regeln.",
    "The extract lacks a column the rule needs; the rule was not measured (not “0 failures”). "
    "Map the column or choose a checklist without the rule.",
)
COMPLIANCE_WORD = ("Andel uppfyllda", "Compliance")
COMPLIANCE_LEGEND = (
    "Andel uppfyllda = Uppfyllt / (Uppfyllt + Ej uppfyllt + Försenat); nämnaren (n) visas.",
    "Compliance = Pass / (Pass + Fail + Overdue); the denominator (n) is shown.",
)

# Counted nouns: (Swedish singular, plural), (English singular, plural).
NOUNS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "day": (("dag", "dagar"), ("day", "days")),
    "month": (("månad", "månader"), ("month", "months")),
    "rule": (("regel", "regler"), ("rule", "rules")),
    "case": (("ärende", "ärenden"), ("case", "cases")),
    "row": (("rad", "rader"), ("row", "rows")),
    "result": (("resultat", "resultat"), ("result", "results")),
    "field": (("fält", "fält"), ("field", "fields")),
    "column": (("kolumn", "kolumner"), ("column", "columns")),
    "event": (("händelse", "händelser"), ("event", "events")),
    "problem": (("problem", "problem"), ("problem", "problems")),
}


def _lang(lang: str | None) -> str:
    return "en" if (lang or get_language()) == "en" else "sv"


def status_word(status: str, lang: str | None = None) -> str:
    """The word for ``status`` in ``lang`` (default: the language in force)."""
    words = STATUS_WORDS.get(status)
    if words is None:
        return status
    return words[1] if _lang(lang) == "en" else words[0]


def status_legend(status: str, lang: str | None = None) -> str:
    """The one-sentence explanation of ``status``."""
    pair = STATUS_LEGEND[status]
    return pair[1] if _lang(lang) == "en" else pair[0]


def legend(statuses: tuple[str, ...] | None = None, lang: str | None = None) -> list[tuple[str, str]]:
    """(word, sentence) for each status (default: all but ``not_applicable``), in order."""
    chosen = statuses or tuple(s for s in STATUS_WORDS if s != "not_applicable")
    return [(status_word(s, lang), status_legend(s, lang)) for s in chosen]


def pick(pair: tuple[str, str], lang: str | None = None) -> str:
    """The Swedish or English member of a ``(sv, en)`` pair."""
    return pair[1] if _lang(lang) == "en" else pair[0]


def status_with_days(status: str, days_over: object, lang: str | None = None) -> str:
    """``Ej uppfyllt (+21 d)`` for a late fail or overdue, else the plain word."""
    text = status_word(status, lang)
    try:
        over = int(float(days_over))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        over = 0
    if status in ("fail", "overdue") and over > 0:
        text += f" (+{over} d)"
    return text


def number(value: float | int, decimals: int = 0, lang: str | None = None) -> str:
    """``1 515`` / ``89,3`` in Swedish (no-break space, decimal comma), ``1,515`` / ``89.3`` in English."""
    text = f"{value:,.{decimals}f}"
    if _lang(lang) == "en":
        return text
    return text.replace(",", "\u00a0").replace(".", ",")


def percent(rate: float | None, decimals: int = 1, lang: str | None = None) -> str:
    """A share 0..1 as percent: ``89,3 %`` (Swedish, no-break space), ``89.3%`` (English); ``–`` for none."""
    if rate is None or rate != rate:  # None or NaN
        return "–"
    text = number(rate * 100, decimals, lang)
    return text + ("%" if _lang(lang) == "en" else "\u00a0%")


def noun(count: int, name: str, lang: str | None = None) -> str:
    """The noun ``name`` (a key of :data:`NOUNS`) agreeing with ``count``: ``regel`` / ``regler``."""
    sv, en = NOUNS[name]
    singular, plural = en if _lang(lang) == "en" else sv
    return singular if count == 1 else plural


def counted(count: int, name: str, lang: str | None = None) -> str:
    """``1 regel``, ``2 regler``, ``1 515 ärenden`` (``1 rule``, ``1,515 cases``)."""
    return f"{number(count, 0, lang)} {noun(count, name, lang)}"
