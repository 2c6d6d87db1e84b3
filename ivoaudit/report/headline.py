"""The summary sentence every format opens with (same words in HTML and Word)."""

from __future__ import annotations

from ivoaudit.i18n import t
from ivoaudit.report.model import Report


def headline(report: Report) -> str:
    """E.g. 'Av 3 regler når 1 målet (grön), 1 är gul och 1 röd.'"""
    c = report.light_counts()
    text = t("Av {n} regler når {g} målet (grön), {y} är gula och {r} röda.",
             "Of {n} rules, {g} reach the target (green), {y} are yellow and {r} red.",
             n=len(report.rules), g=c["green"], y=c["yellow"], r=c["red"])
    if c["suppressed"]:
        text += " " + t("För {s} regler är andelen skyddad eftersom underlaget är litet.",
                        "For {s} rules the share is protected because the numbers are small.",
                        s=c["suppressed"])
    if c["none"]:
        text += " " + t("{k} regler har inga bedömda ärenden.", "{k} rules have no assessed cases.", k=c["none"])
    return text
