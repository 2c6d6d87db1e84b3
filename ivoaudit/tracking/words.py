"""The words for tracking's codes, Swedish and English side by side.

Every output (terminal, Excel, Word, HTML, the web app) names a status, verdict or light
with these, and the Excel imports read them back (:func:`code_for`), in either language.
"""

from __future__ import annotations

from ivoaudit.i18n import get_language

ACTION_STATUS = {
    "planned": ("Planerad", "Planned"),
    "in_progress": ("Pågår", "In progress"),
    "done": ("Genomförd", "Done"),
    "effective": ("Har gett effekt", "Effective"),
    "not_effective": ("Har inte gett effekt", "Not effective"),
    "cancelled": ("Avbruten", "Cancelled"),
}
VERDICT = {
    "improved": ("Förbättrad", "Improved"),
    "not_improved": ("Ingen säker förbättring", "No clear improvement"),
    "worse": ("Försämrad", "Worse"),
    "target_reached": ("Målet nått", "Target reached"),
    "not_yet_measured": ("Inte mätt ännu", "Not yet measured"),
    "": ("Ingen regel mäter åtgärden", "No rule measures this action"),
}
LIGHT = {
    "green": ("Grön", "Green"),
    "yellow": ("Gul", "Yellow"),
    "red": ("Röd", "Red"),
    "grey": ("Grå", "Grey"),
}
DECISION_STATUS = {
    "open": ("Öppet", "Open"),
    "answered": ("Besvarat", "Answered"),
    "closed": ("Avslutat", "Closed"),
}
FINDING_STATUS = {
    "proposed": ("Föreslagen", "Proposed"),
    "open": ("Öppen", "Open"),
    "closed": ("Åtgärdad", "Closed"),
    "dismissed": ("Avfärdad", "Dismissed"),
}
FINDING_SOURCE = {
    "measurement": ("Egenkontroll", "Self-audit"),
    "review": ("Granskningsomgång", "Review round"),
    "ivo": ("IVO", "IVO"),
    "manual": ("Annan källa", "Other source"),
}
MEASUREMENT_KIND = {
    "check": ("Hela uttaget", "Whole extract"),
    "round": ("Stickprov", "Sample"),
    "ivo": ("IVO:s granskning", "IVO's review"),
}

ACTION_FIELD = {
    "created": ("Skapad", "Created"),
    "measure": ("Åtgärd", "Measure"),
    "responsible_role": ("Ansvarig roll", "Responsible role"),
    "responsible_person": ("Ansvarig person", "Responsible person"),
    "start_date": ("Start", "Start"),
    "deadline": ("Klart senast", "Deadline"),
    "followup_date": ("Uppföljningsdag", "Follow-up day"),
    "followup_method": ("Uppföljning hur", "Follow-up how"),
    "done_on": ("Klar", "Done on"),
    "evidence": ("Underlag", "Evidence"),
    "status": ("Status", "Status"),
    "rules": ("Regler", "Rules"),
    "demands": ("IVO-krav", "IVO demands"),
    "findings": ("Brister", "Findings"),
}


def change_text(field_name: str, old: str | None, new: str | None) -> str:
    """One history entry of an action in words: ``Status: Genomförd → Har gett effekt``."""
    def value(v: str | None) -> str:
        if v is None or v in ("", "[]"):
            return "–"
        if field_name in ("status", "created"):
            return word(ACTION_STATUS, v)
        if v.startswith("["):  # a link list, stored as JSON
            return v.strip("[]").replace('"', "").replace(",", ", ").replace(",  ", ", ")
        return v

    return f"{word(ACTION_FIELD, field_name)}: {value(old)} → {value(new)}"


def word(table: dict[str, tuple[str, str]], code: str | None, lang: str | None = None) -> str:
    """The word for ``code`` in ``lang`` (the language in force by default); the code itself
    when the table does not know it."""
    pair = table.get(code or "")
    if pair is None:
        return code or ""
    return pair[1] if (lang or get_language()) == "en" else pair[0]


def code_for(table: dict[str, tuple[str, str]], text: object) -> str | None:
    """The code whose word (in either language, any case) or code is ``text``; None if none."""
    folded = str(text or "").strip().casefold()
    for code, pair in table.items():
        if folded in (code.casefold(), pair[0].casefold(), pair[1].casefold()) and code:
            return code
    return None
