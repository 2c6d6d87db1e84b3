"""Carrying findings to their end: action plans, IVO answers, follow-up, and the reports the
law requires each quarter (decisions not executed) and the regional comparison.

Plain dataclasses computed from the check, the review and the audit store; ``report/``
renders them.
"""
