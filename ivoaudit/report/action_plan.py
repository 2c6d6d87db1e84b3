"""The action plan (handlingsplan) as Word, HTML and Excel.

Per IVO demand or finding: the fault (the demand quoted as IVO wrote it), its legal
reference, the measured situation, and each measure with responsible, timeline, follow-up,
status as a traffic light (in words too), evidence (internal only) and measured effect. The
public plan names roles, never people, leaves out evidence texts and suppresses small
counts (:mod:`ivoaudit.report.tracking_text`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill

from ivoaudit.atomic import atomic_path, make_dir
from ivoaudit.i18n import t, use_language
from ivoaudit.report.sheets import put as _put
from ivoaudit.report.sheets import table as _table
from ivoaudit.report.tracking_doc import Block, Cell, Doc, write_doc_docx, write_doc_html
from ivoaudit.report.tracking_text import (
    day,
    effect_text,
    followup,
    ivo_text,
    legal_references,
    rate_text,
    responsible,
    status_text,
    timeline,
    when,
)
from ivoaudit.report.xlsx import LIGHT_FILLS
from ivoaudit.tracking.plan import ActionPlan, PlanMeasure, PlanSection
from ivoaudit.tracking.words import ACTION_STATUS, LIGHT, MEASUREMENT_KIND, word
from ivoaudit.tracking.xlsx_cells import printable


def _title(plan: ActionPlan) -> str:
    return t("Handlingsplan", "Action plan")


def _section_heading(s: PlanSection) -> str:
    if s.kind == "demand":
        dnr, _, number = s.ref.rpartition(":")
        return t("IVO:s krav {n} (beslut {d})", "IVO demand {n} (decision {d})", n=number, d=dnr)
    if s.kind == "finding":
        return t("Brist {r}", "Finding {r}", r=s.ref)
    return t("Övriga åtgärder", "Other actions")


def _situation(plan: ActionPlan, s: PlanSection) -> list[str]:
    lines = []
    if s.ivo_figure is not None:
        lines.append(t("IVO:s granskning: {x}", "IVO's review: {x}", x=ivo_text(s.ivo_figure)))
    for rule_id, rate in s.latest:
        title = plan.rule_titles.get(rule_id, rule_id)
        if rate is None:
            lines.append(t("{r}: inte mätt ännu", "{r}: not measured yet", r=title))
        else:
            lines.append(f"{title}: {rate_text(rate, public=plan.public)} – {when(rate)}")
    return lines


def _measure_row(plan: ActionPlan, m: PlanMeasure) -> tuple[Cell, ...]:
    cells = [Cell(m.measure), Cell(responsible(m)), Cell(timeline(m)), Cell(followup(m)),
             Cell(status_text(m), m.light)]
    if not plan.public:
        cells.append(Cell(m.evidence or "–"))
    cells.append(Cell(effect_text(m.effect, public=plan.public, rule_titles=plan.rule_titles)
                      if m.effect.rules else t("Ingen regel mäter åtgärden; bedöms på underlaget.",
                                                "No rule measures this action; judged on its evidence.")))
    return tuple(cells)


def _headers(plan: ActionPlan) -> tuple[tuple[str, ...], tuple[float, ...]]:
    heads = [t("Åtgärd", "Measure"), t("Ansvarig", "Responsible"), t("Start – klart senast", "Start – deadline"),
             t("Uppföljning", "Follow-up"), t("Status", "Status")]
    if plan.public:
        return (*heads, t("Effekt", "Effect")), (7.0, 3.0, 3.0, 3.6, 3.6, 5.5)
    return (*heads, t("Underlag", "Evidence"), t("Effekt", "Effect")), (6.0, 3.0, 2.8, 3.2, 3.2, 3.0, 4.5)


def plan_doc(plan: ActionPlan) -> Doc:
    """The plan as a :class:`Doc` (Word and HTML)."""
    with use_language(plan.lang):
        measures = plan.measures
        statuses = Counter(m.status for m in measures)
        late = sum(1 for m in measures if m.overdue)
        blocks = [Block("lead", t(
            "Läget den {d}. Åtgärder: {n} (genomförda eller bedömda: {done}, planerade eller pågående: "
            "{open}, försenade: {late}).",
            "As of {d}. Actions: {n} (done or judged: {done}, planned or in progress: {open}, overdue: "
            "{late}).", d=plan.as_of, n=len(measures),
            done=statuses["done"] + statuses["effective"] + statuses["not_effective"],
            open=statuses["planned"] + statuses["in_progress"], late=late)),
            Block("note", t(
                "Trafikljus: grön = genomförd eller har gett effekt, gul = planerad eller pågår inom "
                "tidsplanen (eller genomförd och väntar på uppföljning), röd = försenad eller har inte gett "
                "effekt, grå = avbruten. Effekten är verktygets förslag utifrån mätningarna före och efter "
                "åtgärden (andel uppfyllda med 95 % konfidensintervall); en person bedömer.",
                "Traffic light: green = done or effective, yellow = planned or in progress on time (or done "
                "and due for follow-up), red = overdue or not effective, grey = cancelled. The effect is the "
                "tool's proposal from the measurements before and after the action (share compliant with "
                "95% confidence interval); a person judges."))]
        if plan.public:
            blocks.append(Block("note", t(
                "Offentlig version: ansvariga anges med roll; uppgifter om färre än 5 ärenden, och sådana "
                "som kan räknas fram ur dem, visas som X (OSL 26 kap. 1 §).",
                "Public version: responsibility is given by role; figures about fewer than 5 cases, and "
                "figures that could be worked out from them, show as X (OSL ch. 26 s. 1).")))
        headers, widths = _headers(plan)
        for s in plan.sections:
            blocks.append(Block("h1", _section_heading(s)))
            if s.kind == "demand":
                blocks.append(Block("quote", s.text))
            elif s.text:
                blocks.append(Block("p", s.text))
            facts = []
            refs = legal_references(s.rules)
            if refs:
                facts.append((t("Lagrum", "Legal reference"), "; ".join(refs)))
            situation = _situation(plan, s)
            if situation:
                facts.append((t("Uppmätt läge", "Measured situation"), "\n".join(situation)))
            if facts:
                blocks.append(Block("fields", rows=tuple((Cell(a), Cell(b)) for a, b in facts)))
            if s.measures:
                blocks.append(Block("table", headers=headers, widths=widths,
                                    rows=tuple(_measure_row(plan, m) for m in s.measures)))
            else:
                blocks.append(Block("p", t("Ingen åtgärd är beslutad ännu.", "No measure has been decided yet.")))
        if plan.measurements:
            blocks.append(Block("h1", t("Mätningar", "Measurements")))
            blocks.append(Block("bullets", items=tuple(
                f"{name}: {d} ({word(MEASUREMENT_KIND, kind).lower()})" for name, d, kind in plan.measurements)))
        badge = (t("Offentlig version – roller, inga namn", "Public version – roles, no names") if plan.public
                 else t("Intern – innehåller namn", "Internal – contains names"))
        return Doc(_title(plan), plan.lang, tuple(blocks), running_head=f"{_title(plan)} · {plan.as_of}",
                   badge=badge, stamp=plan.as_of.isoformat(), landscape=True)


def _plan_widths(headers: list[str], *, public: bool) -> list[int]:
    """Column widths that print on one A4 landscape page wide at a readable scale."""
    widths = [14, 30, 20, 30, 13] + ([] if public else [13]) + [11, 11, 11, 16, 12, 10]
    return widths + ([] if public else [16]) + [30]


def write_plan_xlsx(plan: ActionPlan, path: str | Path) -> Path:
    """One row per measure and section, with the traffic light as a coloured cell."""
    path = Path(path)
    with use_language(plan.lang):
        wb = Workbook()
        ws = wb.active
        ws.title = t("Handlingsplan", "Action plan")
        headers = [t("Avsnitt", "Section"), t("Brist eller krav", "Finding or demand"), t("Lagrum", "Legal reference"),
                   t("Åtgärd", "Measure"), t("Ansvarig roll", "Responsible role")]
        if not plan.public:
            headers.append(t("Ansvarig person", "Responsible person"))
        headers += [t("Start", "Start"), t("Klart senast", "Deadline"), t("Uppföljning", "Follow-up"),
                    t("Uppföljning hur", "Follow-up how"), t("Status", "Status"), t("Trafikljus", "Light")]
        if not plan.public:
            headers.append(t("Underlag", "Evidence"))
        headers.append(t("Effekt", "Effect"))
        rows, lights = [], []
        for s in plan.sections:
            for m in s.measures:
                row = [_section_heading(s), s.text, "; ".join(legal_references(s.rules)), m.measure, m.role]
                if not plan.public:
                    row.append(m.person or "")
                row += [day(m.start), day(m.deadline), day(m.followup_date), m.followup_method or "",
                        word(ACTION_STATUS, m.status), word(LIGHT, m.light)]
                if not plan.public:
                    row.append(m.evidence or "")
                row.append(effect_text(m.effect, public=plan.public, rule_titles=plan.rule_titles))
                rows.append(row)
                lights.append(m.light)
        _table(ws, headers, rows, [None] * len(headers), widths=_plan_widths(headers, public=plan.public))
        light_col = headers.index(t("Trafikljus", "Light")) + 1
        for i, light in enumerate(lights, start=2):
            fill = LIGHT_FILLS.get(light) or ("E4E4E4" if light == "grey" else None)
            if fill:
                ws.cell(row=i, column=light_col).fill = PatternFill("solid", fgColor=fill.lstrip("#"))
            for j in range(1, len(headers) + 1):
                ws.cell(row=i, column=j).alignment = Alignment(wrap_text=True, vertical="top")
        _put(ws, len(rows) + 3, 1, t("Läget den {d}.", "As of {d}.", d=plan.as_of))
        printable(ws)
        with atomic_path(path) as tmp:
            wb.save(tmp)
    return path


def write_action_plan(plan: ActionPlan, out: str | Path, formats: Iterable[str]) -> list[Path]:
    """Write the plan in ``formats`` (docx, html, xlsx) into folder ``out``; returns the files."""
    folder = make_dir(out)
    stem = ("handlingsplan" if plan.lang != "en" else "action-plan") + ("-offentlig" if plan.public and plan.lang != "en"
                                                                        else "-public" if plan.public else "")
    doc = plan_doc(plan)
    written = []
    for fmt in formats:
        path = folder / f"{stem}.{fmt}"
        if fmt == "docx":
            written.append(write_doc_docx(doc, path))
        elif fmt == "html":
            written.append(write_doc_html(doc, path))
        elif fmt == "xlsx":
            written.append(write_plan_xlsx(plan, path))
    return written
