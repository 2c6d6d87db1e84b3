"""The catalogue of data-quality problems: every problem code is one typed record.

A problem is a finding about the *data* (a cell that cannot be read, a row that cannot be
loaded), recorded, never raised (see ``ivoaudit.errors`` for what is raised). Each kind has one
:class:`ProblemType` here: its ``code`` (stable, machine-readable, written to ``problems.csv``
and ``quarantine.csv``), a short ``title`` (``inspect``, the reports), a ``description`` (the
documentation, ``docs/problems.md``, generated from this module) and the ``template`` of the
message a row gets, each in Swedish and English. ``level`` says where a problem lands:
``row`` — the row is not loaded (``quarantine``); ``cell`` — the row is loaded and the cell
counts as invalid (``problems``); ``event`` — a row of the events table the rules could not use.

Unknown codes are refused (:func:`problem_type` raises ``KeyError``): a new kind of problem is
one new record here, and the documentation follows by regenerating it
(``python -m ivoaudit.problems > docs/problems.md``; a test keeps the file fresh).

Modelled on frictionless-py's ``errors/cell.py`` (a type, title, description and template per
error class).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from ivoaudit.i18n import t, use_language

Level = Literal["row", "cell", "event"]


@dataclass(frozen=True)
class ProblemType:
    """One kind of data-quality problem (texts as ``(svenska, English)`` pairs)."""

    code: str
    level: Level
    title: tuple[str, str]
    description: tuple[str, str]
    template: tuple[str, str]

    def title_text(self) -> str:
        """The title in the current language."""
        return t(*self.title)

    def message(self, **params: object) -> str:
        """The message for one occurrence in the current language, ``params`` filled in."""
        return t(*self.template, **params)


_TYPES: tuple[ProblemType, ...] = (
    # --- rows that are not loaded (quarantine.csv) ---------------------------------------
    ProblemType(
        "row_malformed", "row",
        ("Fel antal fält på raden", "Wrong number of fields on the row"),
        ("En CSV-rad har fler eller färre fält än rubrikraden, oftast för att en avgränsare finns "
         "i en text utan citattecken. Raden läses inte in.",
         "A CSV line has more or fewer fields than the header row, usually because a delimiter "
         "sits in a text without quotes. The row is not loaded."),
        ("Raden har {actual} fält men rubrikraden har {expected}. Kontrollera citattecken och "
         "avgränsare på raden.",
         "The row has {actual} fields but the header row has {expected}. Check the quotes and "
         "delimiters on the row."),
    ),
    ProblemType(
        "row_quote", "row",
        ("Citattecken som inte stämmer", "Unbalanced quotes"),
        ("Ett citattecken (\") saknas eller är för mycket, så att CSV-läsaren inte kan avgöra var "
         "raden slutar. Raderna räknas utan CSV-läsaren (fysiska rader) och varje rad som inte kunde "
         "läsas in som ett eget ärende hamnar här, med sitt radnummer, i stället för att "
         "försvinna i en annan rad.",
         "A double quote (\") is missing or one too many, so the CSV reader cannot tell where the "
         "row ends. Rows are counted without the CSV reader (physical lines) and every line that "
         "could not be read as a case of its own is listed here with its line number, instead of "
         "disappearing into another row."),
        ("Ett citattecken saknas eller är för mycket på rad {line}; raderna {lines} kunde inte läsas "
         "in var för sig. Rätta citattecknen (en text med citattecken skrivs \"så här \"\"citerat\"\"\") "
         "eller gör ett nytt uttag.",
         "A double quote is missing or one too many on line {line}; lines {lines} could not be read "
         "one by one. Correct the quotes (a text with quotes is written \"like \"\"this\"\"\") or make "
         "a new extract."),
    ),
    ProblemType(
        "row_blank", "row",
        ("Tom rad", "Empty row"),
        ("Varje cell på raden är tom (en rad utan några tecken alls räknas inte som datarad).",
         "Every cell of the row is blank (a line with no characters at all is not a data row)."),
        ("Raden är tom.", "The row is empty."),
    ),
    ProblemType(
        "case_id_missing", "row",
        ("Ärendenummer saknas", "Case id missing"),
        ("Raden har inget ärendenummer och kan inte kopplas till ett ärende.",
         "The row has no case id and cannot be tied to a case."),
        ("Ärendenummer saknas; raden kan inte läsas in.",
         "The case id is missing; the row cannot be loaded."),
    ),
    ProblemType(
        "duplicate_identical", "row",
        ("Identisk dubblett (sammanslagen)", "Identical duplicate (collapsed)"),
        ("Raden är identisk (efter att blanksteg runt värdena tagits bort) med en tidigare rad med "
         "samma ärendenummer. Den första läses in, kopiorna hamnar här.",
         "The row is identical (after white space around the values is removed) to an earlier row "
         "with the same case id. The first is loaded, the copies are listed here."),
        ("Dubblett: raden är identisk med rad {first}, som lästes in.",
         "Duplicate: the row is identical to row {first}, which was loaded."),
    ),
    ProblemType(
        "duplicate_conflict", "row",
        ("Samma ärendenummer, olika innehåll", "Same case id, different content"),
        ("Samma ärendenummer finns på flera rader med olika innehåll. Ingen av dem läses in, "
         "eftersom det inte går att veta vilken som stämmer.",
         "The same case id is on several rows with different content. None of them is loaded, "
         "since there is no knowing which is right."),
        ("Ärendenumret finns också på rad {others} med annat innehåll; ingen av raderna läses in. "
         "Rätta uttaget så att varje ärende finns på en rad.",
         "The case id is also on row {others} with different content; none of the rows is loaded. "
         "Correct the extract so that each case is on one row."),
    ),
    # --- cells that cannot be read (problems.csv; the row is loaded) ---------------------
    ProblemType(
        "code_unknown", "cell",
        ("Okänd kod", "Unknown code"),
        ("Ett kodfält (t.ex. utfall, verksamhetsområde, ja/nej) har ett värde som varken är en "
         "kanonisk kod, en inbyggd stavning eller mappad under values: i mappningsfilen. Cellen "
         "räknas som ogiltig, aldrig som ett tyst \"nej\".",
         "A code field (e.g. an outcome, the area, yes/no) has a value that is neither a canonical "
         "code, a built-in spelling nor mapped under values: in the mapping file. The cell counts "
         "as invalid, never as a silent \"no\"."),
        ("Okänd kod för {field}. Tillåtna värden: {allowed}. Lägg till koden under values: i "
         "mappningsfilen om den betyder något av dem.",
         "Unknown code for {field}. Allowed values: {allowed}. Add the code under values: in the "
         "mapping file if it means one of them."),
    ),
    ProblemType(
        "area_blank", "cell",
        ("Verksamhetsområde saknas", "Area blank"),
        ("Ärendet har inget verksamhetsområde i en kolumn som annars anger det. Området avgör vilka "
         "regler som gäller (barn och unga, funktionshinder, missbruk, äldre), så ärendet får Uppgift "
         "saknas i varje regel som hör till ett område, aldrig ett tyst \"gäller inte\".",
         "The case has no area in a column that otherwise gives it. The area decides which rules "
         "apply (children and young people, disability, substance abuse, elderly care), so the case is "
         "Missing data in every rule of an area, never a silent \"does not apply\"."),
        ("{field} saknas. Det avgör vilka regler som gäller ärendet: fyll i det i verksamhetssystemet "
         "och gör ett nytt uttag.",
         "{field} is blank. It decides which rules apply to the case: fill it in in the case system "
         "and make a new extract."),
    ),
    ProblemType(
        "case_id_invisible", "cell",
        ("Osynliga tecken i ärendenumret", "Invisible characters in the case id"),
        ("Ärendenumret innehöll osynliga formateringstecken (t.ex. nollbredds-mellanslag eller "
         "byte-order mark), ofta inkopierade från webb eller e-post. De tas bort, så att samma ärende "
         "inte räknas två gånger; raden läses in med det rensade numret.",
         "The case id held invisible formatting characters (e.g. zero-width spaces or a byte-order "
         "mark), often pasted from the web or e-mail. They are removed, so that one case is not "
         "counted twice; the row is loaded with the cleaned id."),
        ("Ärendenumret innehöll osynliga tecken som togs bort. Rätta numret i verksamhetssystemet om "
         "det behövs.",
         "The case id held invisible characters, which were removed. Correct the id in the case "
         "system if needed."),
    ),
    ProblemType(
        "sex_mismatch", "cell",
        ("Kön stämmer inte med personnumret", "Sex does not match the number"),
        ("Uttagets kön skiljer sig från det som personnumret anger. Uttagets värde behålls, "
         "eftersom verksamhetssystemet kan ha rätt (t.ex. ändrat juridiskt kön).",
         "The extract's sex differs from what the personal identity number says. The extract's "
         "value is kept, since the case system may be right (e.g. a changed legal sex)."),
        ("Kön stämmer inte med personnumret (uttagets värde behålls).",
         "Sex does not match the personal identity number (the extract's value is kept)."),
    ),
    ProblemType(
        "birth_date_mismatch", "cell",
        ("Födelsedatum stämmer inte med personnumret", "Birth date does not match the number"),
        ("Uttagets födelsedatum skiljer sig från personnumrets. Uttagets värde behålls.",
         "The extract's birth date differs from the personal identity number's. The extract's "
         "value is kept."),
        ("Födelsedatum stämmer inte med personnumret (uttagets värde behålls).",
         "Birth date does not match the personal identity number (the extract's value is kept)."),
    ),
    ProblemType(
        "date_unparseable", "cell",
        ("Datum som inte kan läsas", "Unreadable date"),
        ("Cellen är inte ett datum i någon form som läses: ÅÅÅÅ-MM-DD (även med / eller . och med "
         "klockslag), ÅÅÅÅMMDD, Excel-datum, eller DD/MM/ÅÅÅÅ med dates: dayfirst: true.",
         "The cell is not a date in any form that is read: YYYY-MM-DD (also with / or . and with a "
         "time), YYYYMMDD, an Excel date, or DD/MM/YYYY with dates: dayfirst: true."),
        ("Datumet kan inte läsas. Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-01-05.",
         "The date cannot be read. Write the date as YYYY-MM-DD, for example 2026-01-05."),
    ),
    ProblemType(
        "date_ambiguous_dayfirst", "cell",
        ("Tvetydigt datum (dag/månad)", "Ambiguous date (day/month)"),
        ("Ett datum som 03/04/2018 kan vara 3 april eller 4 mars. Det gissas aldrig: det läses bara "
         "när mappningsfilen säger dates: dayfirst: true.",
         "A date such as 03/04/2018 may be 3 April or 4 March. It is never guessed: it is read only "
         "when the mapping file says dates: dayfirst: true."),
        ("Datumet kan läsas på två sätt (dag/månad eller månad/dag). Skriv det som ÅÅÅÅ-MM-DD, eller "
         "ange dates: dayfirst: true i mappningsfilen om uttaget skriver dagen först.",
         "The date can be read two ways (day/month or month/day). Write it as YYYY-MM-DD, or set "
         "dates: dayfirst: true in the mapping file if the extract writes the day first."),
    ),
    ProblemType(
        "date_two_digit_year", "cell",
        ("Datum med tvåsiffrigt år", "Date with a two-digit year"),
        ("Året har två siffror, så århundradet är okänt; datumet gissas inte.",
         "The year has two digits, so the century is unknown; the date is not guessed."),
        ("Året har bara två siffror, så århundradet är okänt. Skriv datumet med fyrsiffrigt år: "
         "ÅÅÅÅ-MM-DD.",
         "The year has only two digits, so the century is unknown. Write the date with a four-digit "
         "year: YYYY-MM-DD."),
    ),
    ProblemType(
        "date_impossible", "cell",
        ("Datum som inte finns", "Date that does not exist"),
        ("Datumet finns inte i kalendern (30 februari, 29 februari ett år som inte är skottår).",
         "The date does not exist in the calendar (30 February, 29 February of a year that is not "
         "a leap year)."),
        ("Datumet finns inte i kalendern (till exempel 30 februari). Rätta datumet i "
         "verksamhetssystemet eller uttaget.",
         "The date does not exist in the calendar (for example 30 February). Correct the date in "
         "the case system or the extract."),
    ),
    ProblemType(
        "date_implausible", "cell",
        ("Orimligt årtal", "Implausible year"),
        ("Datumet ligger före år 1900 eller efter år 2100 och är troligen felskrivet.",
         "The date is before 1900 or after 2100 and is probably mistyped."),
        ("Datumet ligger före år {lo} eller efter år {hi} och är troligen felskrivet. Kontrollera "
         "året.",
         "The date is before {lo} or after {hi} and is probably mistyped. Check the year."),
    ),
    ProblemType(
        "date_excel_1900_leap_bug", "cell",
        ("Excel-datum 1900-02-29", "Excel date 1900-02-29"),
        ("Excel-datumet 60 motsvarar 1900-02-29, som inte finns (ett känt fel i Excel).",
         "Excel date 60 stands for 1900-02-29, which does not exist (a known Excel bug)."),
        ("Excel-datumet 60 motsvarar 1900-02-29, som inte finns (ett känt fel i Excel). Skriv "
         "datumet som ÅÅÅÅ-MM-DD.",
         "Excel date 60 stands for 1900-02-29, which does not exist (a known Excel bug). Write the "
         "date as YYYY-MM-DD."),
    ),
    ProblemType(
        "pnr_format", "cell",
        ("Personnummer i fel format", "Personal number in a wrong format"),
        ("Personnumret har inte formen ÅÅÅÅMMDD-NNNN, ÅÅMMDD-NNNN (eller + för 100 år och äldre) och "
         "är inte ett reservnummer.",
         "The personal identity number is not of the form YYYYMMDD-NNNN, YYMMDD-NNNN (or + for 100 "
         "years and older) and is not a reserve number."),
        ("Personnumret har fel form. Skriv det som ÅÅÅÅMMDD-NNNN (tolv siffror), eller ÅÅMMDD-NNNN.",
         "The personal identity number has the wrong form. Write it as YYYYMMDD-NNNN (twelve "
         "digits), or YYMMDD-NNNN."),
    ),
    ProblemType(
        "pnr_date", "cell",
        ("Personnummer med ogiltigt datum", "Personal number with an invalid date"),
        ("Personnumrets datumdel är inte ett riktigt datum (samordningsnummer har dag + 60).",
         "The date part of the personal identity number is not a real date (a coordination number "
         "has day + 60)."),
        ("Personnumrets datumdel är inte ett riktigt datum. Kontrollera numret i "
         "verksamhetssystemet.",
         "The date part of the personal identity number is not a real date. Check the number in "
         "the case system."),
    ),
    ProblemType(
        "pnr_checksum", "cell",
        ("Personnummer med fel kontrollsiffra", "Personal number with a wrong check digit"),
        ("Kontrollsiffran (Luhn över ÅÅMMDDNNN) stämmer inte.",
         "The check digit (Luhn over YYMMDDNNN) does not match."),
        ("Personnumrets kontrollsiffra stämmer inte, så numret är troligen felskrivet. Kontrollera "
         "numret i verksamhetssystemet.",
         "The check digit of the personal identity number does not match, so the number is "
         "probably mistyped. Check the number in the case system."),
    ),
    ProblemType(
        "pnr_future", "cell",
        ("Personnummer med framtida födelsedatum", "Personal number born in the future"),
        ("Födelsedatumet i personnumret ligger efter dagens datum, oftast fel århundrade.",
         "The birth date in the personal identity number is after today, usually the wrong "
         "century."),
        ("Personnumrets födelsedatum ligger efter dagens datum. Kontrollera århundradet (19 eller "
         "20) i numret.",
         "The birth date in the personal identity number is after today. Check the century (19 or "
         "20) in the number."),
    ),
    # --- rows of the events table the rules cannot use (problems.csv) ----------------------
    ProblemType(
        "event_not_loaded", "event",
        ("Händelserad som inte kunde läsas in", "Event row that could not be loaded"),
        ("En rad i händelsetabellen (--events) kunde inte läsas in: den är tom, saknar ärendenummer "
         "eller har fel antal fält. Ingen regel använder den.",
         "A row of the events table (--events) could not be loaded: it is blank, has no case id or "
         "the wrong number of fields. No rule uses it."),
        ("Raden i händelsetabellen {file} kunde inte läsas in ({detail}); ingen regel använder "
         "händelsen. Rätta raden i uttaget eller gör ett nytt uttag.",
         "The row of the events table {file} could not be loaded ({detail}); no rule uses the "
         "event. Correct the row in the extract or make a new extract."),
    ),
    ProblemType(
        "event_date", "event",
        ("Händelse utan läsbart datum", "Event without a readable date"),
        ("Händelsens datum saknas eller kan inte läsas (till exempel 30 februari). Händelsen mäter "
         "inga tidsavstånd; en regel som behöver den (BU-OVERVAG-6M) ger Uppgift saknas för "
         "ärendet i stället för Uppfyllt, eftersom en lucka kan döljas.",
         "The event's date is blank or cannot be read (for example 30 February). The event "
         "measures no intervals; a rule that needs it (BU-OVERVAG-6M) gives Missing data for the "
         "case instead of Met, since a gap may be hidden."),
        ("Händelsen i {file} har inget läsbart datum ({detail}), så den används inte för att mäta "
         "tid. Rätta datumet i verksamhetssystemet och gör ett nytt uttag.",
         "The event in {file} has no readable date ({detail}), so it is not used to measure time. "
         "Correct the date in the case system and make a new extract."),
    ),
    ProblemType(
        "event_type", "event",
        ("Okänd eller saknad händelsetyp", "Unknown or missing event type"),
        ("Händelsetypen saknas eller är varken en kanonisk kod (journal, child_meeting, review, "
         "decision), en inbyggd stavning eller mappad under values: event_type i händelsemappningen. "
         "Ingen regel använder händelsen.",
         "The event type is blank or neither a canonical code (journal, child_meeting, review, "
         "decision), a built-in spelling nor mapped under values: event_type in the events "
         "mapping. No rule uses the event."),
        ("Händelsetypen i {file} är {detail}; ingen regel använder händelsen. Lägg till typen under "
         "values: event_type i händelsemappningen om den betyder journal, child_meeting, review "
         "eller decision.",
         "The event type in {file} is {detail}; no rule uses the event. Add the type under values: "
         "event_type in the events mapping if it means journal, child_meeting, review or decision."),
    ),
    ProblemType(
        "event_case_unknown", "event",
        ("Händelse för ett ärende som inte lästes in", "Event of a case that was not loaded"),
        ("Händelsens ärendenummer finns inte bland ärendena som lästes in från ärendeuttaget (det "
         "saknas i uttaget, eller raden står i quarantine.csv). Ingen regel använder händelsen.",
         "The event's case id is not among the cases loaded from the case extract (it is not in the "
         "extract, or its row is in quarantine.csv). No rule uses the event."),
        ("Ärendet finns inte bland de inlästa ärendena ({detail}), så händelsen i {file} används "
         "inte. Kontrollera att händelsetabellen och ärendeuttaget gäller samma ärenden och period.",
         "The case is not among the cases loaded ({detail}), so the event in {file} is not used. "
         "Check that the events table and the case extract cover the same cases and period."),
    ),
)

CATALOGUE: Final[dict[str, ProblemType]] = {p.code: p for p in _TYPES}
assert len(CATALOGUE) == len(_TYPES), "duplicate problem code"  # noqa: S101 (import-time invariant)


def problem_type(code: str) -> ProblemType:
    """The record for ``code``; ``KeyError`` for a code the catalogue does not have."""
    try:
        return CATALOGUE[code]
    except KeyError:
        raise KeyError(f"unknown problem code: {code!r} (add it to ivoaudit/problems.py)") from None


def problem_message(code: str, **params: object) -> str:
    """The message for one occurrence of ``code`` in the current language."""
    return problem_type(code).message(**params)


def problem_title(code: str) -> str:
    """The short title of ``code`` in the current language (the code itself if unknown:
    a problems.csv from an older version may hold codes this one no longer has)."""
    found = CATALOGUE.get(code)
    return found.title_text() if found else code


def render_markdown(lang: str = "sv") -> str:
    """``docs/problems.md``: every problem type with its code, level, title and description."""
    with use_language(lang):
        levels = {
            "row": t("Raden läses inte in (quarantine.csv)", "The row is not loaded (quarantine.csv)"),
            "cell": t("Raden läses in, cellen räknas som ogiltig (problems.csv)",
                      "The row is loaded, the cell counts as invalid (problems.csv)"),
            "event": t("Händelserad som reglerna inte kan använda (problems.csv)",
                       "Event row the rules cannot use (problems.csv)"),
        }
        lines = [
            t("# Datakvalitetsproblem", "# Data-quality problems"),
            "",
            t("Genererad ur `ivoaudit/problems.py` (`python -m ivoaudit.problems > docs/problems.md`). "
              "Koden står i kolumnen `code` i problems.csv och quarantine.csv.",
              "Generated from `ivoaudit/problems.py` (`python -m ivoaudit.problems --lang en`). "
              "The code is in the `code` column of problems.csv and quarantine.csv."),
        ]
        for level, heading in levels.items():
            members = [p for p in _TYPES if p.level == level]
            if not members:
                continue
            lines += ["", f"## {heading}", ""]
            for p in members:
                lines += [f"### `{p.code}`: {p.title_text()}", "", t(*p.description), ""]
                lines += [t("Meddelande: ", "Message: ") + f"_{t(*p.template)}_", ""]
        return "\n".join(lines).rstrip("\n") + "\n"


if __name__ == "__main__":  # python -m ivoaudit.problems [--lang en]
    import sys

    print(render_markdown("en" if "--lang" in sys.argv and sys.argv[-1] == "en" else "sv"), end="")
