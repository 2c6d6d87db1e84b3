"""Load an extract: upload it, see what the loader sees, choose or write its mapping."""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any, TypedDict

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ivoaudit.atomic import write_text
from ivoaudit.errors import InputError, MappingError
from ivoaudit.i18n import get_language, t, use_language
from ivoaudit.schema import LoadedExtract
from ivoaudit.web.render import AppState, form_post, redirect, render, web
from ivoaudit.web.security import Refused
from ivoaudit.web.uploads import Form, UploadedFile
from ivoaudit.web.workdir import new_id

# What the upload and extract forms offer when sniffing guessed wrong (the CLI's --encoding and
# --delimiter): value, Swedish label, English label. "" = sniffed.
ENCODINGS = (
    ("", "Känn igen själv", "Detect"),
    ("utf-8", "UTF-8", "UTF-8"),
    ("cp1252", "Windows-1252 (Västeuropa)", "Windows-1252 (Western Europe)"),
    ("utf-16", "UTF-16 (Excels \"Unicode-text\")", "UTF-16 (Excel's \"Unicode text\")"),
    ("cp850", "DOS-latin (cp850, äldre system)", "DOS Latin (cp850, older systems)"),
    ("iso8859-15", "ISO 8859-15 (latin-9)", "ISO 8859-15 (Latin-9)"),
    ("mac-roman", "Mac OS Roman", "Mac OS Roman"),
)
DELIMITERS = (
    ("", "Känn igen själv", "Detect"),
    (";", "Semikolon ;", "Semicolon ;"),
    (",", "Komma ,", "Comma ,"),
    ("tab", "Tabb", "Tab"),
    ("|", "Lodstreck |", "Vertical bar |"),
)


class ReadOptions(TypedDict, total=False):
    """The loader's ``encoding``/``delimiter`` keywords, those the user chose."""

    encoding: str
    delimiter: str


def read_choice(form: Form) -> ReadOptions:
    """The encoding and delimiter the form chose (only those given; the rest is sniffed)."""
    chosen = {"encoding": form.get("encoding"), "delimiter": form.get("delimiter")}
    offered = {"encoding": {v for v, _, _ in ENCODINGS}, "delimiter": {v for v, _, _ in DELIMITERS}}
    for key, value in chosen.items():
        if value not in offered[key]:
            raise InputError(t("Okänt val: {v}.", "Unknown choice: {v}.", v=value))
    out = ReadOptions()
    if chosen["encoding"]:
        out["encoding"] = chosen["encoding"]
    if chosen["delimiter"]:
        out["delimiter"] = "\t" if chosen["delimiter"] == "tab" else chosen["delimiter"]
    return out


def read_options(record: dict[str, Any]) -> ReadOptions:
    """``encoding``/``delimiter`` for the loader, as chosen for this extract (none: sniffed)."""
    read = record.get("read") or {}
    out = ReadOptions()
    if read.get("encoding"):
        out["encoding"] = str(read["encoding"])
    if read.get("delimiter"):
        out["delimiter"] = str(read["delimiter"])
    return out


def chosen_in_form(record: dict[str, Any]) -> dict[str, str]:
    """The record's encoding and delimiter as the forms' selects name them."""
    read = read_options(record)
    delimiter = read.get("delimiter", "")
    return {"encoding": read.get("encoding", ""), "delimiter": "tab" if delimiter == "\t" else delimiter}


def _extract(state: AppState, extract_id: str) -> dict[str, Any]:
    record = state.workdir.load("extracts", extract_id)
    if record is None:
        raise Refused(404, "Uttaget finns inte (längre) i appens arbetsmapp.",
                      "The extract does not exist (any more) in the app's working folder.")
    return record


def mapping_path(state: AppState, record: dict[str, Any]) -> Path | None:
    """The mapping file the extract is read with (None: headers recognised by name)."""
    chosen = record.get("mapping") or {}
    return state.workdir.resolve(chosen["file"]) if chosen.get("file") else None


