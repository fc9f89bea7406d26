"""Load: N runs on M worker processes against the embedded dev server, as the number of workers grows.

Half the runs use the offline generator, half the fake `claude` with a fixed delay (a model call that waits on
the network). Stages run on split queues (workflow, model, CPU), so schedule-to-start shows which role is short of
workers. Each worker process runs every role (`resume-tailor worker --role all`) with `TAILOR_CPU_CONCURRENCY=1`.
Reported per M: runs/minute, p50/p95 run latency, p50/p95 schedule-to-start per queue.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from temporalio.client import Client

from bench.common import dev_server, example_inputs, percentile
from resume_tailor.contracts import GeneratorKind
from resume_tailor.runs import start_run
from resume_tailor.settings import Settings
from resume_tailor.store import Store
from tests.helpers.executables import install_fake_claude
from tests.helpers.processes import cli_env, start_cli

MODEL_DELAY_SECONDS = 2.0


async def _queue_waits(client: Client, workflow_id: str) -> dict[str, list[float]]:
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    scheduled: dict[int, tuple[str, float]] = {}
    waits: dict[str, list[float]] = defaultdict(list)
    for event in history.events:
        when = event.event_time.ToDatetime().timestamp()
        if event.HasField("activity_task_scheduled_event_attributes"):
            scheduled[event.event_id] = (event.activity_task_scheduled_event_attributes.task_queue.name, when)
        elif event.HasField("activity_task_started_event_attributes"):
            queue, at = scheduled[event.activity_task_started_event_attributes.scheduled_event_id]
            waits[queue].append(when - at)
    return waits


async def _round(
    client: Client, settings: Settings, address: str, workers: int, runs: int, pdf: bytes, job: Any, workdir: Path
) -> dict[str, Any]:
    env = cli_env(
        settings,
        address,
        TAILOR_MODEL_TASK_QUEUE=str(settings.model_task_queue),
        TAILOR_CPU_TASK_QUEUE=str(settings.cpu_task_queue),
        TAILOR_CPU_CONCURRENCY="1",
        FAKE_CLAUDE_MODE="slow",
        FAKE_CLAUDE_SECONDS=str(MODEL_DELAY_SECONDS),
    )
    procs = [start_cli(["worker"], env, workdir / f"worker-{workers}-{n}.log") for n in range(workers)]
    try:
        await asyncio.sleep(3)  # workers connected and polling
        store = Store(settings.store_path)
        started_at = time.perf_counter()

        async def one(n: int) -> tuple[float, str]:
            posting = job.model_copy(update={"title": f"{job.title} load {uuid.uuid4().hex[:8]}"})
            generator = GeneratorKind.OFFLINE if n % 2 else GeneratorKind.CLAUDE
            t0 = time.perf_counter()
            run = await start_run(client, settings, store, pdf=pdf, filename="r.pdf", job=posting, generator=generator)
            await client.get_workflow_handle(run.workflow_id).result()
            return time.perf_counter() - t0, run.workflow_id

        results = await asyncio.gather(*(one(n) for n in range(runs)))
        elapsed = time.perf_counter() - started_at
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(15)
    waits: dict[str, list[float]] = defaultdict(list)
    for _, wid in results:
        for queue, values in (await _queue_waits(client, wid)).items():
            waits[queue].extend(values)
    latencies = [r[0] for r in results]
    role = {settings.task_queue: "workflow", settings.model_task_queue: "model", settings.cpu_task_queue: "cpu"}
    return {
        "workers": workers,
        "runs": runs,
        "runs_per_minute": round(runs / elapsed * 60, 1),
        "latency_p50_s": round(statistics.median(latencies), 2),
        "latency_p95_s": round(percentile(latencies, 95), 2),
        "schedule_to_start_ms": {
            role.get(q, q): {"p50": round(statistics.median(v) * 1000), "p95": round(percentile(v, 95) * 1000)}
            for q, v in waits.items()
        },
    }


async def measure(runs: int = 24, worker_counts: tuple[int, ...] = (1, 2, 4)) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    queue = f"load-{uuid.uuid4().hex[:6]}"
    settings = Settings(
        data_dir=workdir / "data",
        task_queue=queue,
        model_task_queue=f"{queue}-model",
        cpu_task_queue=f"{queue}-cpu",
        claude_bin=str(install_fake_claude(workdir / "bin")),
    )
    pdf, job = example_inputs(workdir)
    env = await dev_server()
    async with env:
        address = env.client.service_client.config.target_host
        rounds = [await _round(env.client, settings, address, m, runs, pdf, job, workdir) for m in worker_counts]
    return {"model_delay_seconds": MODEL_DELAY_SECONDS, "rounds": rounds}
