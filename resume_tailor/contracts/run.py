"""The workflow's input and the `progress` query's answer: what every client (CLI, web, `temporal`) reads."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from resume_tailor.contracts.stages import (
    GeneratorKind,
    JobPosting,
    KeywordCoverage,
    Sha256,
    ValidationPolicy,
)


class Stage(StrEnum):
    QUEUED = "queued"
    EXTRACTING = "extracting"
    GENERATING = "generating"
    VALIDATING = "validating"
    RENDERING = "rendering"
    RECORDING = "recording"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_terminal(self) -> bool:
        return self in (Stage.COMPLETED, Stage.FAILED, Stage.CANCELLED)


# The working stages in pipeline order; each is one activity.
PIPELINE: tuple[Stage, ...] = (
    Stage.EXTRACTING,
    Stage.GENERATING,
    Stage.VALIDATING,
    Stage.RENDERING,
    Stage.RECORDING,
)


class StageState(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class StageQueues(BaseModel):
    """Where the resource-bound stages run; None means the workflow's own task queue."""

    model: str | None = Field(default=None, max_length=200)
    cpu: str | None = Field(default=None, max_length=200)


class TailorRequest(BaseModel):
    """Input of `TailorResumeWorkflow`. The resume PDF itself is in the store, addressed by its digest."""

    resume_sha256: Sha256
    resume_filename: str = Field(default="resume.pdf", max_length=255)
    job: JobPosting
    generator: GeneratorKind = GeneratorKind.OFFLINE
    model: str | None = Field(default=None, max_length=100)
    validation_policy: ValidationPolicy = ValidationPolicy.STRIP
    generator_attempts: int = Field(default=3, ge=1, le=10)
    queues: StageQueues = Field(default_factory=StageQueues)


class StageStatus(BaseModel):
    stage: Stage
    state: StageState = StageState.PENDING
    started_at: datetime | None = None
    ended_at: datetime | None = None
    attempt: int | None = None
    detail: str | None = None


class RunError(BaseModel):
    stage: Stage | None
    type: str | None
    message: str


class RunSummary(BaseModel):
    version_id: str
    pdf_sha256: Sha256
    pdf_path: str
    page_count: int
    generator: GeneratorKind
    model: str | None = None
    validation_passed: bool
    unsupported_count: int
    removed_count: int
    coverage: KeywordCoverage
    warnings: list[str] = Field(default_factory=list)


class RunProgress(BaseModel):
    stage: Stage = Stage.QUEUED
    message: str = "Queued"
    seq: int = 0
    job_title: str = ""
    company: str = ""
    generator: GeneratorKind = GeneratorKind.OFFLINE
    stages: list[StageStatus] = Field(default_factory=list)
    error: RunError | None = None
    result: RunSummary | None = None

    @property
    def is_terminal(self) -> bool:
        return self.stage.is_terminal