def _inspect(state: AppState, record: dict[str, Any]) -> dict[str, Any]:
    """Run ``inspect`` on the extract with its mapping and keep the report beside it, in
    Swedish and in English (field labels and problem texts are the library's words), so the
    page reads in either language without loading the extract again. Notes made while loading
    (e.g. "Kön härleddes ur personnumret") stay in the language of the upload."""
    from ivoaudit.load import load_extract
    from ivoaudit.load.inspection import inspect_extract

    path = state.workdir.resolve(record["file"])
    folder = path.parent

    def load() -> LoadedExtract:
        return load_extract(path, mapping=mapping_path(state, record), sheet=record.get("sheet") or None,
                            keyed=False, **read_options(record))

    loaded: LoadedExtract | None = None
    record["inspect_error"], record["inspect_errors"] = "", {}
    try:
        loaded = load()
    except (InputError, MappingError) as exc:
        # The message names the file as the user knows it, not the name the app stored it
        # under; it is kept in both languages (the other one by reading again: a refusal)
        errors = {get_language(): str(exc)}
        other = "sv" if get_language() == "en" else "en"
        with use_language(other):
            try:
                load()
            except (InputError, MappingError) as again:
                errors[other] = str(again)
        record["inspect_errors"] = {k: v.replace(path.name, record["original_name"]) for k, v in errors.items()}
        record["inspect_error"] = record["inspect_errors"][get_language()]
    if loaded is not None:
        from ivoaudit.load.mapping_form import mapping_draft

        # the mapping form's starting point, from this load (so the form does not load it again)
        draft = mapping_draft(path, mapping_path(state, record), loaded=loaded)
        write_text(folder / "draft.json", json.dumps(
            {k: v for k, v in dataclasses.asdict(draft).items() if k != "fields"}, ensure_ascii=False))
        for lang in ("sv", "en"):
            with use_language(lang):
                report = inspect_extract(loaded, examples=20)
            report["file"] = record["original_name"]  # the user's name, not the generated one
            write_text(folder / f"inspect.{lang}.json", json.dumps(report, ensure_ascii=False))
        record["cases"] = report["loaded"]
    return state.workdir.save("extracts", record["id"], record)


def _inspect_report(state: AppState, record: dict[str, Any]) -> dict[str, Any] | None:
    """The inspect report in the page's language (None when the file could not be read)."""
    folder = state.workdir.root / "extracts" / record["id"]
    for name in (f"inspect.{get_language()}.json", "inspect.json"):
        if (folder / name).exists() and not record.get("inspect_error"):
            return json.loads((folder / name).read_text("utf-8"))
    return None


def _content_format(upload: UploadedFile, allowed: tuple[str, ...]) -> str:
    """The upload's real type from its bytes (not its name); refuse what is not allowed."""
    from ivoaudit.load.sniff import sniff_format

    if upload.size == 0:
        raise InputError(t("Filen {f} är tom.", "The file {f} is empty.", f=upload.filename))
    fmt = sniff_format(upload.head, upload.filename)
    if fmt not in allowed:
        raise InputError(t("Filen {f} är inte av rätt slag ({a}).", "The file {f} is not of the right kind ({a}).",
                           f=upload.filename, a=", ".join(allowed)))
    return fmt


def list_extracts(request: Request) -> Response:
    state = web(request)
    return render(request, "extracts.html", extracts=state.workdir.list("extracts"), encodings=ENCODINGS,
                  delimiters=DELIMITERS, chosen={"encoding": "", "delimiter": ""})


def upload_extract(request: Request, form: Form) -> Response:
    state = web(request)
    upload = form.files.get("extract")
    if upload is None or not upload.filename:
        raise InputError(t("Välj en fil att läsa in.", "Choose a file to load."))
    fmt = _content_format(upload, ("csv", "xlsx"))
    item = new_id()
    target = state.workdir.folder("extracts", item) / f"extract.{fmt}"
    os.replace(upload.path, target)
    record = {"original_name": os.path.basename(upload.filename.replace("\\", "/")),
              "file": state.workdir.relative(target), "format": fmt, "size": upload.size,
              "uploaded_at": datetime.now().isoformat(timespec="seconds"),
              "sheet": form.get("sheet").strip(), "mapping": {"kind": "auto"}, "read": read_choice(form)}
    record = state.workdir.save("extracts", item, record)
    _inspect(state, record)
    return redirect(f"/extracts/{item}")


def show_extract(request: Request) -> Response:
    state = web(request)
    record = _extract(state, request.path_params["id"])
    report = _inspect_report(state, record)
    from ivoaudit.checklist import shipped_names

    return render(request, "extract.html", record=record, report=report,
                  mappings=state.workdir.list("mappings"), checklists=shipped_names(), encodings=ENCODINGS,
                  delimiters=DELIMITERS, chosen=chosen_in_form(record),
                  today=datetime.now().date().isoformat())


def choose_mapping(request: Request, form: Form) -> Response:
    """Read the extract with another mapping: none (recognise headers), a saved one, or a file."""
    state = web(request)
    record = _extract(state, request.path_params["id"])
    choice = form.get("mapping", "auto")
    upload = form.files.get("mapping_file")
    if upload is not None and upload.filename and upload.size:
        record["mapping"] = _save_mapping_upload(state, upload)
    elif choice == "auto":
        record["mapping"] = {"kind": "auto"}
    else:
        saved = state.workdir.load("mappings", choice)
        if saved is None:
            raise Refused(404, "Mappningen finns inte.", "The mapping does not exist.")
        record["mapping"] = {"kind": "saved", "id": saved["id"], "file": saved["file"], "label": saved["name"]}
    record["sheet"] = form.get("sheet", record.get("sheet", "")).strip()
    if "encoding" in form.fields or "delimiter" in form.fields:
        record["read"] = read_choice(form)
    _inspect(state, record)
    return redirect(f"/extracts/{record['id']}")


