"""Cancel latency: `handle.cancel()` -> the generator's whole process group is gone.

Each run starts the workflow with the fake `claude` executable in a `hang` mode (it spawns a child and both sleep),
waits until both processes run, cancels, and polls /proc every 5 ms until no member of the group is left. Two
cases: both ignore SIGTERM (the worst case: the group dies only at SIGKILL after the grace period), and both exit
on SIGTERM (what a well-behaved CLI does).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from activities.cli_runner import group_members
from bench.common import dev_server, example_inputs, summary_ms
from resume_tailor.contracts import GeneratorKind, TailorRequest
from resume_tailor.settings import Settings
from resume_tailor.store import Store
from resume_tailor.worker import build_worker
from tests.helpers.executables import install_fake_claude
from workflows.tailor import TailorResumeWorkflow


async def _wait_for_pids(pidfile: Path) -> list[int]:
    while not (pidfile.exists() and len(pidfile.read_text().split()) == 2):
        await asyncio.sleep(0.01)
    return [int(p) for p in pidfile.read_text().split()]


async def measure(runs: int = 20, grace_seconds: float = 0.5) -> dict[str, Any]:
    return {
        "grace_seconds": grace_seconds,
        "cli_ignores_sigterm": await _measure("hang", runs, grace_seconds),
        "cli_exits_on_sigterm": await _measure("hang-polite", runs, grace_seconds),
    }


async def _measure(mode: str, runs: int, grace_seconds: float) -> dict[str, float]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-cancel-"))
    settings = Settings(
        data_dir=workdir / "data",
        task_queue=f"bench-{uuid.uuid4().hex[:8]}",
        claude_bin=str(install_fake_claude(workdir / "bin")),
        kill_grace_seconds=grace_seconds,
    )
    store = Store(settings.store_path)
    pdf, job = example_inputs(workdir)
    digest = store.put_blob(pdf)
    os.environ["FAKE_CLAUDE_MODE"] = mode
    latencies: list[float] = []
    env = await dev_server()
    async with env, build_worker(env.client, settings):
        for n in range(runs):
            pidfile = workdir / f"pids-{n}"
            os.environ["FAKE_CLAUDE_PIDFILE"] = str(pidfile)
            handle = await env.client.start_workflow(
                TailorResumeWorkflow.run,
                TailorRequest(resume_sha256=digest, job=job, generator=GeneratorKind.CLAUDE),
                id=f"bench-cancel-{uuid.uuid4().hex}",
                task_queue=settings.task_queue,
            )
            pids = await _wait_for_pids(pidfile)
            await asyncio.sleep(0.2)
            started = time.perf_counter()
            await handle.cancel()
            while group_members(pids[0]):
                await asyncio.sleep(0.005)
            latencies.append(time.perf_counter() - started)
            with contextlib.suppress(Exception):
                await handle.result()
    return summary_ms(latencies)
