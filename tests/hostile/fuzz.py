"""Mutation fuzzing of extracts: no crash, no hang, and every line accounted for.

    python tests/hostile/fuzz.py [--seconds 60] [--seed N] [--save FOLDER]

Takes small extracts (the hostile corpus's baseline in UTF-8, cp1252 and UTF-16, comma, semicolon
and tab, the head of the bundled messy Lifecare set, a workbook), mutates them again and again
(quotes, delimiters, line ends, invisible characters, random bytes, cut and repeated pieces) and
loads each with ``load_extract``. Every run must end in one of two ways: refused with a
:class:`~ivoaudit.errors.UserError` (a message for the user), or loaded with loaded rows +
quarantined rows + lines continuing a cell = the file's non-blank lines after the header, counted
here by splitting on line ends, without a CSV parser. Anything else (another exception, a run
over :data:`HANG_SECONDS`) is a failure; the input is saved to ``--save`` for reproduction.
Exit code 0 when there was no failure. ``.ci/run`` runs it for about a minute.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import _workbook, csv_text  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
HANG_SECONDS = 20
PIECES = [b'"', b'""', b";", b",", b"\t", b"\n", b"\r", b"\r\n", b'"\r\n', b';"', b'"x";', b"\xe2\x80\x8b",
          b"\xef\xbb\xbf", b" ", b"\xc3\xa9", b"\xe9", b"\x00", b"=", b"\x1b[2J", b"2026-02-30", b"19121212-1212"]


class Hang(Exception):
    pass


def bases() -> list[tuple[str, bytes]]:
    text = csv_text()
    out = [("utf8-semicolon", text.encode("utf-8")), ("cp1252-semicolon", text.encode("cp1252")),
           ("utf8-comma", csv_text(sep=",").encode("utf-8")), ("utf8-tab-lf", csv_text(sep="\t", end="\n").encode()),
           ("utf16-tab", ("\ufeff" + csv_text(sep="\t")).encode("utf-16-le")), ("xlsx", _workbook())]
    messy = REPO / "sample_data" / "lifecare_messy" / "arenden.csv"
    if messy.exists():
        out.append(("lifecare-messy-head", b"".join(messy.read_bytes().splitlines(keepends=True)[:150])))
    return out


def mutate(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(len(data) + 1)
        kind = rng.random()
        if kind < 0.55:
            data = data[:at] + rng.choice(PIECES) + data[at:]
        elif kind < 0.7:
            data = data[:at] + data[at + rng.randint(1, 4):]
        elif kind < 0.8:
            data = data[:at] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 4))) + data[at:]
        elif kind < 0.9:
            end = min(len(data), at + rng.randint(1, 200))
            data = data[:end] + data[at:end] * rng.randint(1, 3) + data[end:]
        else:
            data = data[: max(1, at)]
    return data


def lines_after_header(data: bytes, encoding: str | None, header_row: int) -> int:
    """Non-blank lines after the header row, split on line ends alone."""
    text = data.decode(_codec(encoding), errors="replace") if encoding else data.decode("latin-1")
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    return sum(1 for line in lines[header_row:] if line)


def _codec(encoding: str) -> str:
    return {"utf-16": "utf-16", "utf-32": "utf-32"}.get(encoding, encoding)


def run_one(path: Path, data: bytes) -> str:
    """``refused``, ``loaded`` or ``mismatch``; raises on a crash or a hang."""
    from ivoaudit.errors import UserError
    from ivoaudit.load import load_extract

    signal.alarm(HANG_SECONDS)
    try:
        extract = load_extract(path, keyed=False)
    except UserError:
        return "refused"
    finally:
        signal.alarm(0)
    if extract.source.format != "csv":
        return "loaded"
    accounted = len(extract.cases) + extract.quarantine["row"].nunique() + len(extract.source.continued)
    expected = lines_after_header(data, extract.source.encoding, extract.source.header_row)
    return "loaded" if accounted == expected else "mismatch"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--save", type=Path, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    rng = random.Random(seed)
    os.environ.setdefault("IVOAUDIT_SECRET_FILE", str(Path(tempfile.mkdtemp()) / "secret.key"))

    def on_alarm(_signum: int, _frame: object) -> None:
        raise Hang

    signal.signal(signal.SIGALRM, on_alarm)
    counts = {"refused": 0, "loaded": 0, "mismatch": 0, "crash": 0, "hang": 0}
    failures: list[tuple[str, bytes, str]] = []
    originals = bases()
    folder = Path(tempfile.mkdtemp(prefix="ivoaudit-fuzz-"))
    start = time.monotonic()
    while time.monotonic() - start < args.seconds:
        name, base = rng.choice(originals)
        data = mutate(base, rng)
        path = folder / ("x.xlsx" if name == "xlsx" else "x.csv")
        path.write_bytes(data)
        try:
            outcome = run_one(path, data)
        except Hang:
            outcome, detail = "hang", f"over {HANG_SECONDS} s"
        except Exception:  # noqa: BLE001 - a crash is what we are looking for
            outcome, detail = "crash", traceback.format_exc(limit=3)
        else:
            detail = ""
        counts[outcome] += 1
        if outcome in ("mismatch", "crash", "hang"):
            failures.append((name, data, outcome + " " + detail))
    elapsed = time.monotonic() - start
    total = sum(counts.values())
    print(f"fuzz: seed {seed}, {elapsed:.0f} s, {total} executions ({total / elapsed:.0f}/s): "
          + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for number, (name, data, what) in enumerate(failures[:20]):
        print(f"  failure {number} from {name}: {what.strip()}")
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"failure-{number}-{name}.bin").write_bytes(data)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
