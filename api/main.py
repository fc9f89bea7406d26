"""The web app: JSON API, htmx pages and SSE progress streams over the tailoring workflow."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import HTTPException
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from api.deps import AppState, TemporalUnavailable
from api.routes import jobs, resumes, runs
from api.security import RequestGuard
from resume_tailor.settings import Settings, load_settings

STATIC_DIR = Path(__file__).parent / "static"
# Multipart framing around the PDF; the PDF itself is checked against TAILOR_MAX_PDF_BYTES after reading.
_MULTIPART_OVERHEAD = 64 * 1024


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
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
    _include_pages(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_exception_handler(TemporalUnavailable, _temporal_unavailable)
    return app


def _include_pages(app: FastAPI) -> None:
    try:
        from api.routes import pages
    except ImportError:  # the HTML pages are optional for the JSON API
        return
    app.include_router(pages.router)


async def _temporal_unavailable(request: Request, exc: Exception) -> Response:
    detail = f"Temporal is unreachable, so runs cannot be started or read right now ({exc})."
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": detail}, status_code=503)
    raise HTTPException(status_code=503, detail=detail)
