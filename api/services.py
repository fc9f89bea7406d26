"""What the JSON API and the HTML pages both do: save an upload, save a job, start, read, cancel and stream runs.
Routes translate these into responses; domain errors surface as `HTTPException`s raised here in one place."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable

from fastapi import HTTPException, UploadFile
from opentelemetry import trace
from sse_starlette import ServerSentEvent
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.service import RPCError, RPCStatusCode

from activities.extract import ExtractionError, ExtractLimits, extract_markdown
from api.deps import AppState, not_found
from api.run_stream import PollerRegistry, RunSnapshot
from resume_tailor.catalog import JobRecord, ResumeRecord, RunRecord
from resume_tailor.contracts import GeneratorKind, JobPosting, RunProgress, ValidationPolicy
from resume_tailor.runs import StartedRun, get_progress, start_run
from resume_tailor.store import sha256_hex

_tracer = trace.get_tracer("resume_tailor.api")
_SAFE_NAME = re.compile(r"[^\w .()-]+", re.UNICODE)


def display_filename(client_name: str | None) -> str:
    """A label for the upload: the last path component, stripped of anything odd. Never used as a path."""
    name = (client_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _SAFE_NAME.sub("_", name).strip(" ._") or "resume.pdf"
    return name[:120]


async def save_resume(state: AppState, upload: UploadFile) -> ResumeRecord:
    pdf = await upload.read()
    limits = ExtractLimits(max_bytes=state.settings.max_pdf_bytes, max_pages=state.settings.max_pdf_pages)
    try:
        extracted = await asyncio.to_thread(extract_markdown, pdf, limits)
    except ExtractionError as exc:
        status = 413 if exc.type == "FileTooLarge" else 422
        raise HTTPException(status_code=status, detail=exc.message) from None
    digest = await asyncio.to_thread(state.store.put_blob, pdf)
    return state.catalog.add_resume(
        filename=display_filename(upload.filename),
        sha256=digest,
        size=len(pdf),
        page_count=extracted.page_count,
        markdown=extracted.markdown,
        warnings=extracted.warnings,
    )


def save_job(state: AppState, job: JobPosting) -> JobRecord:
    return state.catalog.add_job(job)


async def start_tailoring(
    state: AppState,
    client: Client,
    *,
    resume_id: str,
    job_id: str,
    generator: GeneratorKind | None = None,
    model: str | None = None,
    policy: ValidationPolicy | None = None,
    auto_cancel_seconds: float | None = None,
) -> StartedRun:
    resume = state.catalog.get_resume(resume_id)
    if resume is None:
        raise not_found("resume", resume_id)
    job = state.catalog.get_job(job_id)
    if job is None:
        raise not_found("job", job_id)
    pdf = state.store.get_blob(resume.sha256)
    if pdf is None or sha256_hex(pdf) != resume.sha256:
        raise HTTPException(status_code=409, detail="The resume's PDF is missing from the store; upload it again.")
    # When tracing is on, the run's trace starts here and the workflow's and activities' spans hang below it.
    with _tracer.start_as_current_span("tailor resume", attributes={"resume_id": resume_id, "job_id": job_id}):
        started = await start_run(
            client,
            state.settings,
            state.store,
            pdf=pdf,
            filename=resume.filename,
            job=job.posting(),
            generator=generator,
            model=model,
            policy=policy,
        )
    state.catalog.add_run(
        RunRecord(
            workflow_id=started.workflow_id,
            run_id=started.run_id,
            resume_id=resume_id,
            job_id=job_id,
            generator=(generator or state.settings.resolved_generator()).value,
            auto_cancel_seconds=auto_cancel_seconds or state.settings.auto_cancel_seconds,
        )
    )
    return started


async def run_status(client: Client, workflow_id: str) -> WorkflowExecutionStatus:
    """The run's Temporal status; 404 when there is no such run."""
    try:
        description = await client.get_workflow_handle(workflow_id).describe()
    except RPCError as err:
        if err.status in (RPCStatusCode.NOT_FOUND, RPCStatusCode.INVALID_ARGUMENT):
            raise not_found("run", workflow_id) from None
        raise
    assert description.status is not None
    return description.status


async def read_progress(client: Client, workflow_id: str) -> RunProgress:
    await run_status(client, workflow_id)
    try:
        return await asyncio.wait_for(get_progress(client.get_workflow_handle(workflow_id)), 5)
    except (RPCError, TimeoutError):
        raise HTTPException(
            status_code=503, detail="No worker is answering for this run right now; it resumes when one is back."
        ) from None


async def cancel_run(client: Client, workflow_id: str) -> bool:
    """Request cancellation; False when the run had already finished."""
    if await run_status(client, workflow_id) != WorkflowExecutionStatus.RUNNING:
        return False
    await client.get_workflow_handle(workflow_id).cancel()
    return True


async def run_pdf(state: AppState, client: Client, workflow_id: str) -> bytes:
    progress = await read_progress(client, workflow_id)
    if progress.result is None:
        raise HTTPException(status_code=409, detail=f"The run has no PDF: it is {progress.stage.value}.")
    pdf = state.store.get_blob(progress.result.pdf_sha256)
    if pdf is None:
        raise HTTPException(status_code=404, detail="The tailored PDF is not in this store.")
    return pdf


Renderer = Callable[[RunSnapshot, str], str]


async def run_events(
    pollers: PollerRegistry, workflow_id: str, last_event_id: int | None, render: Renderer
) -> AsyncIterator[ServerSentEvent]:
    """Snapshot first (htmx's EventSource never sends Last-Event-ID), then changes, then `done` which ends it.

    Events: `progress` and `done` carry `id: <seq>`; `heartbeat` (the generator's live detail) and `unavailable`
    (no worker answers the query) carry none. A client that sends Last-Event-ID gets no progress it already has.
    """
    sent_seq = -1 if last_event_id is None else last_event_id
    sent_heartbeat = None
    was_unavailable = False
    async with pollers.subscribe(workflow_id) as queue:
        while True:
            snapshot = await queue.get()
            if snapshot.unavailable:
                was_unavailable = True
                yield ServerSentEvent(render(snapshot, "unavailable"), event="unavailable")
            if snapshot.progress is None:
                continue
            if snapshot.is_terminal:
                yield ServerSentEvent(render(snapshot, "done"), event="done", id=str(snapshot.seq))
                return
            # Back from "no worker": resend the state even if unchanged, so clients drop the notice.
            recovered = was_unavailable and not snapshot.unavailable
            if snapshot.seq > sent_seq or recovered:
                sent_seq = max(sent_seq, snapshot.seq)
                was_unavailable = False
                yield ServerSentEvent(render(snapshot, "progress"), event="progress", id=str(snapshot.seq))
            elif snapshot.heartbeat is not None and snapshot.heartbeat != sent_heartbeat:
                yield ServerSentEvent(render(snapshot, "heartbeat"), event="heartbeat")
            sent_heartbeat = snapshot.heartbeat
