"""Parameter validation helpers shared by the rule kinds."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, model_validator

from ivoaudit.fields import FIELDS_BY_NAME, FieldType, label


class Params(BaseModel):
    """Base of every kind's parameters: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def check_field(name: str | None, *types: FieldType) -> str | None:
    """Refuse an unknown field or one of the wrong type."""
    if name is None:
        return None
    spec = FIELDS_BY_NAME.get(name)
    if spec is None:
        raise ValueError(f"unknown field '{name}'")
    if types and spec.type not in types:
        raise ValueError(f"field '{name}' must be a {'/'.join(t.value for t in types)} field")
    return name


class Period(Params):
    """A period in calendar days or calendar months (exactly one)."""

    days: int | None = None
    months: int | None = None

    @model_validator(mode="after")
    def _one_unit(self) -> Period:
        if (self.days is None) == (self.months is None):
            raise ValueError("give exactly one of days or months")
        if (self.days or 0) < 0 or (self.months or 0) < 0:
            raise ValueError("the period cannot be negative")
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
