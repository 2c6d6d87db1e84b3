"""Report wording shared by every renderer (Swedish and English side by side)."""

from __future__ import annotations

from ivoaudit.fields import label as _field_label
from ivoaudit.i18n import get_language, t
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
        "not_reviewed": t("Ej granskad", "Not reviewed"),
    }[light]


def field_label(name: str) -> str:
    """A canonical field's name for readers, in the language in force."""
    return _field_label(name, get_language())


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


def pct(rate: float | None, decimals: int = 0) -> str:
    """A share as a percent in the current language: Swedish '89,3 %', English '89.3%'."""
    if rate is None:
        return "–"
    number = f"{rate * 100:.{decimals}f}"
    return t("{v} %", "{v}%", v=number.replace(".", ",")) if decimals else t("{v} %", "{v}%", v=number)


def count(value: int | None) -> str:
    """A count for display; a suppressed count shows as the suppression mark."""
    return SUPPRESSED_MARK if value is None else f"{value:,}".replace(",", "\u00a0")


def yes_no(value: bool) -> str:
    """Ja/Nej (Yes/No)."""
    return t("Ja", "Yes") if value else t("Nej", "No")


def not_evaluable_text(item) -> str:
    """Why a rule was not measured and what to do (``item``: a model ``NotEvaluable``)."""
    fields = ", ".join(field_label(f) for f in item.missing_fields) or t("okända fält", "unknown fields")
    return t("Inte mätt: uttaget saknar {f}. Mappa kolumnen eller välj en checklista utan regeln. "
             "Visas inte som 0 brister.",
             "Not measured: the extract lacks {f}. Map the column or choose a checklist without the rule. "
             "Not shown as 0 failures.", f=fields)


def share_text(share) -> str:
    """A model ``Share`` as text: the percent, "X" when protected, "Ej granskad", or "–"."""
    if share.rate is not None:
        return pct(share.rate)
    if share.light == "not_reviewed":
        return light_label("not_reviewed")
    return SUPPRESSED_MARK if share.suppressed else "–"


def even_chunks(items: tuple, size: int) -> list[tuple]:
    """``items`` in at most ``size``-long pieces of even length (20 by 8 → 7, 7, 6)."""
    if len(items) <= size:
        return [items]
    parts = -(-len(items) // size)
    even = -(-len(items) // parts)
    return [items[i:i + even] for i in range(0, len(items), even)]


def histograms_without_bars(report) -> str | None:
    """The sentence naming the deadline rules whose day charts are left out (every bar
    protected or empty), or None when every chart is drawn."""
    rules = [h.rule_id for h in report.histograms if not h.has_bars]
    if not rules:
        return None
    if report.public:
        return t("Inga staplar att visa för {r}: varje stapel har färre än {m} ärenden och är skyddad.",
                 "No bars to show for {r}: every bar holds fewer than {m} cases and is protected.",
                 r=", ".join(rules), m=report.min_count)
    return t("Inga ärenden med dagar att visa för {r}.", "No cases with days to show for {r}.",
             r=", ".join(rules))
