"""Where the time goes: five trivial chained activities (each heartbeats once), isolated vs back to back.

This isolates Temporal's own per-run cost from the pipeline's work, and compares the dev server's defaults with the
dynamic config `resume-tailor up` starts it with (see `_DYNAMIC_CONFIG` in resume_tailor/devserver.py).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import timedelta
from typing import Any

from temporalio import activity, workflow
from temporalio.worker import Worker

with workflow.unsafe.imports_passed_through():
    from bench.common import dev_server, summary_ms


@activity.defn
async def trivial_step(n: int) -> int:
    activity.heartbeat()
    return n + 1


@workflow.defn
class TrivialChainWorkflow:
    @workflow.run
    async def run(self) -> int:
        value = 0
        for _ in range(5):
            value = await workflow.execute_activity(
                trivial_step,
                value,
                start_to_close_timeout=timedelta(seconds=10),
                heartbeat_timeout=timedelta(seconds=5),
            )
        return value


async def _one(env: Any, task_queue: str) -> float:
    started = time.perf_counter()
    await env.client.execute_workflow(TrivialChainWorkflow.run, id=f"chain-{uuid.uuid4().hex}", task_queue=task_queue)
    return time.perf_counter() - started


async def measure(runs: int = 15, spacing: float = 1.0) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for label, tuned in (("tuned dev server", True), ("dev-server defaults", False)):
        env = await dev_server(tuned=tuned)
        task_queue = f"chain-{uuid.uuid4().hex[:8]}"
        async with (
            env,
            Worker(env.client, task_queue=task_queue, workflows=[TrivialChainWorkflow], activities=[trivial_step]),
        ):
            for _ in range(3):
                await _one(env, task_queue)
            isolated = []
            for _ in range(runs):
                await asyncio.sleep(spacing)
                isolated.append(await _one(env, task_queue))
            back_to_back = [await _one(env, task_queue) for _ in range(runs * 2)]
        results[label] = {"isolated": summary_ms(isolated), "back_to_back": summary_ms(back_to_back)}
    return results
