"""Real processes for the restart tests: an embedded Temporal server on free ports and `resume-tailor` commands."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from resume_tailor.devserver import EmbeddedServer
from resume_tailor.settings import Settings
from tests.helpers.executables import PROJECT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def dev_server(settings: Settings, port: int, db_file: Path) -> EmbeddedServer:
    return EmbeddedServer(settings, port=port, db_file=db_file, headless=True, log_file=db_file.with_suffix(".log"))


def kill9_group(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def cli_env(settings: Settings, address: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TEMPORAL_ADDRESS=address,
        TAILOR_DATA_DIR=str(settings.data_path),
        TAILOR_TASK_QUEUE=settings.task_queue,
        TAILOR_CLAUDE_BIN=settings.claude_bin,
        TAILOR_KILL_GRACE_SECONDS=str(settings.kill_grace_seconds),
        PYTHONPATH=str(PROJECT),
    )
    env.update(extra)
    return env


def start_cli(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`resume-tailor ARGS` in its own process group, output to `log`."""
    with log.open("wb") as out:  # the child keeps its own descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "resume_tailor.cli", *args],
            env=env,
            cwd=PROJECT,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def alive(pid: int) -> bool:
    """True while `pid` can still run: a killed process stays a zombie until reaped, and that counts as gone."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


async def wait_for_pids(pidfile: Path, count: int = 2, seconds: float = 20.0) -> list[int]:
    """The pids the fake CLI writes once it and its child run."""
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        if pidfile.exists() and len(pidfile.read_text().split()) == count:
            return [int(p) for p in pidfile.read_text().split()]
        await asyncio.sleep(0.05)
    raise AssertionError("the fake CLI never started")
