"""Client-side batch operations: tailor one resume to many jobs as a `TailorBatchWorkflow`."""

from __future__ import annotations

import asyncio
import hashlib

from temporalio.client import Client, WorkflowHandle
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy

from resume_tailor.contracts import GeneratorKind, JobPosting, ValidationPolicy
from resume_tailor.contracts.batch import BatchProgress, BatchRequest
from resume_tailor.runs import job_digest, run_options
from resume_tailor.settings import Settings
from resume_tailor.store import Store
from workflows.batch import TailorBatchWorkflow


def batch_id_for(resume_sha256: str, jobs: list[JobPosting]) -> str:
    jobs_digest = hashlib.sha256("".join(job_digest(j) for j in jobs).encode()).hexdigest()
    return f"batch-{resume_sha256[:16]}-{jobs_digest[:16]}"


async def start_batch(
    client: Client,
    settings: Settings,
    store: Store,
    *,
    pdf: bytes,
    filename: str,
    jobs: list[JobPosting],
    generator: GeneratorKind | None = None,
    policy: ValidationPolicy | None = None,
    max_parallel: int = 4,
) -> str:
    resume_sha = await asyncio.to_thread(store.put_blob, pdf)
    request = BatchRequest(
        resume_sha256=resume_sha,
        resume_filename=filename[-255:],
        jobs=jobs,
        max_parallel=max_parallel,
        **run_options(settings, generator=generator, policy=policy),
    )
    batch_id = batch_id_for(resume_sha, jobs)
    await client.start_workflow(
        TailorBatchWorkflow.run,
        request,
        id=batch_id,
        task_queue=settings.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
        static_summary=f"Tailor {filename} for {len(jobs)} jobs, {max_parallel} at a time"[:200],
    )
    return batch_id


async def get_batch_progress(handle: WorkflowHandle) -> BatchProgress:
    progress: BatchProgress = await handle.query("batch_progress", result_type=BatchProgress)
    return progress
