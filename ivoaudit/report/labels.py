"""Report wording shared by every renderer (Swedish and English side by side)."""

from __future__ import annotations

from ivoaudit.i18n import t
from ivoaudit.wording import STATUS_WORDS, status_word

SUPPRESSED_MARK = "X"  # Socialstyrelsen's convention for a protected figure


def status_label(status: str) -> str:
    """The heading for a result status (or a derived count such as ``denominator``)."""
    if status in STATUS_WORDS:
        return status_word(status)
    return {
        "applicable": t("Tillämpliga", "Applicable"),
        "noncompliant": t("Avvikelser", "Deviations"),
        "denominator": t("Bedömda", "Assessed"),
    }[status]


def light_label(light: str) -> str:
    """A traffic light as a word, so colour is never the only cue."""
    return {
        "green": t("Grön", "Green"),
        "yellow": t("Gul", "Yellow"),
        "red": t("Röd", "Red"),
        "none": t("Inga bedömda", "None assessed"),
        "suppressed": t("Skyddad", "Protected"),
    }[light]


def basis_label(basis: str) -> str:
    """Heading for a rule's basis: legal duty apart from practice and local targets."""
    return {
        "law": t("Lagkrav", "Legal duties"),
        "practice": t("Praxis och vägledning", "Practice and guidance"),
        "local": t("Lokala mål", "Local targets"),
    }.get(basis, basis)


def sex_label(code: str | None) -> str:
    """Label for a sex code."""
    return {"F": t("Kvinnor/flickor", "Women/girls"), "M": t("Män/pojkar", "Men/boys")}.get(
        code or "", t("Okänt kön", "Sex unknown"))


def unknown_label() -> str:
    """Label for a missing group (no unit, caseworker or age group in the extract)."""
    return t("(uppgift saknas)", "(not given)")


def area_label(area: str | None) -> str:
    """Label for an area code."""
    return {
        "barn_unga": t("Barn och unga", "Children and young people"),
        "funktionshinder": t("Funktionshinder", "Disability"),
        "missbruk": t("Missbruk", "Substance abuse"),
        "aldre": t("Äldreomsorg", "Elderly care"),
    }.get(area or "", t("Alla områden", "All areas"))


def pct(rate: float | None) -> str:
    """A share as a whole percent in the current language (Swedish: '95 %')."""
    if rate is None:
        return "–"
    return t("{v} %", "{v}%", v=f"{rate * 100:.0f}")


def count(value: int | None) -> str:
    """A count for display; a suppressed count shows as the suppression mark."""
    return SUPPRESSED_MARK if value is None else f"{value:,}".replace(",", "\u00a0")
