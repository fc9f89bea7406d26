"""`/api/jobs`: save job postings (title, company, pasted text, optional URL) and list them."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StateDep, not_found
from api.services import save_job
from resume_tailor.catalog import JobRecord
from resume_tailor.contracts import JobPosting

router = APIRouter(prefix="/api/jobs", tags=["jobs"])


@router.post("", status_code=201, response_model=JobRecord)
async def create_job(state: StateDep, job: JobPosting) -> JobRecord:
    return save_job(state, job)


@router.get("", response_model=list[JobRecord])
async def list_jobs(state: StateDep) -> list[JobRecord]:
    return state.catalog.list_jobs()


@router.get("/{job_id}", response_model=JobRecord)
async def get_job(state: StateDep, job_id: str) -> JobRecord:
    job = state.catalog.get_job(job_id)
    if job is None:
        raise not_found("job", job_id)
    return job
