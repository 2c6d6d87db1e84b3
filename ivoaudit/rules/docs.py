"""Rule documentation generated from the checklist metadata (``docs/rules.md``, ``rules.en.md``).

The same texts feed ``ivoaudit rules show``; a test fails when the committed docs are stale.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ivoaudit.atomic import make_dir, write_text
from ivoaudit.fields import label

_BASIS = {"law": ("lag", "law"), "practice": ("praxis", "practice"), "local": ("lokalt mål", "local target")}
_KIND = {"deadline": ("tidsfrist", "deadline"), "documented": ("dokumentation", "documented"),
         "manual": ("manuell fråga", "manual question"), "interval": ("intervall", "interval"),
         "flag": ("flagga", "flag")}


def basis_text(basis: str, lang: str) -> str:
    """``law`` → ``lag`` (sv) / ``law`` (en)."""
    pair = _BASIS.get(basis, (basis, basis))
    return pair[1] if lang == "en" else pair[0]


def _f(name: str, lang: str) -> str:
    return f"{label(name, lang)} (`{name}`)"


def counted(rule, lang: str) -> str:
    """One sentence on what is counted, built from the parameters."""
    p = rule.params
    sv = lang != "en"
    if rule.kind in ("deadline",):
        start = _f(p.start, lang)
        if p.start_fallback:
            start += (" (om tomt: " if sv else " (when blank: ") + _f(p.start_fallback.field, lang) + ")"
        text = (f"{start} → {_f(p.end, lang)} ≤ {p.describe(lang)}")
        if p.immediate:
            text += " (genast: flyttas aldrig)" if sv else " (immediately: never moved)"
        if p.exception_field:
            text += ("; undantag: " if sv else "; exception: ") + _f(p.exception_field, lang)
        if p.extension:
            text += ("; förlängning: " if sv else "; extension: ") + \
                f"{_f(p.extension.decision, lang)} + {_f(p.extension.until, lang)}"
        return text
    if rule.kind == "documented":
        text = _f(p.field, lang)
        if p.due_when:
            text += ("; tomt är brist när " if sv else "; blank fails once ") + p.due_when.describe(lang) + \
                (", annars pågår" if sv else ", pending before")
        else:
            text += "; tomt är brist" if sv else "; blank fails"
        return text
    if rule.kind == "interval":
        start = _f(p.open_from, lang) if p.open_from else ("första händelsen" if sv else "the first event")
        text = (f"{start}, " + (f"händelser av typen `{p.event_type}`, granskningsdagen: glapp ≤ "
                                if sv else f"events of type `{p.event_type}`, the check date: gaps ≤ ")
                + p.describe(lang))
        if p.requires_events:
            text += (f"; gäller ärenden med minst en händelse av typen `{p.event_type}`" if sv else
                     f"; applies to cases with at least one `{p.event_type}` event")
        scope = f" ({'ärenden med' if sv else 'cases with'} `{p.open_from}`)" if p.open_from else ""
        return text + (f"; utan händelsetabell: uppgift saknas{scope}" if sv else
                       f"; without an events table: missing data{scope}")
    if rule.kind == "flag":
        return (f"per `{p.by}`: {_f(p.start, lang)} inom {p.days} dagar efter {_f(p.end, lang)} i ett tidigare ärende"
                if sv else f"by `{p.by}`: {_f(p.start, lang)} within {p.days} days of {_f(p.end, lang)} "
                           f"of an earlier case")
    return rule.text("question", lang)


def rule_section(rule, lang: str) -> str:
    """The Markdown section for one rule."""
    sv = lang != "en"
    kind = _KIND.get(rule.kind, (rule.kind, rule.kind))[1 if not sv else 0]
    area = rule.area or ("alla områden" if sv else "all areas")
    lines = [f"### {rule.id}: {rule.text('title', lang)}", "", rule.text("description", lang), "",
             f"- **{'Typ' if sv else 'Kind'}:** {kind}",
             f"- **{'Område' if sv else 'Area'}:** {area}",
             f"- **{'Grund' if sv else 'Basis'}:** {basis_text(rule.basis, lang)}",
             f"- **{'Gäller när' if sv else 'Applies when'}:** "
             + (rule.applies_when.describe(lang) if rule.applies_when else ("alltid" if sv else "always")),
             f"- **{'Räknas' if sv else 'Counted'}:** {counted(rule, lang)}"]
    refs = rule.references
    if refs.get("old"):
        lines.append(f"- **{'Lagrum före 2025-07-01' if sv else 'Reference before 2025-07-01'}:** {refs['old']}")
        lines.append(f"- **{'Lagrum från 2025-07-01' if sv else 'Reference from 2025-07-01'}:** {refs['new']}")
    if refs.get("law"):
        lines.append(f"- **{'Lagrum' if sv else 'Reference'}:** {refs['law']}")
    if refs.get("guidance"):
        lines.append(f"- **{'Vägledning' if sv else 'Guidance'}:** {'; '.join(refs['guidance'])}")
    if rule.local_params:
        values = ", ".join(f"`{k}` = {getattr(rule.params, k)}" for k in rule.local_params)
        lines.append(f"- **{'Lokalt mål (standard)' if sv else 'Local target (default)'}:** {values}")
    if rule.kind == "manual":
        lines.append(f"- **{'Fråga' if sv else 'Question'}:** {rule.text('question', lang)}")
        lines.append(f"- **{'Vägledning för granskaren' if sv else 'Reviewer guidance'}:** "
                     f"{rule.text('guidance', lang)}")
    return "\n".join(lines) + "\n"


def render_rule_docs(checklist, lang: str) -> str:
    """The whole rules page in ``lang``."""
    sv = lang != "en"
    head = [
        "# Regler" if sv else "# Rules", "",
        ("<!-- Genererad av `ivoaudit rules docs --out docs/` från checklists/*.yaml. Ändra inte för hand. -->"
         if sv else "<!-- Generated by `ivoaudit rules docs --out docs/` from checklists/*.yaml. Do not edit. -->"),
        "",
        ("Dagar räknas som kalenderdagar med startdagen som dag 0; månader enligt lag (1930:173) 1 §. "
         "Ett resultat hänvisar till gamla socialtjänstlagen (2001:453) när fristen föll före 2025-07-01, "
         "annars till den nya (2025:400)." if sv else
         "Days are calendar days with the start day as day 0; months per Act (1930:173) s. 1. "
         "A result cites the old Social Services Act (2001:453) when its deadline fell before 2025-07-01, "
         "the new one (2025:400) otherwise."),
        "",
        "| id | " + ("titel | område | grund" if sv else "title | area | basis") + " |",
        "|---|---|---|---|",
    ]
    for r in checklist.rules:
        head.append(f"| [{r.id}](#{r.id.lower()}) | {r.text('title', lang)} | "
                    f"{r.area or ('alla' if sv else 'all')} | {basis_text(r.basis, lang)} |")
    body = [rule_section(r, lang) for r in checklist.rules]
    return "\n".join(head) + "\n\n" + "\n".join(body)


def write_rule_docs(out_dir: str | Path, checklist: Any) -> list[Path]:
    """Write ``rules.md`` (Swedish) and ``rules.en.md`` for ``checklist`` (``ivoaudit rules
    docs`` gives the shipped checklists)."""
    out = Path(out_dir)
    make_dir(out)
    paths = []
    for lang, name in (("sv", "rules.md"), ("en", "rules.en.md")):
        path = out / name
        write_text(path, render_rule_docs(checklist, lang))
        paths.append(path)
    return paths
