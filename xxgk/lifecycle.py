"""A run's processes: ended by a signal cleanly, and none left behind when it is killed.

- `terminated_by_signals()`: SIGTERM (SIGHUP, a terminal's Ctrl-C) raise `Terminated` in the
  run, so it records "terminated by SIGTERM", removes its next version and exits non-zero.
- `supervised()`: `xxgk ingest` forks a small watchdog, a child subreaper, which runs the real
  work as its own child. Every process the run starts (Prefect's temporary server, parser
  workers, multiprocessing's resource tracker) is the watchdog's descendant, and stays one when
  its parent dies. When the command's process dies, even by kill -9 or the OOM killer, the
  watchdog learns it at once (PR_SET_PDEATHSIG) and kills them all; when the run ends, it
  kills whatever the run left running. The run has a process group of its own: a terminal's
  Ctrl-C reaches the watchdog, which passes it to the run alone, so the workers and Prefect's
  server are not interrupted under the run's feet.
- `/proc` helpers: whether a process lives, its command line, its descendants.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36

PARENT_DIED = signal.SIGUSR1
"""What the kernel sends the watchdog when the command's process dies."""

TERMINATING = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
"""Signals that end a run cleanly: the run records them as its outcome."""

RELAYED = (signal.SIGTERM, signal.SIGHUP)
"""What the command's process passes on; a terminal's Ctrl-C (SIGINT) reaches the watchdog
itself, which passes it on to the run (in a process group of its own, so the workers and
Prefect's server are not interrupted under the run's feet)."""

GRACE_SECONDS = 3.0
"""How long the run's other processes get to end on SIGTERM before SIGKILL (multiprocessing's
resource tracker ignores SIGTERM and ends by itself, removing what the workers left)."""


class Terminated(BaseException):
    """The run was asked to stop by a signal (a BaseException: no `except Exception` in the
    run swallows it)."""

    def __init__(self, signum: int):
        super().__init__(f"terminated by {signal.Signals(signum).name}")
        self.signal = signum


def outcome(e: BaseException) -> str:
    """A run's error as recorded: `terminated by SIGTERM` for a signal (ours or Prefect's own
    TerminationSignal, raised first inside a flow), else the exception's type and text."""
    signum = getattr(e, "signal", None)
    if isinstance(signum, int) and signum in set(signal.Signals):
        return f"terminated by {signal.Signals(signum).name}"
    return f"{type(e).__name__}: {e}"


@contextlib.contextmanager
def terminated_by_signals() -> Iterator[None]:
    """Inside the block, SIGTERM, SIGHUP and SIGINT raise `Terminated` once (a second signal
    while the run cleans up is ignored, so cleaning up is not cut short). Main thread only."""
    raised = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal raised
        if not raised:
            raised = True
            raise Terminated(signum)

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {s: signal.signal(s, stop) for s in TERMINATING}
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


# ---- /proc ---------------------------------------------------------------------------------


def alive(pid: int) -> bool:
    """True when process `pid` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def command_line(pid: int) -> str | None:
    """Process `pid`'s command line, or None when it is gone or not ours to read."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return " ".join(raw.decode("utf-8", "replace").replace("\0", " ").split()) or None


def _parents() -> dict[int, int]:
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                out[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return out


def descendants(pid: int) -> list[int]:
    """Every living process below `pid` in the process tree."""
    children: dict[int, list[int]] = {}
    for child, parent in _parents().items():
        children.setdefault(parent, []).append(child)
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), ()):
            out.append(child)
            todo.append(child)
    return [p for p in out if alive(p)]


# ---- the watchdog --------------------------------------------------------------------------


def _prctl(option: int, value: int) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _signal_all(pids: list[int], signum: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signum)


def _reap() -> None:
    """Collect every child that ended (the subreaper's orphans among them)."""
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def end_descendants(grace: float = GRACE_SECONDS) -> None:
    """End every process below this one: SIGTERM, up to `grace` seconds, then SIGKILL."""
    _signal_all(descendants(os.getpid()), signal.SIGTERM)
    deadline = time.monotonic() + grace
    while (left := descendants(os.getpid())) and time.monotonic() < deadline:
        _reap()
        time.sleep(0.05)
    while left := descendants(os.getpid()):
        _signal_all(left, signal.SIGKILL)
        _reap()
        time.sleep(0.05)
    _reap()


def _exit_code(status: int) -> int:
    return os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) \
        else 128 + os.WTERMSIG(status)


class _ParentDied(BaseException):
    pass


def _parent_died(signum: int, frame: FrameType | None) -> None:
    raise _ParentDied


def _relay_to(pid: int, signals: tuple[signal.Signals, ...]) -> None:
    """Pass `signals` on to process `pid` (gone already: nothing to do)."""
    def relay(signum: int, frame: FrameType | None) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)

    for s in signals:
        signal.signal(s, relay)


def _watch(command_pid: int, run_pid: int) -> int:
    """The watchdog's life: wait for the run, relaying SIGTERM, SIGHUP and SIGINT to it; when
    the command's process dies, kill the run at once; then end whatever is left. Returns the
    run's exit code."""
    _relay_to(run_pid, TERMINATING)
    code = 128 + signal.SIGKILL
    try:
        if os.getppid() != command_pid:  # died before the death signal was armed
            raise _ParentDied
        while True:
            pid, status = os.waitpid(-1, 0)
            if pid == run_pid:
                code = _exit_code(status)
                break
    except _ParentDied:
        with contextlib.suppress(ProcessLookupError):
            os.kill(run_pid, signal.SIGKILL)
    signal.signal(PARENT_DIED, signal.SIG_IGN)
    end_descendants()
    return code


def _supervise(command_pid: int) -> None:
    """In the watchdog: start the run as a child, then watch. Returns only in the run."""
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    signal.signal(PARENT_DIED, _parent_died)
    _prctl(PR_SET_PDEATHSIG, PARENT_DIED)
    watchdog = os.getpid()
    run_pid = os.fork()
    if run_pid == 0:
        _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)  # the watchdog killed: stop cleanly
        signal.signal(PARENT_DIED, signal.SIG_DFL)
        os.setpgid(0, 0)  # a terminal's signals reach the watchdog, which passes them on
        if os.getppid() != watchdog:
            os.kill(os.getpid(), signal.SIGTERM)
        return
    code = 1
    try:
        code = _watch(command_pid, run_pid)
    finally:
        os._exit(code)  # never back into the command's code


def _wait_for(watchdog: int) -> int:
    """In the command's process: relay SIGTERM/SIGHUP to the watchdog, wait, return its code."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the watchdog gets a terminal's Ctrl-C too
    _relay_to(watchdog, RELAYED)
    while True:
        pid, status = os.waitpid(watchdog, 0)
        if pid == watchdog:
            return _exit_code(status)


def can_supervise() -> bool:
    """Linux (prctl, /proc) and one thread: forking a process that runs threads is unsafe."""
    return sys.platform == "linux" and threading.active_count() == 1 \
        and Path("/proc/self/stat").exists()


def supervised() -> None:
    """Go on as the run, below a watchdog (see the module's docstring); the command's own
    process waits and exits with the run's code. Does nothing where it cannot be done."""
    if not can_supervise():
        return
    sys.stdout.flush()
    sys.stderr.flush()
    command_pid = os.getpid()
    watchdog = os.fork()
    if watchdog == 0:
        _supervise(command_pid)
        return
    os._exit(_wait_for(watchdog))
