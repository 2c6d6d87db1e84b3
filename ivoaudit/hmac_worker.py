"""Keyed digests of many numbers, in this process or in helper processes.

Pseudonymising a million distinct personnummer is one HMAC-SHA256 per number, a Python
loop that holds the GIL for about half a second; threads cannot share it. So for large
extracts the loop runs in child processes (``python -I -S`` running this very file, which
imports only the standard library and starts in a few hundredths of a second) while the
loader goes on with the other columns. The child reads the secret and the numbers on its
standard input (never on its command line, which other users of the machine can see) and
writes the digests to its standard output. Any failure to start or finish a child falls
back to the same loop in this process, so the result never depends on the path taken;
the tests compare both with the standard library's ``hmac``.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable

DIGEST_BYTES = 8  # pseudonyms keep the first 16 hex digits


def truncated_digests(messages: Iterable[bytes], secret: bytes) -> bytes:
    """The first :data:`DIGEST_BYTES` of HMAC-SHA256(secret, message) for each message, joined."""
    # HMAC by hand from the precomputed inner and outer states (RFC 2104): the same digest
    # as hmac.digest, but about twice as fast per value.
    block = (hashlib.sha256(secret).digest() if len(secret) > 64 else secret).ljust(64, b"\0")
    inner_state = hashlib.sha256(bytes(b ^ 0x36 for b in block)).copy
    outer_state = hashlib.sha256(bytes(b ^ 0x5C for b in block)).copy
    digests = bytearray()
    for message in messages:  # inlined (no function call per value): this loop is the cost
        inner = inner_state()
        inner.update(message)
        outer = outer_state()
        outer.update(inner.digest())
        digests += outer.digest()[:DIGEST_BYTES]
    return bytes(digests)


def fixed_width_messages(data: bytes, width: int) -> Iterable[bytes]:
    """Messages packed at ``width`` bytes each, trailing NULs dropped (numpy ``S`` arrays)."""
    return (data[i : i + width].rstrip(b"\0") for i in range(0, len(data), width))


def start(packed: bytes, width: int, secret: bytes, parts: int) -> Callable[[], bytes]:
    """Digest fixed-width ``packed`` messages in ``parts`` child processes; returns ``finish``.

    ``finish()`` waits and returns the same bytes as :func:`truncated_digests` over the
    messages in order. A part whose child could not run is computed in this process then.
    """
    count = len(packed) // width
    bounds = [count * i // parts * width for i in range(parts + 1)]
    spans = list(zip(bounds, bounds[1:], strict=False))
    jobs = [_start_child(packed[a:b], width, secret) for a, b in spans]

    def finish() -> bytes:
        out = []
        for (a, b), job in zip(spans, jobs, strict=True):
            digests = job() if job is not None else None
            if digests is None or len(digests) != (b - a) // width * DIGEST_BYTES:
                digests = truncated_digests(fixed_width_messages(packed[a:b], width), secret)
            out.append(digests)
        return b"".join(out)

    return finish


def _start_child(packed: bytes, width: int, secret: bytes) -> Callable[[], bytes | None] | None:
    """One child process digesting ``packed``; ``None`` when it cannot be started."""
    if getattr(sys, "frozen", False) or not sys.executable:
        return None  # a bundled executable is not a Python interpreter
    header = b"".join(
        (len(secret).to_bytes(4, "little"), secret, width.to_bytes(4, "little"),
         len(packed).to_bytes(8, "little"))
    )
    try:
        child = subprocess.Popen(
            [sys.executable, "-I", "-S", __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        return None
    result: list[bytes | None] = [None]

    # A child that hangs (it should take well under a second per million) is killed and its
    # part computed here instead, rather than keeping the user waiting for ever.
    timeout = 60 + len(packed) // width * 1e-4

    def talk() -> None:  # the pipes are served by a thread so the caller goes on at once
        try:
            out, _ = child.communicate(header + packed, timeout=timeout)
            result[0] = out if child.returncode == 0 else None
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
        except OSError:  # e.g. the child exited before reading: its part is done here
            pass

    thread = threading.Thread(target=talk, daemon=True)
    thread.start()

    def wait() -> bytes | None:
        thread.join()
        return result[0]

    return wait


def _main() -> None:
    """Child process: read the secret and the packed messages, write their digests."""
    read = sys.stdin.buffer.read
    secret = read(int.from_bytes(read(4), "little"))
    width = int.from_bytes(read(4), "little")
    packed = read(int.from_bytes(read(8), "little"))
    sys.stdout.buffer.write(truncated_digests(fixed_width_messages(packed, width), secret))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _main()
