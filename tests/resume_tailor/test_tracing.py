"""OpenTelemetry tracing: one run is one trace across the web app, the workflow and the activities, each in its
own process (spans written by the `file` exporter)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
from temporalio.client import Client

from resume_tailor.contracts import JobPosting
from resume_tailor.settings import Settings
from tests.api.conftest import ApiServer
from tests.helpers.processes import cli_env, free_port, start_cli

STAGES = (
    "extract_resume_text",
    "generate_tailored_resume",
    "validate_against_original",
    "render_resume_pdf",
    "record_version",
)


def _spans(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


async def test_one_trace_per_run_across_processes(
    client: Client, settings: Settings, tmp_path: Path, example_pdf: bytes, example_job: JobPosting
) -> None:
    address = client.service_client.config.target_host
    api_spans, worker_spans = tmp_path / "api-spans.jsonl", tmp_path / "worker-spans.jsonl"
    worker = start_cli(
        ["worker"],
        cli_env(
            settings,
            address,
            TAILOR_TRACING="file",
            TAILOR_TRACE_FILE=str(worker_spans),
            TAILOR_SERVICE_NAME="worker",
            TAILOR_GENERATOR="offline",
        ),
        tmp_path / "worker.log",
    )
    api = ApiServer(
        cli_env(settings, address, TAILOR_TRACING="file", TAILOR_TRACE_FILE=str(api_spans), TAILOR_SERVICE_NAME="api"),
        free_port(),
        tmp_path / "api.log",
    )
    api.start()
    try:
        async with httpx.AsyncClient(base_url=api.url, timeout=60) as http:
            resume = (await http.post("/api/resumes", files={"file": ("r.pdf", example_pdf, "application/pdf")})).json()
            job = (await http.post("/api/jobs", json=example_job.model_dump())).json()
            run = (
                await http.post(
                    "/api/runs", json={"resume_id": resume["id"], "job_id": job["id"], "generator": "offline"}
                )
            ).json()
            async with asyncio.timeout(60):
                while (await http.get(f"/api/runs/{run['workflow_id']}")).json()["stage"] != "completed":
                    await asyncio.sleep(0.2)
    finally:
        api.stop()
        worker.terminate()
        worker.wait(10)

    from_api, from_worker = _spans(api_spans), _spans(worker_spans)
    root = next(s for s in from_api if s["name"] == "tailor resume")
    trace_id = root["context"]["trace_id"]  # type: ignore[index]
    names = {s["name"] for s in from_api + from_worker if s["context"]["trace_id"] == trace_id}  # type: ignore[index]
    assert "StartWorkflow:TailorResumeWorkflow" in names  # in the API process
    assert "RunWorkflow:TailorResumeWorkflow" in names  # in the worker process
    for stage in STAGES:
        assert f"RunActivity:{stage}" in names, stage
    assert {s["resource"]["attributes"]["service.name"] for s in from_worker} == {"worker"}  # type: ignore[index]
