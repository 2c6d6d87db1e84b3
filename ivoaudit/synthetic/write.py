"""Write a generated set to a folder, byte for byte reproducibly."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import yaml

from ivoaudit.atomic import atomic_open, make_dir, write_text
from ivoaudit.synthetic.generate import GeneratedSet
from ivoaudit.synthetic.systems import System

_FIXED_ZIP_TIME = (2026, 1, 1, 0, 0, 0)
_FIXED_STAMP = "2026-01-01T00:00:00Z"


def write_set(gset: GeneratedSet, out_dir: str | Path, name: str = "arenden") -> dict[str, Path]:
    """Write extract, events, ground truth, faults (messy), meta.json and mapping files.

    Returns the written files by role. The extract is ``<name>.csv`` (lifecare: cp1252,
    ``;``) or ``<name>.xlsx`` (treserva); events ``handelser.csv``/``.xlsx``.
    """
    out = make_dir(out_dir)
    sysdef = gset.system
    files: dict[str, Path] = {}
    suffix = ".xlsx" if sysdef.format == "xlsx" else ".csv"
    files["extract"] = out / f"{name}{suffix}"
    files["events"] = out / f"handelser{suffix}"
    if sysdef.format == "xlsx":
        write_xlsx(gset.extract, files["extract"], sysdef.sheet or "Blad1")
        write_xlsx(gset.events, files["events"], sysdef.event_sheet or "Blad1")
    else:
        write_csv(gset.extract, files["extract"], sysdef)
        write_csv(gset.events, files["events"], sysdef)
    files["ground_truth"] = out / "ground_truth.csv"
    write_text(files["ground_truth"], gset.ground_truth.to_csv(index=False, lineterminator="\n"))
    if gset.meta.get("messy"):
        files["faults"] = out / "faults.csv"
        write_text(files["faults"], gset.faults.to_csv(index=False, lineterminator="\n"))
    if gset.event_faults is not None:
        files["event_faults"] = out / "event_faults.csv"
        write_text(files["event_faults"], gset.event_faults.to_csv(index=False, lineterminator="\n"))
    files["mapping"] = out / f"{sysdef.name}.yaml"
    files["events_mapping"] = out / f"{sysdef.name}_events.yaml"
    write_mappings(sysdef, out)
    meta = dict(gset.meta)
    meta["files"] = {role: path.name for role, path in files.items()}
    files["meta"] = out / "meta.json"
    write_text(files["meta"], json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return files


def write_mappings(sysdef: System, out_dir: str | Path) -> tuple[Path, Path]:
    """``<system>.yaml`` and ``<system>_events.yaml`` in the data-model.md mapping format."""
    out = make_dir(out_dir)
    paths = (out / f"{sysdef.name}.yaml", out / f"{sysdef.name}_events.yaml")
    for path, mapping, what in ((paths[0], sysdef.mapping(), "ärendeuttag / case extract"),
                                (paths[1], sysdef.events_mapping(), "händelser / events")):
        header = (f"# Mappningsfil för {sysdef.name} ({what}), skriven av `ivoaudit generate`.\n"
                  f"# Mapping file for {sysdef.name} ({what}), written by `ivoaudit generate`.\n")
        body = yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False, width=120)
        write_text(path, header + body)
    return paths


def write_csv(frame: pd.DataFrame, path: Path, sysdef: System) -> None:
    """The system's CSV dialect; blank cells empty; Windows line ends as exported on Windows."""
    with atomic_open(path, "w", encoding=sysdef.encoding, newline="") as fh:
        frame.to_csv(fh, sep=sysdef.delimiter, index=False, lineterminator="\r\n")


def write_xlsx(frame: pd.DataFrame, path: Path, sheet: str) -> None:
    """A workbook with real date cells, written with fixed timestamps (reproducible bytes)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append(list(frame.columns))
    date_cols = [pd.api.types.is_datetime64_any_dtype(frame[c]) for c in frame.columns]
    columns = [frame[c].to_numpy(dtype=object) for c in frame.columns]
    for i in range(len(frame)):
        row: list[object] = []
        for j, col in enumerate(columns):
            value = col[i]
            if value is None or value == "" or (not isinstance(value, str) and pd.isna(value)):
                row.append(None)
                continue
            if date_cols[j] or isinstance(value, (date, datetime)):
                value = pd.Timestamp(value).date() if not isinstance(value, date) else value
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "yyyy-mm-dd"
                row.append(cell)
            else:
                row.append(value)
        ws.append(row)
    buffer = io.BytesIO()
    wb.properties.creator = "ivoaudit generate"
    wb.save(buffer)
    _normalise_zip(buffer.getvalue(), path)


def _normalise_zip(data: bytes, path: Path) -> None:
    """Rewrite the XLSX zip with fixed member times and document stamps."""
    src = zipfile.ZipFile(io.BytesIO(data))
    with atomic_open(path, "wb") as fh, zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
                                 rb"\g<1>" + _FIXED_STAMP.encode() + rb"\g<3>", content)
            member = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            dst.writestr(member, content)
