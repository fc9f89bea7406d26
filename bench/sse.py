"""SSE benchmarks against a real uvicorn process, the dev server and an in-process worker.

- latency: a stage change (the workflow's own `started_at`, stamped at its workflow task) -> the `progress` event
  for it arriving at an SSE client; every stage of 5 runs with a slow fake CLI.
- fan-out: 200 concurrent viewers over 10 runs (20 each) vs 10 viewers (1 each): progress queries per second seen
  by the app (its /api/runs/stream-stats counter) and the app's resident memory.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from httpx_sse import aconnect_sse

from bench.common import dev_server, example_inputs, summary_ms
from resume_tailor.settings import Settings
from resume_tailor.worker import build_worker
from tests.api.conftest import ApiServer
from tests.helpers.executables import install_fake_claude
from tests.helpers.processes import cli_env, free_port


async def _start_runs(http: httpx.AsyncClient, pdf: bytes, count: int, job_text: str) -> list[str]:
    resume = (await http.post("/api/resumes", files={"file": ("r.pdf", pdf, "application/pdf")})).json()
    ids = []
    for n in range(count):
        job = (
            await http.post(
                "/api/jobs",
                json={"title": f"Bench role {n} {uuid.uuid4().hex[:6]}", "company": "Bench", "text": job_text},
            )
        ).json()
        run = (
            await http.post("/api/runs", json={"resume_id": resume["id"], "job_id": job["id"], "generator": "claude"})
        ).json()
        ids.append(run["workflow_id"])
    return ids


async def _latencies(http: httpx.AsyncClient, workflow_id: str) -> list[float]:
    out = []
    async with aconnect_sse(http, "GET", f"/api/runs/{workflow_id}/events") as source:
        first = True
        async for event in source.aiter_sse():
            now = datetime.now(UTC)
            if event.event not in ("progress", "done"):
                continue
            progress = json.loads(event.data)["progress"]
            if not first:  # the first event is the snapshot on connect, not a change
                running = [s for s in progress["stages"] if s["state"] == "running"]
                if running:
                    started = datetime.fromisoformat(running[0]["started_at"])
                    out.append((now - started).total_seconds())
            first = False
            if event.event == "done":
                return out
    return out


async def _viewer(http: httpx.AsyncClient, workflow_id: str, stop: asyncio.Event) -> None:
    async with aconnect_sse(http, "GET", f"/api/runs/{workflow_id}/events") as source:
        async for event in source.aiter_sse():
            if event.event == "done" or stop.is_set():
                return


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


async def _fanout(
    http: httpx.AsyncClient, api: ApiServer, pdf: bytes, text: str, viewers_per_run: int
) -> dict[str, Any]:
    ids = await _start_runs(http, pdf, 10, text)
    stop = asyncio.Event()
    tasks = [asyncio.create_task(_viewer(http, wid, stop)) for wid in ids for _ in range(viewers_per_run)]
    await asyncio.sleep(2)  # all connected and polling
    before = (await http.get("/api/runs/stream-stats")).json()
    t0 = time.perf_counter()
    await asyncio.sleep(5)
    after = (await http.get("/api/runs/stream-stats")).json()
    elapsed = time.perf_counter() - t0
    assert api.process is not None
    result = {
        "viewers": len(tasks),
        "runs": len(ids),
        "pollers": after["pollers"],
        "queries_per_second": round((after["queries"] - before["queries"]) / elapsed, 1),
        "api_rss_mb": _rss_mb(api.process.pid),
    }
    stop.set()
    for wid in ids:
        await http.post(f"/api/runs/{wid}/cancel")
    await asyncio.gather(*tasks, return_exceptions=True)
    return result


async def measure() -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-sse-"))
    settings = Settings(
        data_dir=workdir / "data",
        task_queue=f"bench-{uuid.uuid4().hex[:8]}",
        claude_bin=str(install_fake_claude(workdir / "bin")),
    )
    pdf, job = example_inputs(workdir)
    env = await dev_server()
    results: dict[str, Any] = {}
    async with env, build_worker(env.client, settings):
        api = ApiServer(
            cli_env(settings, env.client.service_client.config.target_host), free_port(), workdir / "api.log"
        )
        await asyncio.to_thread(api.start)
        limits = httpx.Limits(max_connections=400, max_keepalive_connections=400)
        try:
            async with httpx.AsyncClient(base_url=api.url, timeout=120, limits=limits) as http:
                os.environ["FAKE_CLAUDE_MODE"] = "slow"
                os.environ["FAKE_CLAUDE_SECONDS"] = "1"
                latencies: list[float] = []
                for _ in range(8):  # one at a time, each followed from its start
                    (wid,) = await _start_runs(http, pdf, 1, job.text)
                    latencies += await _latencies(http, wid)
                results["stage_change_to_client"] = summary_ms(latencies)
                os.environ["FAKE_CLAUDE_SECONDS"] = "60"
                results["fanout_1_viewer_per_run"] = await _fanout(http, api, pdf, job.text, 1)
                results["fanout_20_viewers_per_run"] = await _fanout(http, api, pdf, job.text, 20)
        finally:
            api.stop()
    return results
