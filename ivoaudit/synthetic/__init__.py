"""Synthetic case extracts with independent ground truth (``ivoaudit generate``).

``generate(n_cases, seed, system, areas, messy, as_of)`` builds a :class:`GeneratedSet`
(extract cells in a case system's style, review events, ground truth, faults, meta);
``write_set(gset, out_dir, name)`` writes it. Everything is vectorised with numpy and
deterministic from the seed (one ``numpy.random.Generator``).

For every case and every rule of ``rules.md`` whose area matches, the generator first draws
the *intended* outcome (on time, k days late, lawful extension, not yet done, ...) and then
constructs the dates to produce it. It never imports the product's loader, checklists or
checker; month arithmetic is its own (``samplegen.calendar``).

Choices where ``rules.md`` leaves room (the checker must agree; see also ``messy``):

* Dates: received dates over [as_of - 790 days, as_of - 31 days] (2024-09-01..2026-09-30 for
  the default as-of 2026-10-31) with month ends and edge dates (2024-02-29, 2025-10-31,
  2026-01-31, around 2025-07-01) over-represented. No event is dated after the as-of date:
  an event that would be is left blank ("has not happened").
* ``overdue`` when the deadline is strictly before the as-of date; on the deadline day
  itself the case is still ``pending``.
* ``BU-FORHAND-14D``: a report without a preliminary decision has a blank outcome; a blank
  outcome is "not joined", so the rule applies (``overdue``). Joined reports: not applicable.
* ``BU-UTR-4M``/``BU-SAMTAL``/``BU-BARN-*`` apply to outcome ``open`` cases only (only they
  have an investigation start); ~12 % have a blank ``investigation_start`` and use the
  preliminary decision date as start. An extension is lawful iff decided on or before the
  original deadline and naming ``extended_until`` (always later than the deadline).
  An investigation end before its start gives ``missing_data`` (end date is then "set" for
  the documented rules' ``due_when``).
* Documented rules: ``yes``/``reason`` pass, ``no`` fails, blank as ``due_when`` says; an
  unreadable code (messy) gives ``missing_data``; a field the extract lacks gives
  ``needs_review`` (treserva has no ``own_view_documented`` -> ``MB-EGEN-SYN``).
* ``ALL-EJ-VERKST-3M``: with a ``legal_basis`` column, LVU/LVM decisions are not
  applicable; treserva has no such column, so every granted decision is checked. Lifecare
  always fills ``legal_basis`` (no blank cells to interpret).
* ``BU-ATERUPPTAGEN`` (flag): by person, a BU case whose ``investigation_start`` lies 0-30
  days after the ``investigation_end`` of an earlier BU case of the same person is
  ``needs_review``; every other BU case with an investigation is ``pass`` (``missing_data``
  when its person number is invalid), a case without one ``not_applicable``. Generated pairs
  have gaps of 1-29 days (earlier case closed, new report 1-15 days later, opened within 14
  days); other persons with several cases have at least 120 days between the last date of
  one case and the receipt of the next, so alternative readings give the same result.
  A case whose personnummer is invalid (messy) counts as "person_id absent": not applicable.
* ``BU-OVERVAG-6M``: applies when the case has review events. Start = execution date
  (placement start); the first review is within 150 days; gaps between reviews are either
  at most 180 days or at least 190 days (pass / fail, whatever month arithmetic is used);
  the last review is at most 180 days before the as-of date, so the final open gap never
  decides the result.
* BU decisions (``decision_date``) are dated the day the investigation ends; an outcome of
  ``none`` has no decision date (so "a decision exists" is unambiguous).
* Conflicting duplicate rows (messy): both rows are quarantined and the case has no
  ground-truth rows. Identical duplicates change nothing.
"""

from ivoaudit.synthetic.generate import DEFAULT_AS_OF, GeneratedSet, generate
from ivoaudit.synthetic.systems import SYSTEMS
from ivoaudit.synthetic.truth import RULES, STATUSES
from ivoaudit.synthetic.write import write_mappings, write_set

__all__ = ["DEFAULT_AS_OF", "GeneratedSet", "RULES", "STATUSES", "SYSTEMS", "generate", "write_mappings",
           "write_set"]
