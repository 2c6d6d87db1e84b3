"""The committee's answer to an IVO decision, as a tjänsteskrivelse (Word and HTML).

Shaped like the answers committees send (the Flen answer of 2018 is the model): a heading
with committee, date and diarienummer; *Förslag till beslut*; *Sammanfattning*; *Ärendet*
with each demand quoted (underlined), the measured situation (IVO's own figure, then the
self-audit's latest with denominators), the measures with responsible role and timeline and
how they will be followed up; *Beslutsunderlag*; *Expedieras till*; lines to sign. Public:
roles, never people; no evidence texts; small counts suppressed. An official attaches it
with light editing (names on the signature lines).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ivoaudit.atomic import make_dir
from ivoaudit.i18n import t, use_language
from ivoaudit.report.labels import pct
from ivoaudit.report.tracking_doc import Block, Cell, Doc, write_doc_docx, write_doc_html
from ivoaudit.report.tracking_text import (
    day,
    followup,
    ivo_text,
    legal_references,
    rate_text,
    status_text,
    timeline,
)
from ivoaudit.tracking.answer import AnswerDemand, IvoAnswer
from ivoaudit.tracking.words import MEASUREMENT_KIND, word


def _situation(d: AnswerDemand) -> list[str]:
    lines = []
    if d.ivo_figure is not None:
        lines.append(t("Vid IVO:s granskning: {x}.", "At IVO's review: {x}.", x=ivo_text(d.ivo_figure)))
    for s in d.situation:
        if s.latest is None:
            lines.append(t("{r}: ännu inte mätt i egenkontrollen.", "{r}: not yet measured by the self-audit.",
                           r=s.title))
        else:
            lines.append(t("{r}: {x} enligt egenkontrollen per {w} ({k}).", "{r}: {x} per the self-audit as of {w} ({k}).",
                           r=s.title, x=rate_text(s.latest, public=True, interval=False), w=s.latest.as_of,
                           k=word(MEASUREMENT_KIND, s.latest.kind).lower()))
    if not d.demand.rules:
        lines.append(t("Kravet mäts inte av någon regel i egenkontrollen; åtgärderna följs upp på sitt underlag.",
                       "No rule of the self-audit measures this demand; the measures are followed up on their "
                       "evidence."))
    return lines


def _demand_blocks(a: IvoAnswer, d: AnswerDemand) -> list[Block]:
    blocks = [Block("h2", t("Krav {n}", "Demand {n}", n=d.demand.number)), Block("quote", d.demand.text)]
    refs = legal_references(d.demand.rules)
    if refs:
        blocks.append(Block("note", t("Lagrum: {r}", "Legal reference: {r}", r="; ".join(refs))))
    blocks.append(Block("h3", t("Nuläge", "Current situation")))
    blocks.extend(Block("p", line) for line in _situation(d))
    blocks.append(Block("h3", t("Åtgärder, ansvar och tidsplan", "Measures, responsibility and timeline")))
    if d.measures:
        blocks.append(Block("table", headers=(t("Åtgärd", "Measure"), t("Ansvarig", "Responsible"),
                                              t("Tidsplan", "Timeline"), t("Status", "Status")),
                            widths=(8.2, 3.0, 3.2, 2.6),
                            rows=tuple((Cell(m.measure), Cell(m.role), Cell(timeline(m)),
                                        Cell(status_text(m, light=False), m.light)) for m in d.measures)))
    else:
        blocks.append(Block("p", t("Åtgärder är ännu inte beslutade.", "Measures are not yet decided.")))
    blocks.append(Block("h3", t("Uppföljning", "Follow-up")))
    plans = [f"{m.measure.rstrip('.')}: {followup(m).replace(chr(10), ', ')}" for m in d.measures
             if m.followup_date or m.followup_method]
    if plans:
        blocks.append(Block("bullets", items=tuple(plans)))
    elif d.measures:
        blocks.append(Block("p", t("Åtgärderna följs upp av den ansvarige och redovisas för nämnden när de är "
                                   "genomförda.",
                                   "The measures are followed up by the person responsible and reported to the "
                                   "committee when done.")))
    if d.demand.rules:
        blocks.append(Block("p", t(
            "Effekten följs upp med nya mätningar i egenkontrollen av samma regler och redovisas för nämnden.",
            "The effect is followed up with new measurements of the same rules in the self-audit and reported "
            "to the committee.")))
    return blocks


def _overview(a: IvoAnswer) -> Block:
    """Per demand in one line: IVO's figure, the self-audit's latest, the measures' state."""
    rows = []
    for d in a.demands:
        latest = "\n".join(f"{s.title}: {rate_text(s.latest, public=True, interval=False)}" for s in d.situation
                           if s.latest is not None) or (
            t("Mäts inte i egenkontrollen", "Not measured by the self-audit") if not d.demand.rules
            else t("Ännu inte mätt", "Not yet measured"))
        done = sum(1 for m in d.measures if m.status in ("done", "effective", "not_effective"))
        late = sum(1 for m in d.measures if m.overdue)
        state = t("Antal: {n}, genomförda: {d}", "Number: {n}, done: {d}", n=len(d.measures), d=done) + (
            t(", försenade: {k}", ", overdue: {k}", k=late) if late else "")
        # IVO counts faults; the self-audit column shares without: both given, so they compare.
        ivo = (t("brist i {f} av {n} ({p} utan brist)", "a fault in {f} of {n} ({p} without)",
                 f=d.ivo_figure.denominator - d.ivo_figure.passed, n=d.ivo_figure.denominator,
                 p=pct(d.ivo_figure.rate)) if d.ivo_figure else t("Ingen siffra", "No figure"))
        rows.append((Cell(t("Krav {n}", "Demand {n}", n=d.demand.number)), Cell(ivo), Cell(latest),
                     Cell(state, "red" if late else None)))
    return Block("table", headers=(t("Krav", "Demand"), t("IVO:s granskning", "IVO's review"),
                                   t("Egenkontrollen, senast (andel utan brist)",
                                     "Self-audit, latest (share without the fault)"),
                                   t("Åtgärder", "Measures")), widths=(2.1, 4.1, 6.4, 4.4), rows=tuple(rows))


