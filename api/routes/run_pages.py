"""The run pages: start a run from a job page, watch it live, cancel it.

htmx wiring (see `_run_live.html`): the live section connects to `GET /runs/{id}/events` with the SSE extension.
Events `progress`, `heartbeat` and `done` all carry the whole panel (`_run_panel.html`, swapped into `#run-panel`):
the panel is small, and one fragment for all three keeps the page and every update identical. `unavailable`
carries a notice for `#run-notice`; the next panel clears it out of band. `sse-close="done"` closes the stream
after the terminal event, so the browser does not reopen it. Without JavaScript every form still works: the
start form redirects to the run page and the run page shows the state as of the request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Header, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sse_starlette import EventSourceResponse
from temporalio.client import Client

from api.deps import AppState, ClientDep, PollersDep, StateDep
from api.run_stream import RunSnapshot
from api.run_view import build_run_view, run_path
from api.services import Renderer, cancel_run, read_progress, run_events, run_status, start_tailoring
from api.templating import fragment, is_htmx, page, render_fragment
from resume_tailor.contracts import GeneratorKind

router = APIRouter(include_in_schema=False)


@router.post("/jobs/{job_id}/runs")
async def start_run(
    request: Request,
    state: StateDep,
    client: ClientDep,
    job_id: str,
    resume_id: Annotated[str, Form()] = "",
    generator: Annotated[str, Form()] = "",
) -> Response:
    if not resume_id:
        raise HTTPException(status_code=422, detail="Choose a resume to tailor; upload one first if there is none.")
    try:
        kind = GeneratorKind(generator) if generator else None
    except ValueError:
        raise HTTPException(status_code=422, detail=f"Unknown generator {generator!r}.") from None
    started = await start_tailoring(state, client, resume_id=resume_id, job_id=job_id, generator=kind)
    if not is_htmx(request):
        return RedirectResponse(run_path(started.workflow_id), status_code=303)
    view = build_run_view(state, RunSnapshot(workflow_id=started.workflow_id))
    return fragment("_run_live.html", view=view, attached=started.attached)


@router.get("/runs/{workflow_id}")
async def show_run(request: Request, state: StateDep, client: ClientDep, workflow_id: str) -> Response:
    view = build_run_view(state, await _snapshot(client, workflow_id))
    record = state.catalog.get_run(workflow_id)
    return page(
        request,
        "run.html",
        view=view,
        job=state.catalog.get_job(record.job_id) if record else None,
        resume=state.catalog.get_resume(record.resume_id) if record else None,
        attached=False,
    )


async def _snapshot(client: Client, workflow_id: str) -> RunSnapshot:
    """The run's state now; a run no worker answers for still gets its page (the stream catches up later)."""
    try:
        progress = await read_progress(client, workflow_id)
    except HTTPException as exc:
        if exc.status_code != 503:
            raise
        return RunSnapshot(workflow_id=workflow_id, unavailable=str(exc.detail))
    return RunSnapshot(workflow_id=workflow_id, progress=progress)


@router.get("/runs/{workflow_id}/events")
async def run_fragments(
    state: StateDep,
    client: ClientDep,
    pollers: PollersDep,
    workflow_id: str,
    last_event_id: Annotated[int | None, Header()] = None,
) -> EventSourceResponse:
    """Server-sent HTML fragments for htmx: `progress`, `heartbeat` and `done` (the panel), `unavailable`."""
    await run_status(client, workflow_id)
    stream = run_events(pollers, workflow_id, last_event_id, html_renderer(state))
    return EventSourceResponse(stream, ping=state.settings.sse_ping_seconds)


def html_renderer(state: AppState) -> Renderer:
    def render(snapshot: RunSnapshot, kind: str) -> str:
        if kind == "unavailable":
            return render_fragment("_notice.html", message=snapshot.unavailable)
        return render_fragment("_run_panel.html", view=build_run_view(state, snapshot, streamed=True))

    return render


@router.post("/runs/{workflow_id}/cancel")
async def cancel(request: Request, client: ClientDep, workflow_id: str) -> Response:
    requested = await cancel_run(client, workflow_id)
    if is_htmx(request):
        return fragment("_cancel.html", requested=requested)
    return RedirectResponse(run_path(workflow_id), status_code=303)
