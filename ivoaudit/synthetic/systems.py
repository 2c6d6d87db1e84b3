"""The two case-system styles: headers, codes, file format and their mapping files.

``lifecare`` imitates a Lifecare/Procapita export (semicolon CSV in cp1252, ISO dates as
text); ``treserva`` a Treserva report (XLSX with a named sheet, real Excel date cells). The
mapping files follow ``shared/spec/data-model.md`` exactly (columns/values/constants/dates/sheet).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ivoaudit.fields import header_fingerprint


@dataclass(frozen=True)
class System:
    name: str
    format: str  # "csv" or "xlsx"
    columns: dict[str, str]  # canonical field -> header, in file order
    values: dict[str, dict[str, list[str]]]  # field -> canonical code -> codes (first is written)
    event_columns: dict[str, str]
    event_values: dict[str, list[str]]
    sheet: str | None = None
    event_sheet: str | None = None
    encoding: str = "cp1252"
    delimiter: str = ";"
    person_hyphen: bool = True
    case_prefix: str = ""
    unknown_codes: tuple[str, ...] = field(default=("Vet ej", "?", "Oklart"))

    def code(self, fld: str, canonical: str) -> str:
        """The code this system writes for ``canonical`` in ``fld``."""
        return self.values[fld][canonical][0]

    def mapping(self) -> dict:
        """The case-extract mapping file (data-model.md format) as a plain dict."""
        out: dict = {}
        if self.sheet:
            out["sheet"] = self.sheet
        out["columns"] = dict(self.columns)
        # The export's header row, so `check` without --mapping recognises it (load.detect).
        out["fingerprint"] = header_fingerprint(list(self.columns.values()))
        out["values"] = {f: {k: list(v) for k, v in codes.items()} for f, codes in self.values.items()}
        out["dates"] = {"dayfirst": True}
        return out

    def events_mapping(self) -> dict:
        """The events mapping file."""
        out: dict = {}
        if self.event_sheet:
            out["sheet"] = self.event_sheet
        out["columns"] = dict(self.event_columns)
        out["fingerprint"] = header_fingerprint(list(self.event_columns.values()))
        out["values"] = {"event_type": {k: list(v) for k, v in self.event_values.items()}}
        out["dates"] = {"dayfirst": True}
        return out


LIFECARE = System(
    name="lifecare",
    format="csv",
    columns={
        "case_id": "Ärendenr", "person_id": "Personnr", "area": "Verksamhet", "unit": "Enhet",
        "caseworker": "Handläggare", "received_date": "Anmälan inkom",
        "protection_assessment_date": "Skyddsbedömning", "preliminary_decision_date": "Beslut förhandsbedömning",
        "preliminary_outcome": "Förhandsbedömning", "preliminary_delay_reason": "Synnerliga skäl",
        "investigation_start": "Utredning inledd", "child_meeting_date": "Samtal med barnet",
        "extension_decision_date": "Beslut förlängning", "extended_until": "Förlängd till",
        "investigation_end": "Utredning avslutad", "decision_date": "Beslutsdatum",
        "decision_outcome": "Beslut", "decision_communicated_date": "Expedierat",
        "appeal_information": "Överklagandehänvisning", "execution_date": "Verkställt",
        "execution_interrupted_date": "Avbrott", "execution_resumed_date": "Återupptaget",
        "intervention_type": "Insats", "legal_basis": "Lagrum", "child_informed": "Barnet informerat",
        "child_views": "Barnets åsikter", "individual_plan_date": "Individuell plan",
        "own_view_documented": "Egen uppfattning", "followup_date": "Uppföljning",
    },
    values={
        "area": {"barn_unga": ["Barn och unga"], "funktionshinder": ["Funktionshinder"],
                 "missbruk": ["Missbruk"], "aldre": ["Äldreomsorg"]},
        "preliminary_outcome": {"open": ["Inleda utredning"], "not_open": ["Ej inleda"],
                                "joined": ["Läggs till pågående"]},
        "decision_outcome": {"granted": ["Bifall"], "partly_granted": ["Delvis bifall"],
                             "rejected": ["Avslag"], "none": ["Inget beslut"]},
        "appeal_information": {"yes": ["Ja"], "no": ["Nej"]},
        "legal_basis": {"SoL": ["SoL"], "LSS": ["LSS"], "LVU": ["LVU"], "LVM": ["LVM"]},
        "child_informed": {"yes": ["Ja"], "no": ["Nej"], "reason": ["Skäl angivet"]},
        "child_views": {"yes": ["Ja"], "no": ["Nej"], "reason": ["Skäl angivet"]},
        "own_view_documented": {"yes": ["Ja"], "no": ["Nej"]},
    },
    event_columns={"case_id": "Ärendenr", "event_date": "Datum", "event_type": "Händelse"},
    event_values={"review": ["Övervägande"], "decision": ["Beslut"], "journal": ["Journalanteckning"],
                  "child_meeting": ["Barnsamtal"]},
)

TRESERVA = System(
    name="treserva",
    format="xlsx",
    sheet="Ärenden",
    event_sheet="Händelser",
    encoding="utf-8",
    delimiter=",",
    person_hyphen=False,
    case_prefix="A",
    columns={
        "case_id": "Aktualiserings-ID", "person_id": "Personnummer", "area": "Verksamhetsområde",
        "unit": "Arbetsgrupp", "caseworker": "Ansvarig handläggare", "received_date": "Aktualiseringsdatum",
        "protection_assessment_date": "Skyddsbedömning datum",
        "preliminary_decision_date": "Förhandsbedömning klar", "preliminary_outcome": "Beslut om utredning",
        "preliminary_delay_reason": "Orsak försening", "investigation_start": "Utredningsstart",
        "child_meeting_date": "Barnsamtal", "extension_decision_date": "Förlängningsbeslut",
        "extended_until": "Utredning förlängd till", "investigation_end": "Utredning klar",
        "decision_date": "Beslut fattat", "decision_outcome": "Beslutstyp",
        "decision_communicated_date": "Underrättelse", "appeal_information": "Besvärshänvisning",
        "execution_date": "Verkställighetsdatum", "execution_interrupted_date": "Avbrott verkställighet",
        "execution_resumed_date": "Verkställighet återupptagen", "intervention_type": "Insatstyp",
        "child_informed": "Barnet har informerats", "child_views": "Barnets synpunkter",
        "individual_plan_date": "Vårdplan", "followup_date": "Uppföljningsdatum",
    },
    values={
        "area": {"barn_unga": ["IFO Barn och familj"], "funktionshinder": ["LSS/Funktionsstöd"],
                 "missbruk": ["IFO Vuxen"], "aldre": ["Äldreomsorg"]},
        "preliminary_outcome": {"open": ["Inleds"], "not_open": ["Inleds ej"],
                                "joined": ["Sammanläggs med pågående"]},
        "decision_outcome": {"granted": ["Beviljat"], "partly_granted": ["Delvis beviljat"],
                             "rejected": ["Avslag"], "none": ["Ingen insats"]},
        "appeal_information": {"yes": ["J"], "no": ["N"]},
        "child_informed": {"yes": ["J"], "no": ["N"], "reason": ["Skäl"]},
        "child_views": {"yes": ["J"], "no": ["N"], "reason": ["Skäl"]},
    },
    event_columns={"case_id": "Aktualiserings-ID", "event_date": "Händelsedatum", "event_type": "Händelsetyp"},
    event_values={"review": ["Övervägande placering"], "decision": ["Beslut"], "journal": ["Journal"],
                  "child_meeting": ["Samtal barn"]},
)

SYSTEMS: dict[str, System] = {s.name: s for s in (LIFECARE, TRESERVA)}
