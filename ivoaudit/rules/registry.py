"""The explicit registry of rule kinds: name → parameter schema + vectorised function.

Adding a rule of an existing kind is a checklist (YAML) change only; adding a kind means
one module with a ``Params`` model and an ``evaluate`` function, registered here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ivoaudit.rules import deadline, documented, flag, interval, manual
from ivoaudit.rules.base import CaseContext, RuleOutput
from ivoaudit.rules.params import Params


@dataclass(frozen=True)
class RuleKind:
    name: str
    params: type[Params]
    evaluate: Callable[[object, CaseContext, np.ndarray], RuleOutput]


KINDS: dict[str, RuleKind] = {}


def register(kind: RuleKind) -> None:
    """Add a kind; a second kind of the same name is refused."""
    if kind.name in KINDS:
        raise ValueError(f"rule kind '{kind.name}' is already registered")
    KINDS[kind.name] = kind


def get_kind(name: str) -> RuleKind:
    """The kind called ``name``; KeyError names the supported kinds."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"rule kind '{name}' is not supported; supported: {', '.join(sorted(KINDS))}") from None


register(RuleKind("deadline", deadline.DeadlineParams, deadline.evaluate))
register(RuleKind("documented", documented.DocumentedParams, documented.evaluate))
register(RuleKind("manual", manual.ManualParams, manual.evaluate))
register(RuleKind("interval", interval.IntervalParams, interval.evaluate))
register(RuleKind("flag", flag.FlagParams, flag.evaluate))
