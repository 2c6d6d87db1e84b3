"""The canonical case fields and their codes (``shared/spec/data-model.md``).

This module is the single place that knows the field names, their types, the canonical
codes and the common header names case systems use for them. Everything else imports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class FieldType(StrEnum):
    TEXT = "text"
    DATE = "date"
    CODE = "code"  # one of a fixed set of canonical values
    PERSON = "person"  # personnummer / samordningsnummer, pseudonymised on load


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType
    sv: str  # Swedish label (what users call it)
    en: str
    codes: tuple[str, ...] = ()
    required: bool = False
    # Header names recognised without a mapping file, besides the canonical name itself.
    # Compared after folding case, spaces and punctuation (see ivoaudit.load.headers).
    synonyms: tuple[str, ...] = field(default=())


AREAS = ("barn_unga", "funktionshinder", "missbruk", "aldre")
YES_NO = ("yes", "no")
YES_NO_REASON = ("yes", "no", "reason")

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("case_id", FieldType.TEXT, "Ärendenummer", "Case id", required=True,
              synonyms=("ärendenr", "ärendenummer", "ärende", "ärende id", "ärendeid",
                        "aktualiseringsid", "aktualisering id", "aktualiserings id", "akt id", "dnr",
                        "diarienummer",
                        "case", "case no", "case number", "caseid")),
    FieldSpec("person_id", FieldType.PERSON, "Personnummer", "Personal identity number",
              synonyms=("personnr", "personnummer", "pnr", "person nr", "samordningsnummer",
                        "personnummer samordningsnummer", "id nummer", "personal number",
                        "personal identity number", "ssn", "person id")),
    FieldSpec("area", FieldType.CODE, "Verksamhetsområde", "Area", codes=AREAS,
              synonyms=("verksamhetsområde", "verksamhet", "område", "målgrupp", "area")),
    FieldSpec("unit", FieldType.TEXT, "Enhet", "Unit",
              synonyms=("enhet", "arbetsgrupp", "grupp", "enhet grupp", "avdelning", "unit", "team")),
    FieldSpec("caseworker", FieldType.TEXT, "Handläggare", "Caseworker",
              synonyms=("handläggare", "ansvarig handläggare", "socialsekreterare", "handl",
                        "caseworker", "case worker", "social worker")),
    FieldSpec("sex", FieldType.CODE, "Kön", "Sex", codes=("F", "M"),
              synonyms=("kön", "sex", "gender")),
    FieldSpec("birth_date", FieldType.DATE, "Födelsedatum", "Birth date",
              synonyms=("födelsedatum", "född", "födelsedag", "birth date", "date of birth", "dob")),
    FieldSpec("received_date", FieldType.DATE, "Anmälan/ansökan inkom", "Received",
              synonyms=("anmälan inkom", "ansökan inkom", "inkom", "inkommen", "inkomstdatum",
                        "aktualiserad", "aktualiseringsdatum", "datum aktualisering", "datum anmälan",
                        "anmälningsdatum",
                        "ansökningsdatum", "begäran inkom", "received", "received date", "report date")),
    FieldSpec("protection_assessment_date", FieldType.DATE, "Skyddsbedömning", "Protection assessment",
              synonyms=("skyddsbedömning", "skyddsbedömning gjord", "skyddsbedömning datum",
                        "datum skyddsbedömning", "protection assessment")),
    FieldSpec("preliminary_decision_date", FieldType.DATE, "Beslut förhandsbedömning",
              "Preliminary assessment decision",
              synonyms=("beslut förhandsbedömning", "förhandsbedömning", "förhandsbedömning klar",
                        "beslut om utredning", "beslut inleda utredning", "datum förhandsbedömning",
                        "preliminary decision", "preliminary assessment decision")),
    FieldSpec("preliminary_outcome", FieldType.CODE, "Utfall förhandsbedömning", "Preliminary outcome",
              codes=("open", "not_open", "joined"),
              synonyms=("utfall förhandsbedömning", "förhandsbedömning utfall", "inleds", "inleda utredning",
                        "resultat förhandsbedömning", "preliminary outcome")),
    FieldSpec("preliminary_delay_reason", FieldType.TEXT, "Synnerliga skäl", "Special reasons for delay",
              synonyms=("synnerliga skäl", "skäl förlängd förhandsbedömning", "orsak försening",
                        "delay reason", "preliminary delay reason")),
    FieldSpec("investigation_start", FieldType.DATE, "Utredning inledd", "Investigation opened",
              synonyms=("utredning inledd", "utredning startad", "utredningsstart", "inledd",
                        "investigation start", "investigation opened")),
    FieldSpec("child_meeting_date", FieldType.DATE, "Första samtal med barnet", "First meeting with the child",
              synonyms=("första samtal med barnet", "samtal med barnet", "barnsamtal",
                        "child meeting", "child meeting date")),
    FieldSpec("extension_decision_date", FieldType.DATE, "Beslut om förlängning", "Extension decided",
              synonyms=("beslut om förlängning", "förlängning beslutad", "beslut förlängd utredningstid",
                        "förlängningsbeslut", "extension decision", "extension decision date")),
    FieldSpec("extended_until", FieldType.DATE, "Förlängd till", "Extended until",
              synonyms=("förlängd till", "utredning förlängd till", "förlängt till", "extended until")),
    FieldSpec("investigation_end", FieldType.DATE, "Utredning avslutad", "Investigation completed",
              synonyms=("utredning avslutad", "utredning klar", "utredningen avslutad", "avslutad",
                        "investigation end", "investigation completed")),
    FieldSpec("decision_date", FieldType.DATE, "Beslutsdatum", "Decision date",
              synonyms=("beslutsdatum", "beslut datum", "datum beslut", "beslut fattat", "decision date")),
    # A bare "Beslut" is this field: in case-system exports (Lifecare/Procapita among them) a
    # column "Beslut" beside "Beslutsdatum" holds the decision itself (Bifall/Avslag); the
    # preliminary assessment's outcome is always named with it ("Beslut förhandsbedömning",
    # "Förhandsbedömning utfall", "Beslut om utredning"), so "beslut" is not its synonym. A
    # "Beslut" column that holds something else (dates, "Inleda utredning") is not silently
    # misread: each cell is a code_unknown in problems.csv and the rule on it missing_data.
    FieldSpec("decision_outcome", FieldType.CODE, "Beslut", "Decision outcome",
              codes=("granted", "partly_granted", "rejected", "none"),
              synonyms=("beslut", "beslutsutfall", "utfall beslut", "beslutstyp", "bifall avslag",
                        "decision", "decision outcome")),
    FieldSpec("decision_communicated_date", FieldType.DATE, "Beslut expedierat", "Decision communicated",
              synonyms=("beslut expedierat", "expedierat", "underrättelse", "beslut meddelat",
                        "decision communicated", "decision communicated date")),
    FieldSpec("appeal_information", FieldType.CODE, "Överklagandehänvisning", "Appeal instructions",
              codes=YES_NO, synonyms=("överklagandehänvisning", "besvärshänvisning", "appeal information")),
    FieldSpec("execution_date", FieldType.DATE, "Verkställd", "Executed",
              synonyms=("verkställd", "verkställighetsdatum", "verkställt", "insats verkställd",
                        "execution date", "executed")),
    FieldSpec("execution_interrupted_date", FieldType.DATE, "Verkställighet avbruten", "Execution interrupted",
              synonyms=("verkställighet avbruten", "avbrott", "avbrott verkställighet",
                        "execution interrupted", "execution interrupted date")),
    FieldSpec("execution_resumed_date", FieldType.DATE, "Verkställighet återupptagen", "Execution resumed",
              synonyms=("verkställighet återupptagen", "återupptagen", "execution resumed",
                        "execution resumed date")),
    # The short reason for a delay that the quarterly report to IVO asks for (SoL 34 kap. 1 §,
    # LSS 28 f §): free text, shown only in the internal individual list.
    FieldSpec("execution_delay_reason", FieldType.TEXT, "Skäl till dröjsmål med verkställighet",
              "Reason for delayed execution",
              synonyms=("skäl till dröjsmål", "orsak till dröjsmål", "dröjsmålsorsak", "skäl dröjsmål",
                        "orsak ej verkställt", "skäl ej verkställt", "anledning ej verkställt",
                        "orsak ej verkställd", "skäl ej verkställd", "verkställighetshinder",
                        "reason not executed", "execution delay reason", "reason for delay")),
    FieldSpec("intervention_type", FieldType.TEXT, "Insats", "Intervention",
              synonyms=("insats", "insatstyp", "bistånd", "intervention", "intervention type")),
    FieldSpec("legal_basis", FieldType.CODE, "Lagrum", "Legal basis", codes=("SoL", "LSS", "LVU", "LVM"),
              synonyms=("lagrum", "lag", "legal basis", "law")),
    FieldSpec("child_informed", FieldType.CODE, "Barnet informerat", "Child informed", codes=YES_NO_REASON,
              synonyms=("barnet informerat", "barnet har informerats", "information till barnet",
                        "child informed")),
    FieldSpec("child_views", FieldType.CODE, "Barnets åsikter", "Child's views", codes=YES_NO_REASON,
              synonyms=("barnets åsikter", "barnets åsikt", "barnets synpunkter", "barnets åsikter framgår",
                        "child views", "child's views")),
    FieldSpec("individual_plan_date", FieldType.DATE, "Individuell plan", "Individual plan",
              synonyms=("individuell plan", "vårdplan", "sip", "genomförandeplan upprättad",
                        "individual plan", "individual plan date")),
    FieldSpec("own_view_documented", FieldType.CODE, "Egen uppfattning dokumenterad", "Own view documented",
              codes=YES_NO, synonyms=("egen uppfattning", "egen uppfattning dokumenterad",
                                      "den enskildes uppfattning", "own view documented")),
    FieldSpec("followup_date", FieldType.DATE, "Uppföljning", "Follow-up",
              synonyms=("uppföljning", "uppföljningsdatum", "följts upp", "followup", "follow up date",
                        "followup date")),
)

FIELDS_BY_NAME: dict[str, FieldSpec] = {f.name: f for f in FIELDS}
DATE_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.type is FieldType.DATE)
CODE_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.type is FieldType.CODE)

# Events table (optional second extract, one row per journal entry or decision).
EVENT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("case_id", FieldType.TEXT, "Ärendenummer", "Case id", required=True,
              synonyms=FIELDS_BY_NAME["case_id"].synonyms),
    FieldSpec("event_date", FieldType.DATE, "Händelsedatum", "Event date", required=True,
              synonyms=("händelsedatum", "datum", "journaldatum", "event date", "date")),
    FieldSpec("event_type", FieldType.CODE, "Händelsetyp", "Event type",
              codes=("journal", "child_meeting", "review", "decision"), required=True,
              synonyms=("händelsetyp", "typ", "anteckningstyp", "event type", "type")),
)

# Spellings accepted for yes/no/reason fields besides the canonical codes (matched after
# folding case and surrounding white space). Anything else is a data-quality problem.
YES_NO_SPELLINGS: dict[str, str] = {
    "ja": "yes", "j": "yes", "yes": "yes", "y": "yes", "1": "yes", "true": "yes", "sant": "yes",
    "nej": "no", "n": "no", "no": "no", "0": "no", "false": "no", "falskt": "no",
    "skäl angivet": "reason", "skäl": "reason", "reason": "reason", "orsak angiven": "reason",
}


# How canonical codes read to a person (review forms, reports), Swedish and English.
CODE_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "area": {"barn_unga": ("Barn och unga", "Children and young people"),
             "funktionshinder": ("Funktionshinder", "Disability"),
             "missbruk": ("Missbruk", "Substance abuse"), "aldre": ("Äldreomsorg", "Elderly care")},
    "sex": {"F": ("Kvinna/flicka", "Female"), "M": ("Man/pojke", "Male")},
    "preliminary_outcome": {"open": ("Inleda utredning", "Open an investigation"),
                            "not_open": ("Inte inleda utredning", "Not open an investigation"),
                            "joined": ("Läggs till pågående utredning", "Added to an ongoing investigation")},
    "decision_outcome": {"granted": ("Bifall", "Granted"), "partly_granted": ("Delvis bifall", "Partly granted"),
                         "rejected": ("Avslag", "Rejected"), "none": ("Inget beslut", "No decision")},
    "appeal_information": {"yes": ("Ja", "Yes"), "no": ("Nej", "No")},
    "own_view_documented": {"yes": ("Ja", "Yes"), "no": ("Nej", "No")},
    "child_informed": {"yes": ("Ja", "Yes"), "no": ("Nej", "No"), "reason": ("Skäl angivet", "Reason given")},
    "child_views": {"yes": ("Ja", "Yes"), "no": ("Nej", "No"), "reason": ("Skäl angivet", "Reason given")},
}


def code_label(name: str, code: str, lang: str) -> str:
    """The readable label of canonical ``code`` of field ``name``; the code itself if none."""
    labels = CODE_LABELS.get(name, {}).get(code)
    if labels is None:
        return code
    return labels[1] if lang == "en" else labels[0]


def label(name: str, lang: str) -> str:
    """The field's label in ``lang`` (``sv`` or ``en``); a case field or one of the events table."""
    spec = FIELDS_BY_NAME.get(name) or {f.name: f for f in EVENT_FIELDS}[name]
    return spec.en if lang == "en" else spec.sv


def fold_header(header: object) -> str:
    """A header as compared when recognising an export: spaces collapsed, case-folded."""
    return " ".join(str(header).split()).casefold()


def header_fingerprint(headers: Sequence[object]) -> str:
    """The digest of a header row that a shipped mapping file carries (``fingerprint:``):
    headers folded (:func:`fold_header`), sorted, blanks left out; 16 hex digits."""
    import hashlib

    names = sorted({fold_header(h) for h in headers if str(h).strip()})
    return hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest()[:16]
