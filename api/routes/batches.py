"""Batches: one uploaded resume tailored to several saved jobs, a bounded number at a time.

`/api/batches` for clients; `/resumes/{id}/batches` (form) and `/batches/{id}` (page) for people. The page polls a
small fragment once a second until the batch is done: a batch changes rarely, and each child run has its own live
page for the detail.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field
from temporalio.client import Client
from temporalio.service import RPCError

from api.deps import AppState, ClientDep, StateDep, not_found
from api.services import run_status
from api.templating import fragment, page
from resume_tailor.batches import get_batch_progress, start_batch
from resume_tailor.contracts import GeneratorKind, ValidationPolicy
from resume_tailor.contracts.batch import MAX_BATCH_JOBS, BatchProgress
from resume_tailor.runs import ui_link

router = APIRouter(tags=["batches"])


class BatchCreate(BaseModel):
    resume_id: str
    job_ids: list[str] = Field(min_length=1, max_length=MAX_BATCH_JOBS)
    generator: GeneratorKind | None = None
    policy: ValidationPolicy | None = None
    max_parallel: int = Field(default=4, ge=1, le=20)


class BatchStarted(BaseModel):
    batch_id: str
    temporal_ui_url: str


async def _start(state: AppState, client: Client, body: BatchCreate) -> str:
    resume = state.catalog.get_resume(body.resume_id)
    if resume is None:
        raise not_found("resume", body.resume_id)
    jobs = []
    for job_id in dict.fromkeys(body.job_ids):
        job = state.catalog.get_job(job_id)
        if job is None:
            raise not_found("job", job_id)
        jobs.append(job.posting())
    pdf = state.store.get_blob(resume.sha256)
    if pdf is None:
        raise HTTPException(status_code=409, detail="The resume's PDF is missing from the store; upload it again.")
    return await start_batch(
        client,
        state.settings,
        state.store,
        pdf=pdf,
        filename=resume.filename,
        jobs=jobs,
        generator=body.generator,
        policy=body.policy,
        max_parallel=body.max_parallel,
    )


async def _progress(client: Client, batch_id: str) -> BatchProgress:
    await run_status(client, batch_id)  # 404 for an unknown ID
    try:
        return await get_batch_progress(client.get_workflow_handle(batch_id))
    except RPCError:
        raise HTTPException(status_code=503, detail="No worker is answering for this batch right now.") from None


@router.post("/api/batches", status_code=201, response_model=BatchStarted)
async def create_batch(state: StateDep, client: ClientDep, body: BatchCreate) -> BatchStarted:
    batch_id = await _start(state, client, body)
    return BatchStarted(batch_id=batch_id, temporal_ui_url=ui_link(state.settings, batch_id))


@router.get("/api/batches/{batch_id}", response_model=BatchProgress)
async def batch_progress(client: ClientDep, batch_id: str) -> BatchProgress:
    """Each child run's state, its workflow ID (its own run page and stream) and, when done, its version."""
    return await _progress(client, batch_id)


@router.post("/resumes/{resume_id}/batches")
async def start_batch_form(
    state: StateDep,
    client: ClientDep,
    resume_id: str,
    job_ids: Annotated[list[str], Form()],
    max_parallel: Annotated[int, Form(ge=1, le=20)] = 4,
    generator: Annotated[GeneratorKind | None, Form()] = None,
) -> Response:
    body = BatchCreate(resume_id=resume_id, job_ids=job_ids, max_parallel=max_parallel, generator=generator)
    batch_id = await _start(state, client, body)
    return RedirectResponse(f"/batches/{quote(batch_id, safe='')}", status_code=303)


@router.get("/batches/{batch_id}")
async def batch_page(request: Request, state: StateDep, client: ClientDep, batch_id: str) -> Response:
    progress = await _progress(client, batch_id)
    return page(
        request,
        "batch.html",
        batch_id=batch_id,
        progress=progress,
        ui_url=ui_link(state.settings, batch_id),
        settings=state.settings,
        ui_link=ui_link,
    )


@router.get("/batches/{batch_id}/table")
async def batch_table(state: StateDep, client: ClientDep, batch_id: str) -> Response:
    progress = await _progress(client, batch_id)
    return fragment("_batch_table.html", batch_id=batch_id, progress=progress, settings=state.settings, ui_link=ui_link)
