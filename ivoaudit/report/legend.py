"""The short legend every report carries: what each status word and light means.

The words and sentences come from ``ivoaudit.wording`` (one place for the terminal, the
check report, the review form and these reports), so the legends cannot drift apart.
"""

from __future__ import annotations

from ivoaudit import wording
from ivoaudit.i18n import get_language, t
from ivoaudit.report.model import Report

SHOWN = ("pass", "fail", "overdue", "pending", "missing_data", "needs_review")
_FALLBACK = {  # until every wording sentence is in ivoaudit.wording
    "pass": ("Kravet är uppfyllt: i tid, inom en laglig förlängning eller med dokumenterat undantag.",
             "The requirement is met: in time, within a lawful extension or with a documented exception."),
    "fail": ("Gjort för sent eller inte dokumenterat; ”Ej uppfyllt (+21 d)” betyder gjort 21 dagar efter fristen.",
             "Done late or not documented; “Fail (+21 d)” means done 21 days after the deadline."),
    "overdue": ("Ännu inte gjort, och fristen hade passerat på mätdatumet.",
                "Not yet done, and the deadline had passed on the check date."),
    "pending": ("Ännu inte gjort, men fristen har inte passerat; räknas inte i andelen.",
                "Not yet done, but the deadline has not passed; not counted in the share."),
    "missing_data": ("En uppgift som regeln behöver saknas eller är ogiltig; räknas inte i andelen.",
                     "A value the rule needs is missing or invalid; not counted in the share."),
    "needs_review": ("Kan inte avgöras ur uttaget; besvaras av granskaren ur akten.",
                     "Cannot be decided from the extract; answered by the reviewer from the case file."),
}


def status_legend() -> list[tuple[str, str]]:
    """(word, meaning) for each status a report shows, in the language in force."""
    sentences = getattr(wording, "STATUS_LEGEND", _FALLBACK)
    en = get_language() == "en"
    return [(wording.status_word(s), (sentences.get(s) or _FALLBACK[s])[1 if en else 0]) for s in SHOWN]


def share_sentence() -> str:
    """How the share is computed."""
    return t("Andel uppfyllda = Uppfyllt / (Uppfyllt + Ej uppfyllt + Försenat); nämnaren visas alltid.",
             "Share compliant = Pass / (Pass + Fail + Overdue); the denominator is always shown.")


def light_sentence(report: Report) -> str:
    """What the traffic lights mean, with the report's targets."""
    from ivoaudit.report import labels

    return t("Trafikljus: grön når målet (standard {g}), gul når {y}, annars röd. ”Ej granskad”: frågan "
             "väntar på granskarens svar; ”Inga bedömda”: inga ärenden att bedöma.",
             "Traffic light: green reaches the target (default {g}), yellow reaches {y}, else red. "
             "“Not reviewed”: the question awaits the reviewer's answer; “None assessed”: no cases to assess.",
             g=labels.pct(report.green), y=labels.pct(report.yellow))


def suppression_sentence(report: Report) -> str:
    """What X means in a public report."""
    return t("Uppgiften avser 1–{k} ärenden, eller skulle kunna räknas fram ur summor, och är skyddad "
             "(OSL 26 kap. 1 §, 24 kap. 8 §). Noll visas.",
             "The figure concerns 1–{k} cases, or could be worked out from totals, and is protected "
             "(OSL ch. 26 s. 1, ch. 24 s. 8). Zero is shown.", k=report.min_count - 1)


def legend_lines(report: Report) -> list[str]:
    """The legend as lines of text (Excel, Word)."""
    lines = [share_sentence(), light_sentence(report)]
    lines += [f"{word}: {meaning}" for word, meaning in status_legend()]
    if report.public:
        lines.append("X: " + suppression_sentence(report))
    return lines
