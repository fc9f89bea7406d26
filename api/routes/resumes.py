"""`/api/resumes`: upload a resume PDF (checked by content, extracted at once) and list uploads."""

from __future__ import annotations

from fastapi import APIRouter, UploadFile

from api.deps import StateDep, not_found
from api.services import save_resume
from resume_tailor.catalog import ResumeRecord

router = APIRouter(prefix="/api/resumes", tags=["resumes"])


@router.post("", status_code=201, response_model=ResumeRecord)
async def upload_resume(state: StateDep, file: UploadFile) -> ResumeRecord:
    """Upload a resume PDF. Returns what extraction read from it (markdown and warnings)."""
    return await save_resume(state, file)


@router.get("", response_model=list[ResumeRecord])
async def list_resumes(state: StateDep) -> list[ResumeRecord]:
    return state.catalog.list_resumes()


@router.get("/{resume_id}", response_model=ResumeRecord)
async def get_resume(state: StateDep, resume_id: str) -> ResumeRecord:
    resume = state.catalog.get_resume(resume_id)
    if resume is None:
        raise not_found("resume", resume_id)
    return resume
