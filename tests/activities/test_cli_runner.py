"""The subprocess runner: process groups die on cancel, timeout and normal exit; output is capped."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from activities.cli_runner import (
    CliOutputTooLarge,
    CliTimeout,
    group_members,
    reap_leftover_group,
    run_cli,
)
from resume_tailor.contracts import GenerateHeartbeat
from tests.helpers.processes import alive

# A leader that ignores SIGTERM and a child that ignores it too, both sleeping: the worst case for cleanup.
STUBBORN = (
    "import signal, subprocess, sys, time\n"
    "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    "subprocess.Popen([sys.executable, '-c', "
    "'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)'])\n"
    "print('started', flush=True)\n"
    "time.sleep(600)\n"
)


async def test_returns_output_exit_code_and_stderr_tail() -> None:
    result = await run_cli(
        [
            sys.executable,
            "-c",
            "import sys; d = sys.stdin.read(); print(d.upper()); print('warn', file=sys.stderr); sys.exit(3)",
        ],
        b"hello",
        timeout_seconds=10,
    )
    assert result.returncode == 3
    assert result.stdout.strip() == b"HELLO"
    assert result.stderr_tail.strip() == b"warn"


async def test_heartbeat_ticks_report_bytes_received() -> None:
    ticks: list[GenerateHeartbeat] = []
    script = (
        "import time, sys\nfor i in range(5):\n    sys.stdout.write('x' * 1000); sys.stdout.flush(); time.sleep(0.1)\n"
    )
    await run_cli([sys.executable, "-c", script], b"", timeout_seconds=10, on_tick=ticks.append)
    assert len(ticks) >= 3
    assert ticks[-1].bytes_received > ticks[0].bytes_received
    assert all(t.pid is not None for t in ticks)


async def test_cancel_kills_whole_group_even_when_sigterm_is_ignored() -> None:
    ticks: list[GenerateHeartbeat] = []
    task = asyncio.create_task(
        run_cli([sys.executable, "-c", STUBBORN], b"", timeout_seconds=60, grace_seconds=0.2, on_tick=ticks.append)
    )
    while not ticks or ticks[-1].bytes_received == 0:
        await asyncio.sleep(0.05)
    pgid = ticks[-1].pid
    assert pgid is not None
    members = group_members(pgid)
    assert len(members) == 2, members  # the leader and its child
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert group_members(pgid) == []
    assert not any(alive(pid) for pid in members)


async def test_timeout_kills_group_and_raises() -> None:
    ticks: list[GenerateHeartbeat] = []
    with pytest.raises(CliTimeout):
        await run_cli(
            [sys.executable, "-c", STUBBORN], b"", timeout_seconds=1.0, grace_seconds=0.2, on_tick=ticks.append
        )
    pgid = ticks[-1].pid
    assert pgid is not None and group_members(pgid) == []


async def test_children_left_behind_after_normal_exit_are_killed() -> None:
    script = (
        "import subprocess, sys\n"
        "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
        "print(p.pid)\n"
    )
    result = await run_cli([sys.executable, "-c", script], b"", timeout_seconds=10, grace_seconds=0.2)
    orphan = int(result.stdout)
    assert not alive(orphan)


async def test_output_cap() -> None:
    script = "import sys\nwhile True: sys.stdout.write('x' * 65536)\n"
    with pytest.raises(CliOutputTooLarge):
        await run_cli([sys.executable, "-c", script], b"", timeout_seconds=30)


async def test_next_attempt_reaps_group_left_by_a_dead_attempt(tmp_path: Path) -> None:
    """Regression guard: a worker killed with -9 leaves its CLI's pid file; the retry must kill that group."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import time; time.sleep(600)", start_new_session=True
    )
    pid_file = tmp_path / "gen.pgid"
    pid_file.write_text(str(proc.pid))
    assert reap_leftover_group(pid_file) == proc.pid
    await asyncio.wait_for(proc.wait(), 5)
    assert not pid_file.exists()


async def test_command_dies_with_its_parent(tmp_path: Path) -> None:
    """setpriv --pdeathsig: when the process that started the CLI dies, the kernel kills the CLI."""
    pid_out = tmp_path / "pid"
    child = f"import os, time; open({str(pid_out)!r}, 'w').write(str(os.getpid())); time.sleep(600)"
    parent = (
        "import asyncio, sys\n"
        "from activities.cli_runner import run_cli\n"
        f"asyncio.run(run_cli([sys.executable, '-c', {child!r}], b'', timeout_seconds=600))\n"
    )
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", parent, cwd=Path(__file__).parents[2])
    for _ in range(100):
        if pid_out.exists() and pid_out.read_text():
            break
        await asyncio.sleep(0.05)
    cli_pid = int(pid_out.read_text())
    assert alive(cli_pid)
    proc.kill()  # SIGKILL: no cleanup code runs in the parent
    await proc.wait()
    for _ in range(50):
        if not alive(cli_pid):
            break
        await asyncio.sleep(0.05)
    assert not alive(cli_pid)