def _count(n: int, sv_one: str, sv_many: str, en_one: str, en_many: str) -> str:
    """``1 åtgärd``, ``4 åtgärder`` (and in English)."""
    return t("{n} {w}", "{n} {w}", n=n, w=t(sv_one, en_one) if n == 1 else t(sv_many, en_many))


def answer_doc(a: IvoAnswer) -> Doc:
    """The answer as a :class:`Doc`."""
    with use_language(a.lang):
        dec = a.decision
        right = [t("Datum: {d}", "Date: {d}", d=a.written_on)]
        if dec.our_dnr:
            right.append(t("Dnr: {d}", "Ref.: {d}", d=dec.our_dnr))
        right.append(t("IVO:s dnr: {d}", "IVO ref.: {d}", d=dec.dnr))
        blocks = [*_proposal_and_summary(a), _overview(a), *_matter(a)]
        for d in a.demands:
            blocks.extend(_demand_blocks(a, d))
        blocks += _closing(a)
        title = t("Svar till IVO med anledning av beslut {dnr}", "Answer to IVO on decision {dnr}", dnr=dec.dnr)
        return Doc(title, a.lang, tuple(blocks), letterhead_left=(a.committee, t("Tjänsteskrivelse", "Report")),
                   letterhead_right=tuple(right), running_head=f"{a.committee} · {title}",
                   stamp=a.written_on.isoformat())


