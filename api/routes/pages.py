"""The HTML pages: home, resume upload, jobs (with their past runs), and the error pages.

The run pages (live progress, SSE fragments, cancel) live in `run_pages.py` and are included here, so the app
includes one router. Everything a user or a model wrote is rendered by autoescaped templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.deps import AppState, StateDep, TemporalUnavailable, not_found
from api.routes import run_pages
from api.run_stream import RunSnapshot
from api.run_view import build_run_view, run_path, run_statuses
from api.services import save_job, save_resume
from api.templating import fragment, is_htmx, page
from resume_tailor.catalog import JobRecord, ResumeRecord, RunRecord
from resume_tailor.contracts import GeneratorKind, JobPosting, ValidationReport
from resume_tailor.runs import workflow_id_for
from resume_tailor.store import VersionRecord

router = APIRouter(include_in_schema=False)
router.include_router(run_pages.router)


@dataclass
class RunRow:
    """One run in a list: what it was for, its state, and its version once it completed."""

    run: RunRecord
    path: str
    status: str
    resume: ResumeRecord | None
    job: JobRecord | None
    version: VersionRecord | None = None
    report: ValidationReport | None = None


@router.get("/")
async def home(request: Request, state: StateDep) -> Response:
    runs = state.catalog.list_runs(limit=20)
    rows, notice = await _run_rows(state, runs)
    return page(
        request,
        "home.html",
        resumes=state.catalog.list_resumes(),
        jobs=state.catalog.list_jobs(),
        runs=rows,
        notice=notice,
    )


@router.get("/resumes/new")
async def new_resume(request: Request) -> Response:
    return page(request, "resume_new.html", error=None)


@router.post("/resumes")
async def upload_resume(
    request: Request, state: StateDep, file: Annotated[UploadFile | None, File()] = None
) -> Response:
    if file is None or not file.filename:
        return page(request, "resume_new.html", status_code=422, error="Choose a PDF file to upload.")
    try:
        resume = await save_resume(state, file)
    except HTTPException as exc:
        return page(request, "resume_new.html", status_code=exc.status_code, error=exc.detail)
    return RedirectResponse(f"/resumes/{quote(resume.id, safe='')}", status_code=303)


@router.get("/resumes/{resume_id}")
async def show_resume(request: Request, state: StateDep, resume_id: str) -> Response:
    resume = state.catalog.get_resume(resume_id)
    if resume is None:
        raise not_found("resume", resume_id)
    return page(request, "resume.html", resume=resume, jobs=state.catalog.list_jobs())


@router.get("/jobs/new")
async def new_job(request: Request) -> Response:
    return page(request, "job_new.html", errors=[], form={})


@router.post("/jobs")
async def create_job(
    request: Request,
    state: StateDep,
    title: Annotated[str, Form()] = "",
    company: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
) -> Response:
    form = {"title": title, "company": company, "text": text, "url": url}
    try:
        posting = JobPosting(title=title, company=company, text=text, url=url.strip() or None)
    except ValidationError as exc:
        errors = [f"{_field_label(e['loc'])}: {e['msg']}" for e in exc.errors()]
        return page(request, "job_new.html", status_code=422, errors=errors, form=form)
    job = save_job(state, posting)
    return RedirectResponse(f"/jobs/{quote(job.id, safe='')}", status_code=303)


def _field_label(loc: tuple[int | str, ...]) -> str:
    labels = {"title": "Job title", "company": "Company", "text": "Posting text", "url": "URL"}
    return labels.get(str(loc[0]), str(loc[0])) if loc else "Form"


@router.get("/jobs/{job_id}")
async def show_job(request: Request, state: StateDep, job_id: str) -> Response:
    job = state.catalog.get_job(job_id)
    if job is None:
        raise not_found("job", job_id)
    rows, notice = await _run_rows(state, state.catalog.list_runs(job_id=job.id))
    open_runs = {r.run.workflow_id for r in rows if r.status == "running"}
    resumes = [
        (resume, wid, wid in open_runs)
        for resume in state.catalog.list_resumes()
        for wid in [workflow_id_for(resume.sha256, job.posting())]
    ]
    # Preselect a resume that can start a run now, so the button is enabled when any can.
    selected = next((r.id for r, _, is_open in resumes if not is_open), resumes[0][0].id if resumes else None)
    watching = next((r for r in rows if r.status == "running"), None)
    live = build_run_view(state, RunSnapshot(workflow_id=watching.run.workflow_id)) if watching else None
    return page(
        request,
        "job.html",
        job=job,
        resumes=resumes,
        selected=selected,
        selected_open=any(is_open for r, _, is_open in resumes if r.id == selected),
        generators=list(GeneratorKind),
        default_generator=state.settings.resolved_generator(),
        runs=rows,
        live=live,
        notice=notice,
    )


@router.get("/versions/{version_id}/pdf")
async def version_pdf(state: StateDep, version_id: str) -> Response:
    """A recorded version's PDF, straight from the store: it needs neither Temporal nor a worker."""
    version = state.store.get_version(version_id)
    pdf = state.store.get_blob(version.pdf_sha256) if version else None
    if pdf is None:
        raise not_found("version", version_id)
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{version_id}.pdf"'}
    )


