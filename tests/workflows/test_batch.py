"""TailorBatchWorkflow: one resume, many jobs, child runs with a bounded fan-out; the batch CLI."""

from __future__ import annotations

import asyncio
from pathlib import Path

from temporalio.client import Client
from temporalio.worker import Worker

from resume_tailor.batches import get_batch_progress, start_batch
from resume_tailor.contracts import JobPosting
from resume_tailor.contracts.batch import ChildState
from resume_tailor.settings import Settings
from resume_tailor.store import Store
from tests.helpers.processes import cli_env, start_cli


def _jobs(base: JobPosting, count: int) -> list[JobPosting]:
    return [base.model_copy(update={"title": f"{base.title} #{n}"}) for n in range(count)]


async def test_batch_runs_children_at_most_n_at_a_time(
    client: Client, settings: Settings, store: Store, worker: Worker, example_pdf: bytes, example_job: JobPosting
) -> None:
    batch_id = await start_batch(
        client, settings, store, pdf=example_pdf, filename="r.pdf", jobs=_jobs(example_job, 4), max_parallel=2
    )
    handle = client.get_workflow_handle(batch_id)
    await asyncio.wait_for(handle.result(), 120)
    progress = await get_batch_progress(handle)
    assert progress.done
    assert [c.state for c in progress.children] == [ChildState.COMPLETED] * 4
    assert all(c.version_id and store.get_version(c.version_id) for c in progress.children)
    assert len({c.workflow_id for c in progress.children}) == 4

    running = peak = 0
    for event in (await handle.fetch_history()).events:
        if event.HasField("child_workflow_execution_started_event_attributes"):
            running += 1
            peak = max(peak, running)
        elif event.HasField("child_workflow_execution_completed_event_attributes"):
            running -= 1
    assert peak == 2


async def test_batch_cli(
    client: Client, settings: Settings, worker: Worker, tmp_path: Path, example_pdf: bytes, example_job: JobPosting
) -> None:
    resume = tmp_path / "resume.pdf"
    resume.write_bytes(example_pdf)
    paths = []
    for n, job in enumerate(_jobs(example_job, 2)):
        path = tmp_path / f"job{n}.md"
        path.write_text(f"---\ntitle: {job.title}\ncompany: {job.company}\n---\n{job.text}")
        paths.append(str(path))
    out_dir = tmp_path / "out"
    proc = start_cli(
        ["batch", str(resume), *paths, "--parallel", "1", "--out-dir", str(out_dir)],
        cli_env(settings, client.service_client.config.target_host),
        tmp_path / "batch.log",
    )
    code = await asyncio.to_thread(proc.wait, 120)
    log = (tmp_path / "batch.log").read_text()
    assert code == 0, log
    assert "2 of 2 tailored." in log
    pdfs = sorted(out_dir.glob("*.pdf"))
    assert len(pdfs) == 2 and all(p.read_bytes().startswith(b"%PDF-") for p in pdfs)
