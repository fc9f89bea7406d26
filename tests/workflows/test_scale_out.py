"""Workers split by resource: the workflow, model and CPU queues served by separate worker processes."""

from __future__ import annotations

import asyncio
from pathlib import Path

from temporalio.client import Client

from resume_tailor.contracts import GeneratorKind, JobPosting
from resume_tailor.runs import start_run
from resume_tailor.settings import Settings
from resume_tailor.store import Store
from tests.helpers.processes import cli_env, start_cli
from workflows.tailor import TailorResumeWorkflow


async def test_stages_run_on_their_own_queues_in_separate_processes(
    client: Client, settings: Settings, tmp_path: Path, example_pdf: bytes, example_job: JobPosting
) -> None:
    split = settings.model_copy(
        update={"model_task_queue": f"{settings.task_queue}-model", "cpu_task_queue": f"{settings.task_queue}-cpu"}
    )
    address = client.service_client.config.target_host
    env = cli_env(
        split,
        address,
        TAILOR_MODEL_TASK_QUEUE=str(split.model_task_queue),
        TAILOR_CPU_TASK_QUEUE=str(split.cpu_task_queue),
    )
    workers = [
        start_cli(["worker", "--role", role], env, tmp_path / f"{role}.log") for role in ("workflow", "model", "cpu")
    ]
    try:
        started = await start_run(
            client,
            split,
            Store(split.store_path),
            pdf=example_pdf,
            filename="r.pdf",
            job=example_job,
            generator=GeneratorKind.CLAUDE,
        )
        handle = client.get_workflow_handle_for(TailorResumeWorkflow.run, started.workflow_id)
        summary = await asyncio.wait_for(handle.result(), 90)
        assert summary.page_count >= 1
        history = await handle.fetch_history()
        scheduled = [
            e.activity_task_scheduled_event_attributes
            for e in history.events
            if e.HasField("activity_task_scheduled_event_attributes")
        ]
        queues = {a.activity_type.name: a.task_queue.name for a in scheduled}
        assert queues == {
            "extract_resume_text": split.cpu_task_queue,
            "generate_tailored_resume": split.model_task_queue,
            "validate_against_original": split.task_queue,
            "render_resume_pdf": split.cpu_task_queue,
            "record_version": split.task_queue,
        }
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(10)
