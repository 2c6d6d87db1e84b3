"""Rule kinds as vectorised functions, and their registry (see ``registry.KINDS``)."""

from ivoaudit.rules.base import CaseContext, RuleOutput
from ivoaudit.rules.registry import KINDS, get_kind
from ivoaudit.schema import STATUSES

__all__ = ["KINDS", "STATUSES", "CaseContext", "RuleOutput", "get_kind"]
