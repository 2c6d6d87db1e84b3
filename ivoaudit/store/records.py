"""Plain data shapes the store hands out and takes in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ManualQuestion:
    """A question the reviewer answers Ja / Nej / Ej aktuellt for one rule."""

    rule_id: str
    question_sv: str
    question_en: str
    guidance_sv: str = ""
    guidance_en: str = ""

    def question(self, lang: str) -> str:
        """The question in ``lang``."""
        return self.question_en if lang == "en" else self.question_sv

    def guidance(self, lang: str) -> str:
        """The guidance text in ``lang``."""
        return self.guidance_en if lang == "en" else self.guidance_sv


@dataclass(frozen=True)
class RoundInfo:
    """One audit round as stored."""

    id: int
    name: str
    uid: str
    created_at: str
    as_of: str | None
    extract_fingerprint: str | None
    tool_version: str | None
    language: str
    layout: dict[str, Any] | None = None
    records: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class ImportResult:
    """What one review import stored."""

    round_name: str
    import_id: int
    answered: int
    total: int
    replaced: int  # answers of an earlier import now kept as history
    checks: int = 0  # "Stämmer med akten?" cells answered
    wrong: int = 0  # of which "Nej": automatic results that do not match the case file
    masked: int = 0  # personnummer masked in the comments
