"""Small-count suppression for public reports, with complementary suppression.

This module is shared by every public report (the round and check reports, the action
plan, the IVO answer, the council report): register each count shown with :meth:`add`,
each "total = sum of parts" the reader could use with :meth:`relate`, then :meth:`solve`.
The interface is stable; other report modules rely on it.

Every count from 1 to ``min_count - 1`` is hidden. A zero is shown: "no case" discloses
nothing about a person, and hiding zeros made whole public reports unreadable. Then, for every linear relation the report
shows (a total and its parts: a rule's applicable cases and its status counts, a rule's
denominator and pass + non-compliant, a rule's total and its per-unit counts…), if exactly
one member is hidden it could be recovered by subtraction, so the smallest visible part is
hidden too (the total only if no part is left). This repeats until nothing changes, since
hiding a cell in one relation can expose it in another.

A *structural* zero (a status the rule's kind can never produce, e.g. ``overdue`` for a
documentation duty) is public knowledge: it is shown, never hidden and never chosen for
complementary suppression, so it does not force a real figure (say, 93 children not heard)
out of the committee's report.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

Key = Hashable


@dataclass
class Suppressor:
    """Cells (key → count) and relations (total key, part keys); ``solve`` returns hidden keys."""

    min_count: int = 5
    cells: dict[Key, int] = field(default_factory=dict)
    relations: list[tuple[Key, tuple[Key, ...]]] = field(default_factory=list)
    structural: set[Key] = field(default_factory=set)

    def add(self, key: Key, value: int, *, structural: bool = False) -> None:
        """Register a count shown in the report; ``structural`` marks a zero known by construction."""
        self.cells[key] = int(value)
        if structural and int(value) == 0:
            self.structural.add(key)

    def relate(self, total: Key, parts: Iterable[Key]) -> None:
        """Register that ``total`` equals the sum of ``parts`` (all must be registered cells)."""
        parts = tuple(p for p in parts if p in self.cells)
        if total in self.cells and parts:
            self.relations.append((total, parts))

    def solve(self) -> set[Key]:
        """The keys to hide."""
        hidden = {k for k, v in self.cells.items()
                  if 0 < v < self.min_count and k not in self.structural}
        changed = True
        while changed:
            changed = False
            for total, parts in self.relations:
                members = (total, *parts)
                n_hidden = sum(1 for m in members if m in hidden)
                if n_hidden != 1:
                    continue
                # Zeros stay shown (see above), so a real count is the complement, never a zero.
                visible = [p for p in parts
                           if p not in hidden and p not in self.structural and self.cells[p] > 0]
                # The next-smallest part hides the least information; a tie breaks on order.
                pick = min(visible, key=lambda k: self.cells[k]) if visible else total
                if pick in hidden:
                    continue  # the only hidden member is the total and every part is zero
                hidden.add(pick)
                changed = True
        return hidden
