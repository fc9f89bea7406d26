"""Run a generator command line as a subprocess that can always be stopped, and never outlives its owner.

- The command runs in its own session (process group), so one `killpg` reaches everything it spawned.
- Stop = SIGTERM to the group, a short grace period, then SIGKILL to the group whether or not the leader exited
  (children that ignore SIGTERM die too), then reap. This runs on cancel, on timeout and after a normal exit.
- If the worker itself dies (`kill -9`), `setpriv --pdeathsig KILL` makes the kernel kill the command, so it stops
  spending model quota while Temporal retries elsewhere; the group id is also written to a pid file, and the next
  attempt on this machine kills whatever the dead attempt's group left behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from resume_tailor.contracts import GenerateHeartbeat

MAX_STDOUT_BYTES = 4 * 1024 * 1024
_STDERR_TAIL_BYTES = 4096
_TICK_SECONDS = 0.1
_DRAIN_AFTER_EXIT_SECONDS = 0.5


class CliTimeout(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"the command did not finish within {seconds:g} s")
        self.seconds = seconds


class CliOutputTooLarge(Exception):
    pass


@dataclass(frozen=True)
class CliResult:
    returncode: int
    stdout: bytes
    stderr_tail: bytes
    elapsed_seconds: float


def pdeathsig_prefix(signal_name: str = "KILL") -> list[str]:
    """`setpriv --pdeathsig SIG --` when util-linux's setpriv exists (Linux); it execs the command in place."""
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", signal_name, "--"] if setpriv else []


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes of a process group. A killed orphan stays a zombie until init reaps it, and
    `killpg(pgid, 0)` still succeeds on zombies, so /proc is read instead where it exists."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return []
        return [pgid]
    members: list[int] = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Fields after the parenthesised command: state ppid pgrp ...
        state, _ppid, pgrp = stat[stat.rindex(")") + 2 :].split()[:3]
        if int(pgrp) == pgid and state not in ("Z", "X"):
            members.append(int(entry.name))
    return members


def group_alive(pgid: int) -> bool:
    return bool(group_members(pgid))


def reap_leftover_group(pid_file: Path) -> int | None:
    """Kill the process group a previous (dead) attempt recorded in `pid_file`; returns that pgid if alive."""
    try:
        pgid = int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    alive = group_alive(pgid)
    if alive:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
    pid_file.unlink(missing_ok=True)
    return pgid if alive else None


async def stop_process_group(proc: asyncio.subprocess.Process, grace_seconds: float) -> None:
    """SIGTERM the group, wait up to `grace_seconds` for the leader, SIGKILL the group, reap the leader."""
    pgid = proc.pid
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGTERM)
    if proc.returncode is None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(proc.wait()), grace_seconds)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)
    await proc.wait()
    # SIGKILL is delivered asynchronously: return only once no member of the group can still run.
    deadline = time.monotonic() + 2.0
    while group_members(pgid) and time.monotonic() < deadline:  # noqa: ASYNC110 - no event to wait on
        await asyncio.sleep(0.01)


async def run_cli(
    argv: Sequence[str],
    stdin: bytes,
    *,
    timeout_seconds: float,
    grace_seconds: float = 0.5,
    on_tick: Callable[[GenerateHeartbeat], None] | None = None,
    pid_file: Path | None = None,
    env: dict[str, str] | None = None,
) -> CliResult:
    """Run `argv` with `stdin`, calling `on_tick` every 100 ms; the process group is gone when this returns."""
    if pid_file is not None:
        reap_leftover_group(pid_file)
    started = time.monotonic()
    proc = await asyncio.create_subprocess_exec(
        *pdeathsig_prefix(),
        *argv,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
        env=env,
    )
    if pid_file is not None:
        pid_file.parent.mkdir(parents=True, exist_ok=True)
        pid_file.write_text(str(proc.pid))
    stdout = bytearray()
    stderr = bytearray()
    io = asyncio.gather(
        _feed(proc, stdin), _drain(proc.stdout, stdout, MAX_STDOUT_BYTES), _drain(proc.stderr, stderr, None)
    )
    try:
        deadline = started + timeout_seconds
        # Wait for the leader, not for EOF: a child it left running may hold stdout open for ever. (On Python 3.11
        # `proc.wait()` also waits for the pipes to close, so the return code is polled instead.)
        while proc.returncode is None:
            if on_tick is not None:
                on_tick(
                    GenerateHeartbeat(
                        elapsed_seconds=round(time.monotonic() - started, 2),
                        bytes_received=len(stdout),
                        pid=proc.pid,
                    )
                )
            if len(stdout) > MAX_STDOUT_BYTES:
                raise CliOutputTooLarge(f"the command wrote more than {MAX_STDOUT_BYTES // (1024 * 1024)} MB to stdout")
            if time.monotonic() >= deadline:
                raise CliTimeout(timeout_seconds)
            await asyncio.wait([io], timeout=_TICK_SECONDS)
        await asyncio.wait([io], timeout=_DRAIN_AFTER_EXIT_SECONDS)
    finally:
        # On success this only sweeps up children the command left behind; on cancel/timeout it stops all.
        await asyncio.shield(stop_process_group(proc, grace_seconds))
        with contextlib.suppress(asyncio.CancelledError, TimeoutError, OSError):
            await asyncio.wait_for(asyncio.shield(io), 1.0)
        if pid_file is not None:
            pid_file.unlink(missing_ok=True)
    io.cancel()
    if len(stdout) > MAX_STDOUT_BYTES:
        raise CliOutputTooLarge(f"the command wrote more than {MAX_STDOUT_BYTES // (1024 * 1024)} MB to stdout")
    return CliResult(
        returncode=proc.returncode if proc.returncode is not None else -1,
        stdout=bytes(stdout),
        stderr_tail=bytes(stderr[-_STDERR_TAIL_BYTES:]),
        elapsed_seconds=time.monotonic() - started,
    )


async def _feed(proc: asyncio.subprocess.Process, data: bytes) -> None:
    assert proc.stdin is not None
    # A command that exits without reading its input is not an error here; its output decides.
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        proc.stdin.write(data)
        await proc.stdin.drain()
    proc.stdin.close()


async def _drain(stream: asyncio.StreamReader | None, sink: bytearray, limit: int | None) -> None:
    """Read to EOF. Past `limit` bytes, keep reading and discarding (so the pipe can still reach EOF and close
    once the process is killed) and report the overflow by leaving `sink` one byte over the limit."""
    assert stream is not None
    while chunk := await stream.read(65536):
        if limit is not None:
            room = limit + 1 - len(sink)
            if room > 0:
                sink.extend(chunk[:room])
            continue
        sink.extend(chunk)
        if len(sink) > 4 * _STDERR_TAIL_BYTES:
            del sink[:-_STDERR_TAIL_BYTES]
