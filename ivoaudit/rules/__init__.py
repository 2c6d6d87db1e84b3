"""Rule kinds as vectorised functions, each one module registered with ``@rule_kind``.

Importing this package registers every kind (``registry.KINDS``).
"""

from ivoaudit.rules import deadline, documented, flag, interval, manual  # noqa: F401  (registers the kinds)
from ivoaudit.rules.base import CaseContext, RuleOutput
from ivoaudit.rules.registry import KINDS, RuleKind, get_kind, rule_kind, structural_zeros
from ivoaudit.schema import STATUSES

__all__ = ["KINDS", "STATUSES", "CaseContext", "RuleKind", "RuleOutput", "get_kind", "rule_kind",
           "structural_zeros"]
