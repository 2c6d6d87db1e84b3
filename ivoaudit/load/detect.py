"""Recognising an extract from a case system we ship a mapping for (issue 13).

Each shipped mapping file (``sample_data/mappings/*.yaml``, in the wheel ``ivoaudit/_mappings``)
carries ``fingerprint:``, a digest of the header row the system exports
(:func:`ivoaudit.fields.header_fingerprint`: the headers trimmed, case-folded and sorted, so column order and
letter case do not matter). An extract matches a mapping when its headers give the same
digest, or when every header the mapping names is among them (an export with extra columns).

Without ``--mapping`` the tool then says which shipped mapping matches, and uses it (saying so)
when exactly one does; with several it uses none and names them. Forgetting ``--mapping``
otherwise gives rules the extract seems unable to support (see ``check.not_evaluable``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ivoaudit.fields import fold_header as _fold
from ivoaudit.fields import header_fingerprint
from ivoaudit.i18n import t

_PACKAGE = Path(__file__).resolve().parent.parent


def shipped_mappings_dir() -> Path:
    """Folder of the shipped mapping files (inside the wheel, or the repository's
    ``sample_data/mappings``)."""
    packaged = _PACKAGE / "_mappings"
    return packaged if packaged.is_dir() else _PACKAGE.parent / "sample_data" / "mappings"


@dataclass(frozen=True)
class MappingMatch:
    """A shipped mapping that fits an extract's headers."""

    path: Path
    exact: bool  # the fingerprint matched (the whole header row), not only the mapped headers


def _shipped(events: bool) -> list[tuple[Path, dict[str, Any]]]:
    found = []
    folder = shipped_mappings_dir()
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        if path.stem.endswith("_events") != events:
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue  # a damaged shipped file is found by the tests, not guessed around here
        if isinstance(data, dict):
            found.append((path, data))
    return found


def match_mappings(headers: Sequence[object], *, events: bool = False) -> list[MappingMatch]:
    """The shipped mappings (case extract or, with ``events``, events table) that fit ``headers``."""
    digest = header_fingerprint(headers)
    present = {_fold(h) for h in headers}
    matches = []
    for path, data in _shipped(events):
        mapped = [_fold(v) for v in (data.get("columns") or {}).values() if isinstance(v, str)]
        exact = data.get("fingerprint") == digest
        if exact or (mapped and all(m in present for m in mapped)):
            matches.append(MappingMatch(path, exact))
    exact_ones = [m for m in matches if m.exact]
    return exact_ones or matches


def choose_mapping(headers: Sequence[object], given: str | Path | None, *,
                   events: bool = False) -> dict[str, Any]:
    """Which mapping to use, and what to tell the user (``meta.json`` ``mapping``).

    ``{"source": "given"|"detected"|"suggested"|"none", "path": …, "candidates": […],
    "message": …}``: a given mapping is used as is; else a single matching shipped mapping is
    used (``detected``), several are named (``suggested``) and none used."""
    if given:
        return {"source": "given", "path": str(given)}
    matches = match_mappings(headers, events=events)
    what = t("händelsetabellen", "the events table") if events else t("uttaget", "the extract")
    option = "--events-mapping" if events else "--mapping"
    if len(matches) == 1:
        path = matches[0].path
        return {"source": "detected", "path": str(path), "candidates": [str(path)],
                "message": t("Rubrikerna i {w} känns igen som {name}: mappningen {p} används. Ange {o} för "
                             "att välja en annan.",
                             "The headers of {w} are recognised as {name}: the mapping {p} is used. Give "
                             "{o} to choose another.", w=what, name=path.stem, p=path, o=option)}
    if matches:
        names = ", ".join(str(m.path) for m in matches)
        return {"source": "suggested", "path": None, "candidates": [str(m.path) for m in matches],
                "message": t("Rubrikerna i {w} passar flera mappningar ({n}); ingen används. Ange den rätta "
                             "med {o}.",
                             "The headers of {w} fit several mappings ({n}); none is used. Give the right "
                             "one with {o}.", w=what, n=names, o=option)}
    near = nearest_mapping(headers, events=events)
    if near is not None:
        path, absent = near
        return {"source": "suggested", "path": None, "candidates": [str(path)], "missing_headers": absent,
                "message": t("Rubrikerna i {w} liknar {name} ({p}), men {m} saknas; ingen mappning används. "
                             "Kommer uttaget från {name}: ta med kolumnerna i uttaget, eller kopiera "
                             "mappningen, ta bort raderna för det som saknas och ange den med {o}.",
                             "The headers of {w} resemble {name} ({p}), but {m} is missing; no mapping is "
                             "used. If the extract comes from {name}: include the columns in the extract, "
                             "or copy the mapping, remove the lines of what is missing and give it with {o}.",
                             w=what, name=path.stem, p=path, m=", ".join(f'"{h}"' for h in absent), o=option)}
    return {"source": "none", "path": None, "candidates": []}


NEAR_SHARE = 0.75  # of a shipped mapping's headers present: the extract most likely comes from it


def nearest_mapping(headers: Sequence[object], *, events: bool = False) -> tuple[Path, list[str]] | None:
    """The shipped mapping most of whose headers (at least :data:`NEAR_SHARE`, all but a few)
    the extract has, and the headers it lacks; None when none comes that close (or two tie)."""
    present = {_fold(h) for h in headers}
    scored = []
    for path, data in _shipped(events):
        mapped = [v for v in (data.get("columns") or {}).values() if isinstance(v, str)]
        if not mapped:
            continue
        absent = [v for v in mapped if _fold(v) not in present]
        share = 1 - len(absent) / len(mapped)
        if absent and share >= NEAR_SHARE:
            scored.append((share, path, absent))
    scored.sort(key=lambda item: -item[0])
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None
    return scored[0][1], scored[0][2]


def choose_mapping_for_file(path: str | Path, given: str | Path | None, *, sheet: str | None = None,
                            encoding: str | None = None, delimiter: str | None = None,
                            events: bool = False) -> dict[str, Any]:
    """:func:`choose_mapping` for the header row of the file at ``path`` (read only when no
    mapping is given)."""
    if given:
        return choose_mapping([], given, events=events)
    from ivoaudit.load.files import read_table

    headers = read_table(path, sheet, encoding=encoding, delimiter=delimiter).headers
    return choose_mapping(headers, None, events=events)
