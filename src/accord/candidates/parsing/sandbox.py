"""Reading untrusted files in separate processes with time, memory and CPU limits.

A long-lived reader server (server.py) is started once per process, with a minimal environment,
and imports the readers; for each file it forks a fresh child, so a child starts in
milliseconds, inherits nothing of the caller's (database connections, threads, settings), and
takes nothing of one file into the next. The child caps its own address space (RLIMIT_AS) and
CPU time (RLIMIT_CPU) before it looks at the bytes; the server kills it when the wall-clock
time is up. Answers are JSON, never pickle, so even a child subverted by a malicious file
cannot run code in the caller.

One file is read at a time per calling process (a lock guards the server's pipes).
"""

import atexit
import json
import math
import os
import select
import signal
import subprocess
import sys
import threading
import time
import uuid
from typing import IO, Any, Final

from accord.candidates.parsing.errors import Failure, Reason
from accord.candidates.parsing.server import MAX_ANSWER_BYTES

# Beyond the child's own timeout, how long the server may take to reply before it is presumed
# stuck and replaced.
_SERVER_GRACE_SECONDS: Final = 10.0


class _Server:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.process: subprocess.Popen[bytes] | None = None
        self.owner = 0  # the pid that started it: a forked copy of the caller needs its own

    def ensure(self) -> subprocess.Popen[bytes]:
        if self.process is not None and self.owner != os.getpid():
            self.process = None  # the parent's server; leave it to the parent
        if self.process is None or self.process.poll() is not None:
            self.owner = os.getpid()
            environment = {
                "PATH": os.defpath,
                "LC_ALL": "C.UTF-8",
                "PYTHONPATH": os.pathsep.join(path for path in sys.path if path),
            }
            self.process = subprocess.Popen(
                [sys.executable, "-s", "-B", "-m", "accord.candidates.parsing.server"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=environment,
                cwd="/",
                start_new_session=True,  # a Ctrl-C in a terminal is for the caller only
            )
        return self.process

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.stdin:
            process.stdin.close()
        try:
            process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


_SERVER: Final = _Server()
atexit.register(_SERVER.stop)


def _write_all(stream: IO[bytes], data: bytes, deadline: float) -> None:
    view = memoryview(data)
    while view:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([], [stream], [], remaining)[1]:
            raise TimeoutError
        written = os.write(stream.fileno(), view[: 1 << 16])
        view = view[written:]


def _read_exactly(stream: IO[bytes], size: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    while size:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([stream], [], [], remaining)[0]:
            raise TimeoutError
        chunk = os.read(stream.fileno(), min(size, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _read_frame(stream: IO[bytes], deadline: float, limit: int) -> bytes:
    size = int.from_bytes(_read_exactly(stream, 4, deadline), "big")
    if size > limit:
        raise EOFError
    return _read_exactly(stream, size, deadline)


def run(
    kind: str,
    data: bytes,
    *,
    filename: str = "",
    region: str | None = None,
    timeout: float,
    memory_mb: int,
) -> dict[str, Any]:
    """The reader's ParsedResume.to_dict() for `data`; Failure if it could not read it."""
    request_id = uuid.uuid4().hex
    header = {
        "id": request_id,
        "kind": kind,
        "filename": filename,
        "region": region,
        "timeout": timeout,
        "cpu_seconds": math.ceil(timeout),
        "memory_bytes": memory_mb * 1024 * 1024,
    }
    request = json.dumps(header).encode()
    with _SERVER.lock:
        server = _SERVER.ensure()
        deadline = time.monotonic() + timeout + _SERVER_GRACE_SECONDS
        try:
            if server.stdin is None or server.stdout is None:
                raise OSError("the reader server has no pipes")
            _write_all(server.stdin, len(request).to_bytes(4, "big") + request, deadline)
            _write_all(server.stdin, len(data).to_bytes(4, "big") + data, deadline)
            reply = json.loads(_read_frame(server.stdout, deadline, 4096))
            payload = _read_frame(server.stdout, deadline, MAX_ANSWER_BYTES)
            if not isinstance(reply, dict) or reply.get("id") != request_id:
                raise ValueError("the reader server answered another request")
        except (OSError, EOFError, TimeoutError, ValueError):
            # The server died or hung (it never reads a file, so this is not the file's doing,
            # but the file is not read either); the next call starts a new one.
            _SERVER.stop()
            raise Failure(Reason.CRASHED) from None
        except BaseException:
            # Interrupted mid-exchange (KeyboardInterrupt, a signal in a worker): the server's
            # reply for this file would be read as the next file's, so start afresh.
            _SERVER.stop()
            raise
    return _answer(reply, payload, timeout, memory_mb)


def _answer(
    reply: dict[str, Any], payload: bytes, timeout: float, memory_mb: int
) -> dict[str, Any]:
    seconds = math.ceil(timeout)
    if reply.get("timed_out") or reply.get("signal") == signal.SIGXCPU:
        raise Failure(Reason.TIMEOUT, seconds=seconds)
    if not payload:
        # Killed without answering: allocations failing inside C code end in SIGSEGV/SIGABRT.
        if reply.get("signal") in (signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS, signal.SIGKILL):
            raise Failure(Reason.MEMORY, megabytes=memory_mb)
        raise Failure(Reason.CRASHED)
    answer = json.loads(payload)
    if answer.get("ok") and isinstance(answer.get("resume"), dict):
        return dict(answer["resume"])
    try:
        reason = Reason(answer.get("reason"))
    except ValueError:
        reason = Reason.CRASHED
    params = answer.get("params") if isinstance(answer.get("params"), dict) else {}
    if reason is Reason.MEMORY:
        params = {**params, "megabytes": memory_mb}
    if reason is Reason.TIMEOUT:
        params = {**params, "seconds": seconds}
    raise Failure(reason, **params)