async def _run_rows(state: AppState, runs: list[RunRecord]) -> tuple[list[RunRow], str | None]:
    statuses, notice = await run_statuses(state, runs)
    resumes = {r.id: r for r in state.catalog.list_resumes()}
    jobs = {j.id: j for j in state.catalog.list_jobs()}
    rows = []
    for run in runs:
        row = RunRow(
            run=run,
            path=run_path(run.workflow_id),
            status=statuses.get(run.run_id, "unknown"),
            resume=resumes.get(run.resume_id),
            job=jobs.get(run.job_id),
        )
        row.version = next((v for v in state.store.versions_for(run.workflow_id) if v.run_id == run.run_id), None)
        if row.version is not None:
            try:
                row.report = ValidationReport.model_validate_json(row.version.validation_json)
            except ValidationError:
                row.report = None
        rows.append(row)
    return rows, notice


def register_error_pages(app: FastAPI) -> None:
    """HTML error pages for the HTML routes (status kept); `/api/` keeps FastAPI's JSON errors.

    Call it from `create_app` after the app's own handlers: it also answers `TemporalUnavailable` (503) for both.
    """
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(TemporalUnavailable, _temporal_unavailable)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if _is_api(request):
        return await http_exception_handler(request, exc)
    return _error_page(request, exc.status_code, str(exc.detail), dict(exc.headers or {}))


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _is_api(request):
        return await request_validation_exception_handler(request, exc)
    problems = "; ".join(f"{_field_label(tuple(e['loc'][1:]))}: {e['msg']}" for e in exc.errors())
    return _error_page(request, 422, f"The form was not filled in as expected ({problems}).")


async def _temporal_unavailable(request: Request, exc: Exception) -> Response:
    detail = f"Temporal is unreachable, so runs cannot be started or read right now ({exc})."
    if _is_api(request):
        return JSONResponse({"detail": detail}, status_code=503)
    hint = " Start it with `resume-tailor up`, or check TEMPORAL_ADDRESS. Saved resumes, jobs and PDFs stay available."
    return _error_page(request, 503, detail + hint)


_TITLES = {404: "Not found", 409: "Conflict", 413: "Too large", 422: "Cannot use that", 503: "Unavailable"}


def _error_page(request: Request, status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    title = _TITLES.get(status, "Something went wrong")
    if is_htmx(request):
        response = fragment("_error.html", status_code=status, title=title, detail=detail)
    else:
        response = page(request, "error.html", status_code=status, title=title, detail=detail, status=status)
    response.headers.update(headers or {})
    return response
