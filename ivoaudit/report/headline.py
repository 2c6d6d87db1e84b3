"""The summary sentence every format opens with (same words in HTML and Word)."""

from __future__ import annotations

from ivoaudit.i18n import t
from ivoaudit.report.model import Report


def headline(report: Report) -> str:
    """E.g. 'Av 3 regler når 1 målet (grön), 1 är gul och 1 röd.'"""
    c = report.light_counts()
    text = t("Av {n} når {g} målet (grön), {y} är gula och {r} röda.",
             "Of {n}, {g} reach the target (green), {y} are yellow and {r} red.",
             n=_rules(len(report.rules)), g=c["green"], y=c["yellow"], r=c["red"])
    if c["suppressed"]:
        text += " " + t("För {s} är andelen skyddad eftersom underlaget är litet.",
                        "For {s} the share is protected because the numbers are small.",
                        s=_rules(c["suppressed"]))
    if c["not_reviewed"]:
        text += " " + t("{k} är ännu inte granskade.", "{k} not yet reviewed.", k=_rules(c["not_reviewed"]))
    if c["none"]:
        text += " " + t("{k} har inga bedömda ärenden.", "{k} have no assessed cases.", k=_rules(c["none"]))
    if report.not_evaluable:
        text += " " + t("{k} kunde inte mätas (se varningen överst).", "{k} could not be measured (see the "
                        "warning at the top).", k=_rules(len(report.not_evaluable)))
    return text


def _rules(n: int) -> str:
    return t("1 regel", "1 rule") if n == 1 else t("{n} regler", "{n} rules", n=n)
