"""Observability with a real worker process: Prometheus metrics scraped over HTTP, JSON logs with run IDs."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
from temporalio.client import Client

from resume_tailor.contracts import JobPosting
from resume_tailor.runs import start_run
from resume_tailor.settings import Settings
from resume_tailor.store import Store
from tests.helpers.processes import cli_env, free_port, start_cli
from workflows.tailor import TailorResumeWorkflow

STAGES = (
    "extract_resume_text",
    "generate_tailored_resume",
    "validate_against_original",
    "render_resume_pdf",
    "record_version",
)


async def test_metrics_are_scraped_and_activity_logs_carry_run_ids(
    client: Client, settings: Settings, tmp_path: Path, example_pdf: bytes, example_job: JobPosting
) -> None:
    port = free_port()
    env = cli_env(
        settings,
        client.service_client.config.target_host,
        TAILOR_METRICS_PORT=str(port),
        TAILOR_LOG_FORMAT="json",
        TAILOR_GENERATOR="offline",
    )
    log = tmp_path / "worker.log"
    worker = start_cli(["worker"], env, log)
    try:
        started = await start_run(
            client, settings, Store(settings.store_path), pdf=example_pdf, filename="r.pdf", job=example_job
        )
        handle = client.get_workflow_handle_for(TailorResumeWorkflow.run, started.workflow_id)
        await asyncio.wait_for(handle.result(), 60)
        async with httpx.AsyncClient() as http:
            expected = [
                "temporal_workflow_completed",
                "temporal_activity_schedule_to_start_latency",
                *(f'activity_type="{stage}"' for stage in STAGES),
            ]
            for _ in range(100):  # the SDK updates what it exports on its own schedule
                metrics = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
                if all(name in metrics for name in expected):
                    break
                await asyncio.sleep(0.2)
        latency = [line for line in metrics.splitlines() if line.startswith("temporal_activity_execution_latency")]
        for stage in STAGES:
            assert any(f'activity_type="{stage}"' in line for line in latency), stage
        assert "temporal_activity_schedule_to_start_latency" in metrics
        assert "temporal_workflow_completed" in metrics
    finally:
        worker.terminate()
        worker.wait(10)
    records = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    from_activities = [r for r in records if r.get("activity_type")]
    assert {r["activity_type"] for r in from_activities} == set(STAGES)
    for record in from_activities:
        assert record["workflow_id"] == started.workflow_id
        assert record["workflow_run_id"] == started.run_id
