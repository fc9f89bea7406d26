"""`/api/runs`: start a tailoring run, read its progress, stream it (SSE, JSON), cancel it, download its PDF."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response
from pydantic import BaseModel, Field
from sse_starlette import EventSourceResponse

from api.deps import ClientDep, PollersDep, StateDep
from api.run_stream import RunSnapshot
from api.services import cancel_run, read_progress, run_events, run_pdf, run_status, start_tailoring
from resume_tailor.catalog import RunRecord
from resume_tailor.contracts import GeneratorKind, RunProgress, ValidationPolicy
from resume_tailor.runs import ui_link

router = APIRouter(prefix="/api/runs", tags=["runs"])


class RunCreate(BaseModel):
    resume_id: str
    job_id: str
    generator: GeneratorKind | None = None
    model: str | None = Field(default=None, max_length=100)
    policy: ValidationPolicy | None = None
    auto_cancel_seconds: float | None = Field(default=None, gt=0, le=3600)


class RunStarted(BaseModel):
    workflow_id: str
    run_id: str
    attached: bool = Field(description="True when an open run for the same resume and job already existed.")
    events_url: str
    temporal_ui_url: str


class CancelResult(BaseModel):
    workflow_id: str
    cancel_requested: bool = Field(description="False when the run had already finished.")


@router.post("", status_code=201, response_model=RunStarted)
async def start(state: StateDep, client: ClientDep, body: RunCreate) -> RunStarted:
    started = await start_tailoring(
        state,
        client,
        resume_id=body.resume_id,
        job_id=body.job_id,
        generator=body.generator,
        model=body.model,
        policy=body.policy,
        auto_cancel_seconds=body.auto_cancel_seconds,
    )
    return RunStarted(
        workflow_id=started.workflow_id,
        run_id=started.run_id,
        attached=started.attached,
        events_url=f"/api/runs/{started.workflow_id}/events",
        temporal_ui_url=ui_link(state.settings, started.workflow_id, started.run_id),
    )


@router.get("", response_model=list[RunRecord])
async def list_runs(state: StateDep, job_id: str | None = None) -> list[RunRecord]:
    return state.catalog.list_runs(job_id=job_id)


class StreamStats(BaseModel):
    pollers: int = Field(description="Runs being polled: one poller per watched run, however many viewers.")
    queries: int = Field(description="Progress queries sent since the app started.")
    viewers: dict[str, int] = Field(description="Connected SSE viewers per run.")


@router.get("/stream-stats", response_model=StreamStats)
async def stream_stats(pollers: PollersDep) -> StreamStats:
    """How many pollers and viewers the SSE streams use right now: query cost scales with runs, not viewers."""
    return StreamStats.model_validate(pollers.stats())


@router.get("/{workflow_id}", response_model=RunProgress)
async def progress(client: ClientDep, workflow_id: str) -> RunProgress:
    """The run's `progress` query: stage, message, seq, per-stage status, error or result."""
    return await read_progress(client, workflow_id)


@router.post("/{workflow_id}/cancel", response_model=CancelResult, status_code=202)
async def cancel(client: ClientDep, workflow_id: str) -> CancelResult:
    return CancelResult(workflow_id=workflow_id, cancel_requested=await cancel_run(client, workflow_id))


@router.get("/{workflow_id}/pdf", response_class=Response, responses={200: {"content": {"application/pdf": {}}}})
async def pdf(state: StateDep, client: ClientDep, workflow_id: str) -> Response:
    data = await run_pdf(state, client, workflow_id)
    return Response(
        data, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{workflow_id}.pdf"'}
    )


@router.get("/{workflow_id}/events")
async def events(
    state: StateDep,
    client: ClientDep,
    pollers: PollersDep,
    workflow_id: str,
    last_event_id: Annotated[int | None, Header()] = None,
) -> EventSourceResponse:
    """Server-sent events: `progress` (id = seq), `heartbeat`, `unavailable`, then `done` with the final state."""
    await run_status(client, workflow_id)
    stream = run_events(pollers, workflow_id, last_event_id, render_json)
    return EventSourceResponse(stream, ping=state.settings.sse_ping_seconds)


def render_json(snapshot: RunSnapshot, kind: str) -> str:
    if kind == "heartbeat" and snapshot.heartbeat is not None:
        return snapshot.heartbeat.model_dump_json()
    if kind == "unavailable":
        return snapshot.model_dump_json(include={"workflow_id", "unavailable"})
    return snapshot.model_dump_json(exclude={"unavailable"})
