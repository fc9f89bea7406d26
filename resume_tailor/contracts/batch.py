"""A batch: one resume tailored to many jobs, each job a child run."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from resume_tailor.contracts.run import StageQueues, TailorRequest
from resume_tailor.contracts.stages import GeneratorKind, JobPosting, Sha256, ValidationPolicy

MAX_BATCH_JOBS = 50


class BatchRequest(BaseModel):
    resume_sha256: Sha256
    resume_filename: str = Field(default="resume.pdf", max_length=255)
    jobs: list[JobPosting] = Field(min_length=1, max_length=MAX_BATCH_JOBS)
    generator: GeneratorKind = GeneratorKind.OFFLINE
    model: str | None = Field(default=None, max_length=100)
    validation_policy: ValidationPolicy = ValidationPolicy.STRIP
    generator_attempts: int = Field(default=3, ge=1, le=10)
    queues: StageQueues = Field(default_factory=StageQueues)
    max_parallel: int = Field(default=4, ge=1, le=20)

    def request_for(self, job: JobPosting) -> TailorRequest:
        """The child run's request: this batch's resume and options, one of its jobs."""
        options = self.model_dump(include=set(TailorRequest.model_fields) - {"job"})
        return TailorRequest.model_validate({**options, "job": job})


class ChildState(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class BatchChild(BaseModel):
    index: int
    workflow_id: str
    job_title: str
    company: str
    state: ChildState = ChildState.PENDING
    error: str | None = None
    version_id: str | None = None


class BatchProgress(BaseModel):
    seq: int = 0
    done: bool = False
    children: list[BatchChild] = Field(default_factory=list)

    def count(self, state: ChildState) -> int:
        return sum(1 for c in self.children if c.state is state)
