"""The reader server: `python -m accord.candidates.parsing.server`, started by sandbox.py.

It imports the readers once, then for each request read from stdin forks a child that limits
itself (address space, CPU time) and reads the file. The server waits on a wall clock, kills the
child when time is up, reaps it, and replies on stdout with the child's answer and how it ended.
It never looks at a file itself, so nothing a file does can reach it.

Frames on both pipes are a 4-byte big-endian length and that many bytes: a JSON header, then
(request) the file's bytes or (reply) the child's JSON answer.
"""

import json
import os
import resource
import select
import signal
import struct
import sys
import time
from typing import Any, BinaryIO, Final

MAX_ANSWER_BYTES: Final = 8 * 1024 * 1024


def read_frame(stream: BinaryIO) -> bytes | None:
    head = stream.read(4)
    if len(head) < 4:
        return None
    (size,) = struct.unpack(">I", head)
    body = stream.read(size)
    return body if len(body) == size else None


def write_frame(stream: BinaryIO, body: bytes) -> None:
    stream.write(struct.pack(">I", len(body)) + body)
    stream.flush()


def _address_space() -> int:
    with open("/proc/self/statm", "rb") as statm:  # noqa: PTH123 (a procfs read, not a path)
        pages = int(statm.read().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


def _limit(memory_bytes: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    # What the child already maps (interpreter and readers, shared with the server) plus what
    # reading one file may take.
    resource.setrlimit(resource.RLIMIT_AS, (_address_space() + memory_bytes,) * 2)


def _child(header: dict[str, Any], data: bytes, answer_fd: int) -> None:
    from accord.candidates.parsing import pipeline
    from accord.candidates.parsing.errors import Failure, Reason

    _limit(int(header["memory_bytes"]), int(header["cpu_seconds"]))
    # Generators abandoned by a MemoryError report "Exception ignored" on the way out; the
    # answer already says what happened.
    sys.unraisablehook = lambda _unraisable: None
    kind = str(header["kind"])
    corrupt = {"pdf": Reason.CORRUPT_PDF, "docx": Reason.CORRUPT_DOCX}.get(kind, Reason.CRASHED)
    answer: dict[str, Any]
    try:
        parsed = pipeline.read(
            kind, data, filename=str(header.get("filename", "")), region=header.get("region")
        )
        answer = {"ok": True, "resume": parsed.to_dict()}
    except Failure as failure:
        answer = {"ok": False, "reason": failure.reason.value, "params": failure.params}
    except MemoryError:
        answer = {"ok": False, "reason": Reason.MEMORY.value, "params": {}}
    except Exception as error:
        # A library's error (or ours) on a hostile file means the file is unreadable; the
        # error's type goes back for the caller's log.
        exception = f"{type(error).__name__}: {str(error)[:200]}"
        answer = {"ok": False, "reason": corrupt.value, "params": {"exception": exception}}
    body = json.dumps(answer, ensure_ascii=False).encode()
    with os.fdopen(answer_fd, "wb") as out:
        out.write(body)


def _collect(answer_fd: int, pid: int, timeout: float) -> tuple[bytes, bool]:
    """The child's answer (until it closes the pipe), and whether time ran out first."""
    chunks: list[bytes] = []
    size = 0
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            os.kill(pid, signal.SIGKILL)
            return b"", True
        ready, _, _ = select.select([answer_fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(answer_fd, 65536)
        if not chunk:
            return b"".join(chunks), False
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            os.kill(pid, signal.SIGKILL)
            return b"", False
        chunks.append(chunk)


def serve(requests: BinaryIO, replies: BinaryIO) -> None:
    while True:
        raw_header = read_frame(requests)
        data = read_frame(requests) if raw_header is not None else None
        if raw_header is None or data is None:
            return  # the caller went away
        header = json.loads(raw_header)
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the server loop
            code = 0
            try:
                os.close(reader)
                # Nothing the child or a library prints may reach the server's pipes.
                os.close(requests.fileno())
                os.close(replies.fileno())
                _child(header, data, writer)
            except BaseException:  # the child must reach os._exit whatever happens
                code = 70
            finally:
                os._exit(code)
        os.close(writer)
        answer, timed_out = _collect(reader, pid, float(header["timeout"]))
        os.close(reader)
        _, status = os.waitpid(pid, 0)
        reply = {
            "id": header.get("id"),
            "timed_out": timed_out,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "exitcode": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        }
        write_frame(replies, json.dumps(reply).encode())
        write_frame(replies, answer)


_WARM_UP = """Jane Doe
Senior Engineer
Location: Leeds, UK | jane@example.com | Phone: +44 20 7946 0958 | linkedin.com/in/jane

Summary
Engineer with 8+ years of experience.

Experience
Senior Engineer, Acme Ltd (Leeds, UK)   Jan 2019 – Present
• Payments in Python.
Developer
Globex Inc
03/2015 - 12/2018

Education
BSc in Computer Science, University of Leeds, 2014

Skills
Python, SQL
"""


def main() -> None:
    # Everything a child needs, imported (and phonenumbers' metadata loaded) before forking.
    import phonenumbers

    from accord.candidates.parsing import docx, pdf, pipeline  # noqa: F401 (preloaded)

    for region in ("US", "GB", "DE", "FR", "IN", "IL", None):
        list(phonenumbers.PhoneNumberMatcher("+1 650 253 0000, +44 20 7946 0958", region))
    # One resume read here fills the regular-expression cache and other lazy state, which every
    # child then inherits instead of rebuilding.
    pipeline.from_text("txt", _WARM_UP)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the caller stops us by closing stdin
    # The protocol runs on private copies of stdin and stdout; the standard descriptors are
    # pointed away (stdin at /dev/null, stdout at stderr) so that a stray print, in the server
    # or in a reader, can never corrupt a frame.
    requests = os.fdopen(os.dup(0), "rb")
    replies = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
    serve(requests, replies)


if __name__ == "__main__":
    main()
