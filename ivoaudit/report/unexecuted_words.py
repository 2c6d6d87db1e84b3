"""Words shared by the quarter's individual list and council report (Swedish and English)."""

from __future__ import annotations

from ivoaudit.i18n import t
from ivoaudit.report import labels


def kind_label(kind: str) -> str:
    """``not_executed`` / ``interrupted`` as a reader calls it."""
    return {"not_executed": t("Ej verkställt beslut", "Decision not executed"),
            "interrupted": t("Avbrott i verkställighet", "Execution interrupted")}.get(kind, kind)


def waited_label(bucket: str | None) -> str:
    """Time waited since the decision (or interruption), in calendar months."""
    return {"3-6": t("3–6 månader", "3–6 months"), "6-12": t("6–12 månader", "6–12 months"),
            "12+": t("mer än 12 månader", "more than 12 months")}.get(bucket or "", labels.unknown_label())


def basis_label(code: str | None) -> str:
    """SoL / LSS, or not given."""
    return code if code else labels.unknown_label()


def sex_label(code: str | None) -> str:
    """Women / men in the council statistics."""
    return {"F": t("Kvinnor och flickor", "Women and girls"), "M": t("Män och pojkar", "Men and boys")}.get(
        code or "", t("Kön okänt", "Sex not known"))


def why_label(why: str) -> str:
    """Why a decision of the last list is neither listed now nor executed."""
    return {
        "not_in_extract": t("Ärendet finns inte i uttaget", "The case is not in the extract"),
        "not_applicable": t("Inte längre ett bifallet beslut enligt SoL/LSS (ändrat, upphävt eller avslutat?)",
                            "No longer a granted SoL/LSS decision (changed, revoked or closed?)"),
        "pending": t("Tre månader har inte gått enligt uttaget (ändrat beslutsdatum?)",
                     "Three months have not passed according to the extract (changed decision date?)"),
        "missing_data": t("Kan inte bedömas: se bladet Kan inte bedömas",
                          "Cannot be judged: see the sheet Cannot be judged"),
        "pass": t("Verkställt utan datum att rapportera", "Executed without a date to report"),
        "fail": t("Verkställt utan datum att rapportera", "Executed without a date to report"),
    }.get(why, why)


def dimension_title(dimension: str) -> str:
    """Heading of a statistics table."""
    return {"kind": t("Slag", "Kind"), "legal_basis": t("Lagrum", "Legal basis"),
            "sex": t("Kvinnor och män", "Women and men"), "waited": t("Tid sedan beslutet", "Time since the decision"),
            "intervention_type": t("Typ av insats", "Type of intervention")}[dimension]


def key_label(dimension: str, key: str | None) -> str:
    """A statistics row's label."""
    if dimension == "kind":
        return kind_label(key or "")
    if dimension == "sex":
        return sex_label(key)
    if dimension == "waited":
        return waited_label(key)
    if dimension == "legal_basis":
        return basis_label(key)
    return key if key else labels.unknown_label()


__all__ = ["basis_label", "dimension_title", "key_label", "kind_label", "sex_label", "waited_label", "why_label"]
