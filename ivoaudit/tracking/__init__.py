"""Carrying findings to their end: action plans, IVO answers, follow-up, and the reports the
law requires each quarter (decisions not executed) and the regional comparison.

Plain dataclasses computed from the check, the review and the audit store; ``report/``
renders them. Findings to action plan (``tracking.md``): measurements (:mod:`.measure`),
IVO decisions and demands (:mod:`.ivo`), findings (:mod:`.findings`), the action register
(:mod:`.actions`), overdue and follow-up (:mod:`.due`), the effect of each action and
repeat findings (:mod:`.effect`), all read together by :func:`.data.load_tracking`.
"""