def _save_mapping_upload(state: AppState, upload: UploadedFile) -> dict[str, str]:
    from ivoaudit.load.mapping import read_mapping

    if b"\x00" in upload.head:
        raise MappingError(t("Filen {f} är ingen mappningsfil (YAML-text).", "The file {f} is not a mapping "
                             "file (YAML text).", f=upload.filename))
    item = new_id()
    target = state.workdir.folder("mappings", item) / "mapping.yaml"
    os.replace(upload.path, target)
    from ivoaudit.fields import EVENT_FIELDS

    try:
        read_mapping(target)
    except MappingError:
        try:  # a mapping for an events table is kept too (the check form offers it)
            read_mapping(target, EVENT_FIELDS)
        except MappingError:
            target.unlink()
            raise
    name = os.path.basename(upload.filename.replace("\\", "/"))
    state.workdir.save("mappings", item, {"name": name, "file": state.workdir.relative(target),
                                          "created_at": datetime.now().isoformat(timespec="seconds")})
    return {"kind": "saved", "id": item, "file": state.workdir.relative(target), "label": name}


def edit_mapping(request: Request) -> Response:
    """The mapping form: every field with the column it is read from, and unread codes."""
    from ivoaudit.load.mapping_form import MappingDraft, code_fields, mapping_draft

    state = web(request)
    record = _extract(state, request.path_params["id"])
    kept = state.workdir.root / "extracts" / record["id"] / "draft.json"
    if kept.exists() and not record.get("inspect_error"):
        data = json.loads(kept.read_text("utf-8"))
        data["unknown_codes"] = {f: [(c, n) for c, n in codes] for f, codes in data["unknown_codes"].items()}
        draft = MappingDraft(**data)
    else:
        draft = mapping_draft(state.workdir.resolve(record["file"]), mapping_path(state, record),
                              record.get("sheet") or None, **read_options(record))
    return render(request, "mapping.html", record=record, draft=draft, code_fields=code_fields())


def save_mapping(request: Request, form: Form) -> Response:
    """Write the form's choices as a mapping file, and read the extract with it."""
    from ivoaudit.fields import FIELDS
    from ivoaudit.load.mapping_form import code_fields, mapping_data, write_mapping

    state = web(request)
    record = _extract(state, request.path_params["id"])
    columns = {f.name: form.get(f"col.{f.name}") for f in FIELDS}
    constants = {f.name: form.get(f"const.{f.name}") for f in code_fields()}
    values: dict[str, dict[str, list[str]]] = {}
    for key, chosen in form.fields.items():
        # code.<field>.<n> carries the extract's code, map.<field>.<n> the canonical one
        if key.startswith("map.") and chosen:
            _, fld, n = key.split(".", 2)
            code = form.get(f"code.{fld}.{n}")
            if code:
                values.setdefault(fld, {}).setdefault(chosen, []).append(code)
    for fld, canonical, codes in _kept_values(form):
        values.setdefault(fld, {}).setdefault(canonical, []).extend(codes)
    data = mapping_data(columns, values, constants, dayfirst=form.get("dayfirst") == "on",
                        sheet=record.get("sheet") or None)
    name = (form.get("name").strip() or f"{record['original_name']}.yaml")
    if not name.lower().endswith((".yaml", ".yml")):
        name += ".yaml"
    item = new_id()
    target = state.workdir.folder("mappings", item) / "mapping.yaml"
    write_mapping(data, target)
    state.workdir.save("mappings", item, {"name": os.path.basename(name), "file": state.workdir.relative(target),
                                          "created_at": datetime.now().isoformat(timespec="seconds")})
    record["mapping"] = {"kind": "saved", "id": item, "file": state.workdir.relative(target),
                         "label": os.path.basename(name)}
    _inspect(state, record)
    return redirect(f"/extracts/{record['id']}?saved={item}")


def _kept_values(form: Form) -> list[tuple[str, str, list[str]]]:
    """Code mappings already in the file, carried through the form as keep.<field>.<canonical>."""
    out = []
    for key, lines in form.lists.items():
        if key.startswith("keep."):
            _, fld, canonical = key.split(".", 2)
            out.append((fld, canonical, [v for v in lines if v]))
    return out


routes = [
    Route("/extracts", list_extracts),
    Route("/extracts", form_post(upload_extract), methods=["POST"]),
    Route("/extracts/{id}", show_extract),
    Route("/extracts/{id}/mapping", edit_mapping),
    Route("/extracts/{id}/mapping", form_post(save_mapping), methods=["POST"]),
    Route("/extracts/{id}/choose-mapping", form_post(choose_mapping), methods=["POST"]),
]
