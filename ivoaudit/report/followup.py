"""The follow-up report for the quality coordinator (Word and HTML; internal, with names).

Overdue actions, actions due for follow-up, done actions without a follow-up day, the effect
of each action per rule (baseline, first and latest after, with 95 % intervals, and the
proposed verdict), repeat findings, and per rule the trend over comparable measurements.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ivoaudit.atomic import make_dir
from ivoaudit.i18n import t, use_language
from ivoaudit.report.labels import pct
from ivoaudit.report.tracking_doc import Block, Cell, Doc, write_doc_docx, write_doc_html
from ivoaudit.report.tracking_text import day, rate_text, when
from ivoaudit.tracking.followup import FollowUp
from ivoaudit.tracking.words import ACTION_STATUS, MEASUREMENT_KIND, VERDICT, word


def _who(role: str, person: str | None) -> str:
    return role + (f"\n{person}" if person else "")


def followup_doc(f: FollowUp, rule_titles: dict[str, str] | None = None) -> Doc:
    """The follow-up as a :class:`Doc`."""
    titles = rule_titles or {tr.rule_id: tr.title for tr in f.trends}
    with use_language(f.lang):
        blocks = [*_lead(f), *_overdue(f), *_due(f), *_done_without_followup(f), *_effects(f, titles),
                  *_repeats(f, titles), *_trends(f)]
        title = t("Uppföljning av åtgärder", "Follow-up of actions")
        return Doc(title, f.lang, tuple(blocks), running_head=f"{title} · {f.as_of}",
                   badge=t("Intern – innehåller namn", "Internal – contains names"), stamp=f.as_of.isoformat(),
                   landscape=True)


def _lead(f: FollowUp) -> list[Block]:
    """The counts, and what overdue, due for follow-up and repeat finding mean."""
    return [Block("lead", t(
        "Läget den {d}. Åtgärder i registret: {n} (försenade: {late}, väntar på uppföljning: {due}). "
        "Återkommande brister: {rep}.",
        "As of {d}. Actions in the register: {n} (overdue: {late}, due for follow-up: {due}). Repeat "
        "findings: {rep}.", d=f.as_of, n=f.actions_total, late=len(f.overdue), due=len(f.due_for_followup),
        rep=len(f.repeats))),
        Block("note", t(
            "Försenad: dagen för klart senast har passerat (själva dagen räknas inte) och åtgärden är inte "
            "genomförd, bedömd eller avbruten. Väntar på uppföljning: genomförd, och uppföljningsdagen har "
            "passerat utan bedömning. Återkommande brist: en regel under sitt mål i en mätning efter att en "
            "åtgärd för den genomförts.",
            "Overdue: the deadline has passed (the day itself does not count) and the action is not done, "
            "judged or cancelled. Due for follow-up: done, and the follow-up day has passed without a "
            "verdict. Repeat finding: a rule below its target in a measurement after an action on it was "
            "done."))]


def _overdue(f: FollowUp) -> list[Block]:
    return [Block("h1", t("Försenade åtgärder", "Overdue actions")),
            Block("table", headers=(t("Id", "Id"), t("Åtgärd", "Measure"), t("Ansvarig", "Responsible"),
                                    t("Klart senast", "Deadline"), t("Dagar sen", "Days late"),
                                    t("Status", "Status")), widths=(1.5, 10.5, 4.5, 3.3, 2.4, 3.3),
                  rows=tuple((Cell(str(r.action.id)), Cell(r.action.measure),
                              Cell(_who(r.action.responsible_role, r.action.responsible_person)),
                              Cell(day(r.action.deadline)), Cell(str(r.days_overdue), "red"),
                              Cell(word(ACTION_STATUS, r.action.status))) for r in f.overdue))
            if f.overdue else Block("p", t("Inga.", "None."))]


def _due(f: FollowUp) -> list[Block]:
    return [Block("h1", t("Väntar på uppföljning", "Due for follow-up")),
            Block("table", headers=(t("Id", "Id"), t("Åtgärd", "Measure"), t("Ansvarig", "Responsible"),
                                    t("Genomförd", "Done"), t("Uppföljning", "Follow-up"),
                                    t("Föreslagen effekt", "Proposed effect")),
                  widths=(1.5, 9.0, 4.2, 3.0, 4.2, 3.6),
                  rows=tuple((Cell(str(r.action.id)), Cell(r.action.measure),
                              Cell(_who(r.action.responsible_role, r.action.responsible_person)),
                              Cell(day(r.action.done_on)),
                              Cell(" ".join(x for x in (day(r.action.followup_date),
                                                        r.action.followup_method or "") if x)),
                              Cell(word(VERDICT, r.proposed or ""), "yellow")) for r in f.due_for_followup))
            if f.due_for_followup else Block("p", t("Inga.", "None."))]


def _done_without_followup(f: FollowUp) -> list[Block]:
    if not f.done_without_followup:
        return []
    return [Block("h1", t("Genomförda utan uppföljningsdag", "Done without a follow-up day")),
            Block("bullets", items=tuple(f"{a.id}: {a.measure}" for a in f.done_without_followup))]


def _effects(f: FollowUp, titles: dict[str, str]) -> list[Block]:
    rows = []
    for action, effect in f.effects:
        for e in effect.rules:
            rows.append((Cell(str(action.id)), Cell(action.measure), Cell(titles.get(e.rule_id, e.rule_id)),
                         Cell(_rate(e.baseline)), Cell(_rate(e.first_after)), Cell(_rate(e.latest_after)),
                         Cell(word(VERDICT, e.verdict), _verdict_light(e.verdict))))
    return [Block("h1", t("Effekt per åtgärd", "Effect per action")),
            Block("table", headers=(t("Id", "Id"), t("Åtgärd", "Measure"), t("Regel", "Rule"),
                                    t("Före", "Before"), t("Första efter", "First after"),
                                    t("Senaste efter", "Latest after"), t("Förslag", "Proposal")),
                  widths=(1.4, 5.4, 3.9, 3.8, 3.8, 3.8, 3.6), rows=tuple(rows))
            if rows else Block("p", t("Inga åtgärder med regler att mäta.", "No actions with rules to measure."))]


def _repeats(f: FollowUp, titles: dict[str, str]) -> list[Block]:
    return [Block("h1", t("Återkommande brister", "Repeat findings")),
            Block("table", headers=(t("Regel", "Rule"), t("Åtgärd", "Action"), t("Genomförd", "Done"),
                                    t("Mätning", "Measurement"), t("Andel", "Share"), t("Mål", "Target")),
                  widths=(6.0, 2.1, 3.3, 5.4, 5.7, 3.0),
                  rows=tuple((Cell(titles.get(r.rule_id, r.rule_id)), Cell(str(r.action_id)),
                              Cell(day(r.done_on)), Cell(f"{r.measurement}, {r.as_of}"),
                              Cell(rate_text(r.rate, public=False), "red"), Cell(pct(r.target)))
                             for r in f.repeats))
            if f.repeats else Block("p", t("Inga.", "None."))]


def _trends(f: FollowUp) -> list[Block]:
    """Per rule, the comparable measurements in date order, coloured by the latest one."""
    trend_rows = []
    for tr in f.trends:
        label = f"{tr.title}\n{word(MEASUREMENT_KIND, tr.kind)}" + (
            f", {tr.checklist} {tr.checklist_version}" if tr.checklist else "")
        points = "\n".join(f"{p.as_of} {p.measurement}: " + (
            rate_text(p.rate, public=False) if p.rate
            else t("inte mätbar (uttaget saknar uppgifter)", "not evaluable (the extract lacks fields)")
            if not p.evaluable else t("inga bedömda ärenden", "no cases assessed")) for p in tr.points)
        last = tr.points[-1]
        light = None if last.rate is None else "green" if last.rate.rate >= last.target else "red"
        trend_rows.append((Cell(label), Cell(points, light), Cell(pct(last.target))))
    return [Block("h1", t("Utveckling per regel", "Trend per rule")),
            Block("note", t(
                "Jämförbara mätningar: samma regel, samma slag (hela uttaget eller stickprov) och samma "
                "checklisteversion, i datumordning.",
                "Comparable measurements: the same rule, the same kind (whole extract or sample) and the same "
                "checklist version, in date order.") + " " + t(
                "Regler som en åtgärd riktar sig mot först; färgen visar om den senaste mätningen når målet.",
                "Rules an action targets first; the colour shows whether the latest measurement reaches the "
                "target.")),
            Block("table", headers=(t("Regel", "Rule"), t("Mätningar", "Measurements"), t("Mål", "Target")),
                  widths=(7.5, 15.0, 3.0), rows=tuple(trend_rows))
            if trend_rows else Block("p", t("Inga mätningar ännu.", "No measurements yet."))]


def _rate(rate: object) -> str:
    from ivoaudit.tracking.effect import Rate

    if not isinstance(rate, Rate):
        return "–"
    return f"{rate_text(rate, public=False)}\n{when(rate)}"


def _verdict_light(verdict: str) -> str:
    return {"improved": "green", "target_reached": "green", "worse": "red", "not_improved": "yellow"}.get(verdict, "")


def write_followup(f: FollowUp, out: str | Path, formats: Iterable[str]) -> list[Path]:
    """Write the follow-up in ``formats`` (docx, html) into folder ``out``; returns the files."""
    folder = make_dir(out)
    stem = "follow-up" if f.lang == "en" else "uppfoljning"
    doc = followup_doc(f)
    return [write_doc_docx(doc, folder / f"{stem}.{fmt}") if fmt == "docx" else
            write_doc_html(doc, folder / f"{stem}.{fmt}") for fmt in formats]
