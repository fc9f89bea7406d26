"""Client-side operations on runs, shared by the CLI and the web API: start (or attach to) a run, read its
progress, follow it, cancel it. Everything here reads Temporal; no run state lives in the client."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from temporalio.api.enums.v1 import PendingActivityState
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle
from temporalio.common import (
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RPCError, RPCStatusCode

from resume_tailor.contracts import (
    GenerateHeartbeat,
    GeneratorKind,
    JobPosting,
    RunProgress,
    StageQueues,
    TailorRequest,
    ValidationPolicy,
)
from resume_tailor.settings import Settings
from resume_tailor.store import Store
from resume_tailor.temporal import namespace
from workflows.search_attributes import initial_search_attributes, run_summary
from workflows.tailor import TailorResumeWorkflow


def job_digest(job: JobPosting) -> str:
    return hashlib.sha256(f"{job.title}\0{job.company}\0{job.text}".encode()).hexdigest()


def workflow_id_for(resume_sha256: str, job: JobPosting) -> str:
    """Same resume + same job = same workflow ID, so a double submission attaches to the open run."""
    return f"tailor-{resume_sha256[:16]}-{job_digest(job)[:16]}"


@dataclass(frozen=True)
class StartedRun:
    workflow_id: str
    run_id: str
    attached: bool  # True when an open run for the same resume and job already existed


def run_options(
    settings: Settings,
    *,
    generator: GeneratorKind | None = None,
    model: str | None = None,
    policy: ValidationPolicy | None = None,
) -> dict[str, Any]:
    """The request fields a run takes from the settings unless the caller chose: shared by runs and batches."""
    return {
        "generator": generator or settings.resolved_generator(),
        "model": model or settings.model,
        "validation_policy": policy or settings.validation_policy,
        "generator_attempts": settings.generator_attempts,
        "queues": StageQueues(model=settings.model_task_queue, cpu=settings.cpu_task_queue),
    }


async def start_run(
    client: Client,
    settings: Settings,
    store: Store,
    *,
    pdf: bytes,
    filename: str,
    job: JobPosting,
    generator: GeneratorKind | None = None,
    model: str | None = None,
    policy: ValidationPolicy | None = None,
) -> StartedRun:
    resume_sha = await asyncio.to_thread(store.put_blob, pdf)
    request = TailorRequest(
        resume_sha256=resume_sha,
        resume_filename=filename[-255:],
        job=job,
        **run_options(settings, generator=generator, model=model, policy=policy),
    )
    workflow_id = workflow_id_for(resume_sha, job)
    open_run_id = await _open_run_id(client, workflow_id)
    company = job.company or "unknown company"
    handle = await client.start_workflow(
        TailorResumeWorkflow.run,
        request,
        id=workflow_id,
        task_queue=settings.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
        search_attributes=initial_search_attributes(job, request.generator),
        static_summary=run_summary(filename, job),
        static_details=(
            f"**Job:** {job.title}  \n**Company:** {company}  \n**Resume:** {filename} (`{resume_sha[:12]}`)  \n"
            f"**Generator:** {request.generator.value}  \n**Validation policy:** {request.validation_policy.value}"
        ),
    )
    # USE_EXISTING returns the open run's ID when there is one; a run we did not start is an attachment.
    run_id = handle.result_run_id or ""
    return StartedRun(
        workflow_id=workflow_id, run_id=run_id, attached=open_run_id is not None and run_id == open_run_id
    )


async def _open_run_id(client: Client, workflow_id: str) -> str | None:
    try:
        description = await client.get_workflow_handle(workflow_id).describe()
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            return None
        raise
    return description.run_id if description.status == WorkflowExecutionStatus.RUNNING else None


async def get_progress(handle: WorkflowHandle) -> RunProgress:
    progress: RunProgress = await handle.query("progress", result_type=RunProgress)
    return progress


async def generate_heartbeat(handle: WorkflowHandle) -> GenerateHeartbeat | None:
    """The running generate activity's latest heartbeat (elapsed seconds, bytes received), if any."""
    description = await handle.describe()
    for pending in description.raw_description.pending_activities:
        if pending.activity_type.name != "generate_tailored_resume":
            continue
        if pending.state != PendingActivityState.PENDING_ACTIVITY_STATE_STARTED:
            return None
        payloads = list(pending.heartbeat_details.payloads)
        if not payloads:
            return None
        values = await pydantic_data_converter.decode(payloads, [GenerateHeartbeat])
        return values[0] if values else None
    return None


async def follow(handle: WorkflowHandle, interval: float = 0.25) -> AsyncIterator[RunProgress]:
    """Yield the progress whenever `seq` changes, until the run reaches a terminal stage."""
    last_seq = -1
    while True:
        progress = await get_progress(handle)
        if progress.seq != last_seq:
            last_seq = progress.seq
            yield progress
        if progress.is_terminal:
            return
        await asyncio.sleep(interval)


def ui_link(settings: Settings, workflow_id: str, run_id: str | None = None) -> str:
    base = f"{settings.temporal_ui_base()}/namespaces/{namespace(settings)}/workflows/{workflow_id}"
    return f"{base}/{run_id}/history" if run_id else base
