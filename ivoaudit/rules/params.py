"""Parameter validation helpers shared by the rule kinds."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, model_validator

from ivoaudit.fields import FIELDS_BY_NAME, FieldType, label
from ivoaudit.i18n import t


class Params(BaseModel):
    """Base of every kind's parameters: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def check_field(name: str | None, *types: FieldType) -> str | None:
    """Refuse an unknown field or one of the wrong type."""
    if name is None:
        return None
    spec = FIELDS_BY_NAME.get(name)
    if spec is None:
        raise ValueError(t("okänt fält '{n}'", "unknown field '{n}'", n=name))
    if types and spec.type not in types:
        raise ValueError(t("fältet '{n}' ska vara ett {sv}", "field '{n}' must be a {en} field", n=name,
                           sv=" eller ".join(_TYPE_WORDS[k][0] for k in types),
                           en="/".join(_TYPE_WORDS[k][1] for k in types)))
    return name


# How a field type reads in a message: "ska vara ett datumfält" / "must be a date field".
_TYPE_WORDS = {FieldType.DATE: ("datumfält", "date"), FieldType.CODE: ("kodfält", "code"),
               FieldType.TEXT: ("textfält", "text"), FieldType.PERSON: ("personnummerfält", "person")}


class Period(Params):
    """A period in calendar days or calendar months (exactly one)."""

    days: int | None = None
    months: int | None = None

    @model_validator(mode="after")
    def _one_unit(self) -> Period:
        if (self.days is None) == (self.months is None):
            raise ValueError(t("ange antingen days eller months", "give exactly one of days or months"))
        if (self.days or 0) < 0 or (self.months or 0) < 0:
            raise ValueError(t("perioden kan inte vara negativ", "the period cannot be negative"))
        # no duty in the law runs longer; a larger figure is a typing error, and beyond the
        # calendar's range it would fail as an overflow instead of a message
        if (self.days or 0) > 3660 or (self.months or 0) > 120:
            raise ValueError(t("perioden kan inte vara längre än tio år (3660 days eller 120 months)",
                               "the period cannot be longer than ten years (3660 days or 120 months)"))
        return self

    def describe(self, lang: str) -> str:
        """``14 dagar`` / ``4 months``."""
        if self.months is not None:
            unit = ("månad" if self.months == 1 else "månader") if lang == "sv" else (
                "month" if self.months == 1 else "months")
            return f"{self.months} {unit}"
        unit = ("dag" if self.days == 1 else "dagar") if lang == "sv" else ("day" if self.days == 1 else "days")
        return f"{self.days} {unit}"


def field_text(name: str, lang: str) -> str:
    """A field for the docs: its label and canonical name, ``Anmälan inkom (`received_date`)``."""
    return f"{label(name, lang)} (`{name}`)"
