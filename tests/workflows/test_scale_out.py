"""Workers split by resource: the workflow, model and CPU queues served by separate worker processes."""

from __future__ import annotations

import asyncio
from pathlib import Path

from temporalio.client import Client

from resume_tailor.contracts import GeneratorKind, JobPosting
from resume_tailor.runs import start_run
from resume_tailor.settings import Settings
from resume_tailor.store import Store, open_store
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


async def test_workers_with_no_shared_disk(
    client: Client,
    settings: Settings,
    tmp_path: Path,
    example_pdf: bytes,
    example_job: JobPosting,
    postgres_url: str,
) -> None:
    """Each worker process has its own data directory; the PDFs travel through PostgreSQL, the rest through
    Temporal."""
    split = settings.model_copy(
        update={
            "model_task_queue": f"{settings.task_queue}-model",
            "cpu_task_queue": f"{settings.task_queue}-cpu",
            "database_url": postgres_url,
            "data_dir": tmp_path / "client-data",
        }
    )
    address = client.service_client.config.target_host
    workers = []
    for role in ("workflow", "model", "cpu"):
        env = cli_env(
            split,
            address,
            TAILOR_MODEL_TASK_QUEUE=str(split.model_task_queue),
            TAILOR_CPU_TASK_QUEUE=str(split.cpu_task_queue),
            TAILOR_DATABASE_URL=postgres_url,
            TAILOR_DATA_DIR=str(tmp_path / f"{role}-data"),
        )
        workers.append(start_cli(["worker", "--role", role], env, tmp_path / f"{role}.log"))
    try:
        store = open_store(split)
        started = await start_run(client, split, store, pdf=example_pdf, filename="r.pdf", job=example_job)
        handle = client.get_workflow_handle_for(TailorResumeWorkflow.run, started.workflow_id)
        summary = await asyncio.wait_for(handle.result(), 90)
        pdf = store.get_blob(summary.pdf_sha256)  # rendered on the CPU worker, read here from PostgreSQL
        assert pdf is not None and pdf.startswith(b"%PDF-")
        assert store.get_version(summary.version_id) is not None
        assert not (tmp_path / "client-data" / "tailor.sqlite3").exists()
        assert not list((tmp_path / "cpu-data").glob("*.sqlite3"))
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(10)
