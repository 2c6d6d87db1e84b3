"""``ivoaudit check``: check every case against the rules and write the result files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ivoaudit.cli.options import ExtractArgs, db_option, echo, extract_options, new_command, option
from ivoaudit.errors import InputError
from ivoaudit.i18n import t


@new_command(
    "check",
    help=(
        "Granska alla ärenden i EXTRACT mot reglerna och skriv results.csv, summary.csv, "
        "quarantine.csv, cases.csv, problems.csv, meta.json och report.html i --out.\n\n"
        "Utan --checklist körs alla inbyggda regler vars verksamhetsområde matchar ärendenas. "
        "Regler som uttaget inte räcker till (en kolumn saknas) listas först, under en varning.",
        "Check every case in EXTRACT against the rules and write results.csv, summary.csv, "
        "quarantine.csv, cases.csv, problems.csv, meta.json and report.html into --out.\n\n"
        "Without --checklist every shipped rule whose area matches the cases' area runs. Rules "
        "the extract cannot support (a column is missing) are listed first, under a warning."),
)
@extract_options
@option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
        help=("Mapp att skriva resultaten i.", "Folder to write the results into."))
@option("--record", "record_as", metavar="NAME",
        help=("Spara också kontrollen som mätningen NAME i granskningsdatabasen (antal per regel, "
              "inga ärenden), för uppföljning och effekt av åtgärder.",
              "Also record the check as measurement NAME in the audit store (counts per rule, no "
              "cases), for follow-up and the effect of actions."))
@db_option
@option("--strict", is_flag=True, default=False,
        help=("Avsluta med kod 3 om någon regel inte kan bedömas på uttaget (för schemalagda körningar).",
              "Exit with code 3 when any rule cannot be evaluated on the extract (for scheduled runs)."))
def command(source: ExtractArgs, out_dir: Path, record_as: str | None, db: Path | None,
            strict: bool) -> None:
    from ivoaudit.checklist import load_checklists
    from ivoaudit.load import load_events, load_extract
    from ivoaudit.load.detect import choose_mapping_for_file
    from ivoaudit.report.check_summary import write_check_summary
    from ivoaudit.results import check_and_write

    if record_as:  # a taken name is refused before the check runs, not after
        from ivoaudit.store import open_store
        from ivoaudit.store.measurements import check_free_name

        with open_store(db) as store:
            check_free_name(store, record_as)
    checklist = load_checklists(list(source.checklists) or None)
    # Without --mapping, a shipped mapping whose header fingerprint fits is used, saying so.
    mapping = choose_mapping_for_file(source.path, source.mapping, sheet=source.sheet, **source.read_options)
    # The files of a check hold no person ids: run-local tokens serve the rules (see load_extract).
    loaded = load_extract(source.path, mapping=mapping["path"], sheet=source.sheet, keyed=False,
                          **source.read_options)
    events = None
    if source.events:
        chosen = choose_mapping_for_file(source.events, source.events_mapping, events=True)
        mapping["events"] = chosen
        events = load_events(source.events, mapping=chosen["path"])
    result, _ = check_and_write(loaded, checklist, source.check_date(), out_dir, events=events,
                                progress=True, report=write_check_summary, mapping=mapping)
    echo(render_summary(result))
    echo(t("Resultat skrivna till {p}", "Results written to {p}", p=out_dir))
    if record_as:
        from ivoaudit.tracking.measure import record_check

        with open_store(db) as store:
            record_check(store, record_as, result)
        echo(t("Sparad som mätningen {n}.", "Recorded as measurement {n}.", n=record_as))
    if strict and result.meta["not_evaluable"]:
        raise InputError(t(
            "--strict: {n} kan inte bedömas på uttaget ({r}). Mappa kolumnerna eller välj en checklista "
            "utan reglerna.",
            "--strict: {n} cannot be evaluated on the extract ({r}). Map the columns or choose a "
            "checklist without the rules.",
            n=_counted_rules(len(result.meta["not_evaluable"])),
            r=", ".join(item["rule_id"] for item in result.meta["not_evaluable"])))


def _counted_rules(n: int) -> str:
    from ivoaudit.wording import counted

    return counted(n, "rule")


def render_summary(result: Any) -> str:
    """The terminal's view of a check: rules the extract cannot support first, under a
    warning; then a table with the status words every report uses, and their legend."""
    from ivoaudit.i18n import get_language
    from ivoaudit.wording import (
        COMPLIANCE_LEGEND,
        COMPLIANCE_WORD,
        counted,
        legend,
        number,
        percent,
        pick,
        status_word,
    )

    lang = get_language()
    meta = result.meta
    lines = [t("Granskningsdag {d}, {n}", "Check date {d}, {n}", d=meta["as_of"],
               n=counted(int(meta["cases_loaded"]), "case"))]
    mapping = meta.get("mapping") or {}
    for chosen in (mapping, mapping.get("events") or {}):
        if chosen.get("message"):
            lines.append(str(chosen["message"]))
    if meta.get("events"):
        from ivoaudit.load.event_rows import events_sentence

        lines.append(events_sentence(meta["events"]))
    lines += _not_evaluable_lines(result, lang)
    statuses = ("pass", "fail", "overdue", "pending", "missing_data", "needs_review")
    head = [t("Regel", "Rule"), t("Tillämpliga", "Applicable"), *(status_word(s) for s in statuses),
            pick(COMPLIANCE_WORD)]
    rows = []
    for r in result.summary.to_dict("records"):
        if not r["evaluable"]:
            continue
        denominator = int(r["pass"]) + int(r["fail"]) + int(r["overdue"])
        comp = r["compliance"]
        comp_text = ("–" if comp is None or comp != comp else
                     f"{percent(float(comp))} (n={number(denominator)})")
        rows.append([r["rule_id"] + ("*" if r["local_change"] else ""), number(int(r["applicable"])),
                     *(number(int(r[s])) for s in statuses), comp_text])
    last = len(head) - 1
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=False)]
    lines.append("")
    lines += ["  ".join(str(v).ljust(w) if i in (0, last) else str(v).rjust(w)
                        for i, (v, w) in enumerate(zip(row, widths, strict=True))).rstrip()
              for row in [head, *rows]]
    if meta.get("local_changes"):
        lines.append(t("* lokalt ändrat mål", "* locally changed target"))
    lines += ["", t("Förklaring:", "Legend:")]
    lines += [f"  {word}: {sentence}" for word, sentence in legend(statuses)]
    lines.append(f"  {pick(COMPLIANCE_LEGEND)}")
    return "\n".join(lines)


def _not_evaluable_lines(result: Any, lang: str) -> list[str]:
    """The warning over the rules the extract cannot support, what they lack, what to do."""
    from ivoaudit.fields import label
    from ivoaudit.wording import counted

    meta = result.meta
    unsupported = meta.get("not_evaluable") or []
    if not unsupported:
        return []
    one = len(unsupported) == 1
    lines = ["", t("VARNING: {n} kan inte bedömas på det här uttaget: {p} (inte ”0 brister”).",
                   "WARNING: {n} cannot be evaluated on this extract: {p} (not “0 failures”).",
                   n=counted(len(unsupported), "rule"),
                   p=t("den är inte mätt" if one else "de är inte mätta",
                       "it was not measured" if one else "they were not measured"))]
    titles = {r.id: r.text("title", lang) for r in result.checklist.rules}
    for item in unsupported:
        fields = ", ".join(f"{label(f, lang)} ({f})" for f in item["missing_fields"])
        lines.append(t("  {r} {title}: uttaget saknar {f}", "  {r} {title}: the extract lacks {f}",
                       r=item["rule_id"], title=titles.get(item["rule_id"], ""), f=fields))
    if meta.get("unrecognised_columns"):
        lines.append(t("  Kolumner som inte känns igen: {c}", "  Columns not recognised: {c}",
                       c=", ".join(meta["unrecognised_columns"])))
    lines.append(t("  Gör så här: mappa kolumnerna (--mapping, se `ivoaudit inspect`) eller välj en "
                   "checklista utan reglerna (--checklist).",
                   "  What to do: map the columns (--mapping, see `ivoaudit inspect`) or choose a "
                   "checklist without the rules (--checklist)."))
    return lines
