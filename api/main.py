"""The web app: JSON API, htmx pages and SSE progress streams over the tailoring workflow."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.deps import AppState
from api.routes import batches, jobs, resumes, runs
from api.security import RequestGuard
from resume_tailor.settings import Settings, load_settings
from resume_tailor.telemetry import tracing_interceptors

STATIC_DIR = Path(__file__).parent / "static"
# Multipart framing around the PDF; the PDF itself is checked against TAILOR_MAX_PDF_BYTES after reading.
_MULTIPART_OVERHEAD = 64 * 1024


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    tracing_interceptors(settings)  # set the tracer provider before the first request, so every request is traced
    app = FastAPI(
        title="resume-tailor",
        description="Tailor a resume PDF to a job posting, durably, without inventing anything.",
        version="0.1.0",
    )
    app.state.tailor = AppState(settings)
    app.add_middleware(
        RequestGuard,
        allowed_hosts=settings.allowed_hosts,
        max_body_bytes=settings.max_pdf_bytes + _MULTIPART_OVERHEAD,
    )
    app.include_router(resumes.router)
    app.include_router(jobs.router)
    app.include_router(runs.router)
    app.include_router(batches.router)
    _include_pages(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app


def _include_pages(app: FastAPI) -> None:
    from api.routes import pages

    app.include_router(pages.router)
    pages.register_error_pages(app)  # HTML error pages; `/api/` keeps JSON errors; 503 when Temporal is down
