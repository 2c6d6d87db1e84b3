"""Read the YAML and JSON files users write (mappings, checklists, IVO decisions) safely.

``yaml.safe_load`` refuses code, but not every hostile file: a few hundred bytes of aliases
that refer to aliases (a "billion laughs") expand to billions of nodes the moment anything
walks the result, and nesting thousands deep makes the parser recurse until Python gives up.
So before a YAML file is loaded its event stream (which PyYAML produces without recursion) is
scanned: more than :data:`~ivoaudit.load.limits.MAX_YAML_NODES` values once aliases are
expanded, or deeper nesting than :data:`~ivoaudit.load.limits.MAX_NESTING`, refuse it. JSON is checked for nesting the same way.
Every message is the caller's error class, in the user's language, names the file and the
line where there is one, and never quotes the parser's English.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from ivoaudit.errors import InputError, UserError
from ivoaudit.i18n import t
from ivoaudit.load.files import read_file_bytes
from ivoaudit.load.limits import MAX_NESTING, MAX_SETTINGS_BYTES, MAX_YAML_NODES

ErrorClass = Callable[[str], UserError]
# libyaml's loader where PyYAML was built with it (ten times faster), else the Python one; both safe.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# What PyYAML says, in words a reader can act on (matched on the start of its "problem").
_YAML_PROBLEMS = (  # PyYAML's words and libyaml's
    ("found character that cannot start any token", ("ett tecken som inte får stå där, ofta en tabb i "
                                                     "indraget (använd mellanslag)", "a character that may not "
                                                     "stand there, often a tab in the indentation (use spaces)")),
    ("mapping values are not allowed", ("ett kolon står där det inte får stå (sätt citattecken runt texter "
                                        "med kolon)", "a colon stands where it may not (put quotes around texts "
                                        "with a colon)")),
    ("did not find expected key", ("indraget stämmer inte med raderna ovanför",
                                   "the indentation does not match the lines above")),
    ("could not determine a constructor", ("en tagg (!!…) som inte är tillåten; skriv värdet som vanlig text",
                                           "a tag (!!…) that is not allowed; write the value as plain text")),
    ("mapping values are not allowed here", ("ett kolon står där det inte får stå (sätt citattecken runt "
                                              "texter med kolon)", "a colon stands where it may not (put "
                                              "quotes around texts with a colon)")),
    ("could not find expected ':'", ("ett kolon saknas efter en nyckel", "a colon is missing after a key")),
    ("found character '\\t'", ("en tabb används för indrag (använd mellanslag)",
                               "a tab is used for indentation (use spaces)")),
    ("found unexpected end of stream", ("ett citattecken eller en parentes stängs aldrig",
                                        "a quote or bracket is never closed")),
    ("found undefined alias", ("ett alias (*namn) pekar på ett ankare (&namn) som inte finns",
                               "an alias (*name) refers to an anchor (&name) that does not exist")),
    ("expected <block end>, but found", ("indraget stämmer inte med raderna ovanför",
                                         "the indentation does not match the lines above")),
    ("found duplicate anchor", ("samma ankare (&namn) används två gånger", "the same anchor (&name) is used twice")),
)


def read_yaml_file(path: str | Path, what: tuple[str, str], error: ErrorClass = InputError) -> Any:
    """The parsed content of the YAML file ``path`` (``what``: e.g. ``("Mappningsfilen", "The mapping
    file")``), or ``error`` with a message saying what is wrong and where."""
    path = Path(path)
    text = _read_text(path, what, error)
    return parse_yaml(text, path.name, what, error)


def parse_yaml(text: str, name: str, what: tuple[str, str], error: ErrorClass = InputError) -> Any:
    """:func:`read_yaml_file` for text already read (``name`` for messages)."""
    try:
        _check_events(yaml.parse(text, Loader=_LOADER), name, what, error)
        return yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        raise error(_yaml_message(exc, name, what)) from None
    except RecursionError:
        raise error(_too_deep(name, what)) from None


def read_json_file(path: str | Path, what: tuple[str, str], error: ErrorClass = InputError) -> Any:
    """The parsed content of the JSON file ``path``, checked like YAML (see the module docstring)."""
    path = Path(path)
    return parse_json(_read_text(path, what, error), path.name, what, error)


def parse_json(text: str, name: str, what: tuple[str, str], error: ErrorClass = InputError) -> Any:
    """:func:`read_json_file` for text already read."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:  # nesting counted outside strings, before the (recursive) parser runs
        if in_string:
            escaped = not escaped and char == "\\"
            in_string = escaped or char != '"'
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    if deepest > MAX_NESTING:
        raise error(_too_deep(name, what))
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(t("{what} {file} är inte giltig JSON: rad {line}, kolumn {col}. Kontrollera kommatecken, "
                      "citattecken och parenteser där.",
                      "{what} {file} is not valid JSON: line {line}, column {col}. Check the commas, quotes "
                      "and brackets there.", what=t(*what), file=name, line=exc.lineno, col=exc.colno)) from None
    except RecursionError:
        raise error(_too_deep(name, what)) from None


def _read_text(path: Path, what: tuple[str, str], error: ErrorClass) -> str:
    try:
        data = read_file_bytes(path, t(*what), MAX_SETTINGS_BYTES,
                               ("Kontrollera att det är rätt fil: en sådan fil är några kilobyte.",
                                "Check that it is the right file: such a file is a few kilobytes."))
    except InputError as exc:
        raise error(str(exc)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error(t("{what} {file} är inte sparad som UTF-8. Spara den som UTF-8 i din textredigerare "
                      "och försök igen.",
                      "{what} {file} is not saved as UTF-8. Save it as UTF-8 in your text editor and try "
                      "again.", what=t(*what), file=path.name)) from None


def _check_events(events: Any, name: str, what: tuple[str, str], error: ErrorClass) -> None:
    """Nesting depth, and how many values the file holds once every alias (*name) is replaced
    by what its anchor (&name) names: a few aliases of aliases make billions."""
    sizes: dict[str, int] = {}  # anchor → values it expands to
    open_nodes: list[list[Any]] = []  # per open collection: [anchor, values so far]
    total = 0
    for event in events:
        if isinstance(event, yaml.CollectionStartEvent):
            open_nodes.append([event.anchor, 1])
            if len(open_nodes) > MAX_NESTING:
                raise error(_too_deep(name, what))
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            anchor, size = open_nodes.pop()
        elif isinstance(event, yaml.ScalarEvent):
            anchor, size = event.anchor, 1
        elif isinstance(event, yaml.AliasEvent):
            anchor, size = None, sizes.get(event.anchor, 1)
        else:
            continue
        if anchor:
            sizes[anchor] = size
        if open_nodes:
            open_nodes[-1][1] += size
        total += size if not open_nodes else 0
        if size > MAX_YAML_NODES or total > MAX_YAML_NODES:
            raise error(t(
                "{what} {file} växer till fler än {n} värden när dess alias (*namn) ersätts med det de "
                "pekar på. Skriv ut värdena i stället för att hänvisa till dem om och om igen.",
                "{what} {file} grows to more than {n} values when its aliases (*name) are replaced by what "
                "they refer to. Write the values out instead of referring to them over and over.",
                what=t(*what), file=name, n=MAX_YAML_NODES))


def _too_deep(name: str, what: tuple[str, str]) -> str:
    return t("{what} {file} är nästlad i fler än {n} nivåer. Kontrollera indragen (eller parenteserna); en "
             "sådan fil har bara några få nivåer.",
             "{what} {file} is nested more than {n} levels deep. Check the indentation (or brackets); such "
             "a file has only a few levels.", what=t(*what), file=name, n=MAX_NESTING)


def _yaml_message(exc: yaml.YAMLError, name: str, what: tuple[str, str]) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = str(getattr(exc, "problem", None) or "")
    words = next((texts for start, texts in _YAML_PROBLEMS if problem.startswith(start)), None)
    cause = t(*words) if words else t("texten kan inte tolkas", "the text cannot be read")
    context = getattr(exc, "context_mark", None)
    if context is not None and mark is not None and context.line != mark.line:
        # e.g. an unclosed quote: the error surfaces at the end, the cause is earlier
        cause += t(" (det som började på rad {line})", " (what began on line {line})", line=context.line + 1)
    where = t("rad {line}, kolumn {col}", "line {line}, column {col}", line=mark.line + 1,
              col=mark.column + 1) if mark is not None else t("okänd rad", "unknown line")
    return t("{what} {file} är inte giltig YAML: {where}: {cause}. Kontrollera indrag (mellanslag, inte "
             "tabbar), kolon efter varje nyckel och citattecken runt texter med kolon eller #.",
             "{what} {file} is not valid YAML: {where}: {cause}. Check the indentation (spaces, not tabs), "
             "a colon after every key and quotes around texts containing a colon or #.",
             what=t(*what), file=name, where=where, cause=cause)