def _proposal_and_summary(a: IvoAnswer) -> list[Block]:
    """The proposed decision and the summary: IVO's demands, the deadline, the measures."""
    dec = a.decision
    # The original date, then the extension as IVO granted it: "senast 2026-10-28; IVO har
    # medgett anstånd till 2026-11-27 (skäl)", never the extended date twice.
    due = dec.answer_due or dec.extended_due
    extension = (t("; IVO har medgett anstånd till {d}{r}", "; IVO granted an extension to {d}{r}",
                   d=dec.extended_due, r=f" ({dec.extension_reason})" if dec.extension_reason else "")
                 if dec.extended_due and dec.answer_due else "")
    return [
        Block("h1", t("Förslag till beslut", "Proposed decision")),
        Block("p", t("{c} beslutar att anta förvaltningens svar till Inspektionen för vård och omsorg (IVO) som "
                     "sitt eget och översända det till IVO.",
                     "{c} decides to adopt the administration's answer to the Health and Social Care "
                     "Inspectorate (IVO) as its own and to send it to IVO.", c=a.committee)),
        Block("h1", t("Sammanfattning", "Summary")),
        Block("p", t(
            "IVO har i beslut den {b} (dnr {dnr}) ställt {n} på nämnden och begärt en redovisning av "
            "vilka åtgärder nämnden har vidtagit, vem som ansvarar för åtgärderna och tidsplan för dessa, "
            "senast {due}{ext}. Förvaltningen har tagit fram {m}. För varje krav redovisas nedan "
            "läget vid IVO:s granskning och enligt nämndens egenkontroll, åtgärderna med ansvar och "
            "tidsplan, och hur de följs upp.",
            "In its decision of {b} (ref. {dnr}) IVO made {n} on the committee and asked for an "
            "account of the measures taken, who is responsible for them and their timeline, by {due}{ext}. "
            "The administration has drawn up {m}. For each demand below: the situation at IVO's "
            "review and per the committee's self-audit, the measures with responsibility and timeline, "
            "and how they are followed up.", b=day(dec.decision_date), dnr=dec.dnr,
            n=_count(len(a.demands), "krav", "krav", "demand", "demands"),
            due=day(due), ext=extension, m=_count(len(a.measures), "åtgärd", "åtgärder", "measure", "measures")))]


def _matter(a: IvoAnswer) -> list[Block]:
    """The matter: IVO's own summary, the units concerned, how shares are given."""
    dec = a.decision
    blocks = [Block("h1", t("Ärendet", "The matter"))]
    if dec.summary:
        blocks.append(Block("p", t("IVO:s sammanfattning: {s}", "IVO's summary: {s}", s=dec.summary)))
    if dec.units:
        blocks.append(Block("p", t("Beslutet gäller: {u}.", "The decision concerns: {u}.", u=dec.units)))
    blocks.append(Block("note", t(
        "Andelen utan brist anges med antal ärenden. Uppgifter om färre än 5 ärenden visas som X "
        "(OSL 26 kap. 1 §). Ett stickprov säger mindre än en granskning av alla ärenden.",
        "The share without the fault is given with the number of cases. Figures about fewer than 5 cases "
        "show as X (OSL ch. 26 s. 1). A sample says less than a check of every case.")))
    return blocks


def _closing(a: IvoAnswer) -> list[Block]:
    """Decision documents, to whom it is sent, the signatures."""
    dec = a.decision
    basis = [t("Denna tjänsteskrivelse, {d}", "This report, {d}", d=a.written_on),
             t("IVO:s beslut {b}, dnr {dnr}", "IVO's decision of {b}, ref. {dnr}", b=day(dec.decision_date),
               dnr=dec.dnr)]
    basis += [t("Egenkontroll {n} per {d} ({k})", "Self-audit {n} as of {d} ({k})", n=name, d=as_of,
                k=word(MEASUREMENT_KIND, kind).lower()) for name, as_of, kind in a.measurements]
    return [Block("h1", t("Beslutsunderlag", "Decision documents")), Block("bullets", items=tuple(basis)),
            Block("h1", t("Expedieras till", "Sent to")),
            Block("bullets", items=(t("Inspektionen för vård och omsorg (IVO), dnr {d}",
                                      "Health and Social Care Inspectorate (IVO), ref. {d}", d=dec.dnr),
                                    t("Akten", "The file"))),
            Block("signature", items=(t("Förvaltningschef", "Head of administration"),
                                      t("Handläggare", "Officer")))]


def write_answer(a: IvoAnswer, out: str | Path, formats: Iterable[str]) -> list[Path]:
    """Write the answer in ``formats`` (docx, html) into folder ``out``; returns the files."""
    folder = make_dir(out)
    safe_dnr = "".join(c if c.isalnum() or c in "-." else "-" for c in a.decision.dnr)
    stem = "answer-to-ivo" if a.lang == "en" else "svar-till-ivo"
    doc = answer_doc(a)
    written = []
    for fmt in formats:
        path = folder / f"{stem}-{safe_dnr}.{fmt}"
        written.append(write_doc_docx(doc, path) if fmt == "docx" else write_doc_html(doc, path))
    return written
