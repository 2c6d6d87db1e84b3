"""``ivoaudit rules``: list and show the rule catalogue, and generate its documentation."""

from __future__ import annotations

from pathlib import Path

import click

from ivoaudit.cli.options import echo, new_group, option
from ivoaudit.errors import UsageError
from ivoaudit.i18n import get_language, t


@new_group("rules", help=("Visa reglerna som ivoaudit granskar mot.",
                                     "Show the rules ivoaudit checks against."))
def command() -> None:
    pass


@command.command("list", help=("Lista reglerna (id, område, grund, titel).",
                                        "List the rules (id, area, basis, title)."))
@option("--area", help=("Bara regler för detta område (t.ex. barn_unga).",
                                       "Only rules for this area (e.g. barn_unga)."))
@option("--checklist", "checklists", multiple=True,
              help=("Checklista eller egen YAML-fil.", "Checklist or your own YAML file."))
def list_rules(area: str | None, checklists: tuple[str, ...]) -> None:
    from ivoaudit.checklist import load_checklists
    from ivoaudit.rules.docs import basis_text

    lang = get_language()
    for rule in load_checklists(list(checklists) or None).rules:
        if area and rule.area not in (None, area):
            continue
        echo(f"{rule.id:<24} {rule.area or t('alla', 'all'):<16} {basis_text(rule.basis, lang):<12} "
                   f"{rule.text('title', lang)}")


@command.command("show", help=("Visa en regel: vad som räknas, grund och lagrum.",
                                        "Show one rule: what is counted, basis and legal references."))
@click.argument("rule_id")
@option("--checklist", "checklists", multiple=True,
              help=("Checklista eller egen YAML-fil.", "Checklist or your own YAML file."))
def show_rule(rule_id: str, checklists: tuple[str, ...]) -> None:
    from ivoaudit.checklist import load_checklists
    from ivoaudit.rules.docs import rule_section

    checklist = load_checklists(list(checklists) or None)
    try:
        rule = checklist.get(rule_id.strip().upper())
    except KeyError:
        raise UsageError(t("Okänd regel '{r}'. Se `ivoaudit rules list`.",
                           "Unknown rule '{r}'. See `ivoaudit rules list`.", r=rule_id)) from None
    echo(rule_section(rule, get_language()))


@command.command("docs", help=("Skriv docs/rules.md (svenska) och docs/rules.en.md.",
                                        "Write docs/rules.md (Swedish) and docs/rules.en.md."))
@option("--out", "out_dir", default="docs", type=click.Path(file_okay=False, path_type=Path),
              help=("Mapp (standard: docs).", "Folder (default: docs)."))
def docs(out_dir: Path) -> None:
    from ivoaudit.checklist import load_checklists
    from ivoaudit.rules.docs import write_rule_docs

    for path in write_rule_docs(out_dir, load_checklists()):
        echo(str(path))
