"""Inputs and outputs of the pipeline's activities.

Everything here crosses Temporal (workflow history), so every field is bounded. Large binaries do not: the resume
PDF and the rendered PDF live in the app's store, addressed by their SHA-256, and only the digest travels.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from resume_tailor.contracts.resume import TailoredResume

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]

# Extracted resume text is capped so the history stays far below Temporal's 2 MB payload limit.
MAX_RESUME_TEXT_CHARS = 200_000
MAX_POSTING_CHARS = 50_000


class GeneratorKind(StrEnum):
    CLAUDE = "claude"
    COMMAND = "command"
    OFFLINE = "offline"


class ValidationPolicy(StrEnum):
    STRIP = "strip"
    REJECT = "reject"
    WARN = "warn"


class JobPosting(BaseModel):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    company: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    text: Annotated[str, StringConstraints(min_length=1, max_length=MAX_POSTING_CHARS)]
    url: Annotated[str, StringConstraints(max_length=2000)] | None = None


class ExtractInput(BaseModel):
    resume_sha256: Sha256


class ExtractResult(BaseModel):
    markdown: Annotated[str, StringConstraints(max_length=MAX_RESUME_TEXT_CHARS)]
    page_count: int
    char_count: int
    warnings: list[str] = Field(default_factory=list, max_length=20)
    attempt: int = 1


class GenerateInput(BaseModel):
    resume_markdown: Annotated[str, StringConstraints(max_length=MAX_RESUME_TEXT_CHARS)]
    job: JobPosting
    generator: GeneratorKind
    model: str | None = None


class GenerateResult(BaseModel):
    resume: TailoredResume
    generator: GeneratorKind
    model: str | None = None
    elapsed_seconds: float = 0.0
    attempt: int = 1


class GenerateHeartbeat(BaseModel):
    """Heartbeat details of the generate activity, readable by clients through `describe()`."""

    elapsed_seconds: float = 0.0
    bytes_received: int = 0
    pid: int | None = None


class ClaimKind(StrEnum):
    NAME = "name"
    EMPLOYER = "employer"
    TITLE = "title"
    HEADLINE = "headline"
    DATE = "date"
    DEGREE = "degree"
    INSTITUTION = "institution"
    CERTIFICATION = "certification"
    NUMBER = "number"
    SKILL = "skill"
    LINK = "link"
    CONTACT = "contact"
    TERM = "term"


class UnsupportedClaim(BaseModel):
    kind: ClaimKind
    value: str
    location: str  # a JSON-path-like pointer, e.g. "experience[1].bullets[2]"
    action: str = "reported"  # "removed", "reported" or "rejected"


class KeywordCoverage(BaseModel):
    posting_terms: list[str] = Field(default_factory=list)
    covered_by_original: list[str] = Field(default_factory=list)
    missing_from_original: list[str] = Field(default_factory=list)
    surfaced_in_tailored: list[str] = Field(default_factory=list)


class ValidationReport(BaseModel):
    policy: ValidationPolicy
    passed: bool
    unsupported: list[UnsupportedClaim] = Field(default_factory=list, max_length=500)
    checked_claims: int = 0
    coverage: KeywordCoverage = Field(default_factory=KeywordCoverage)


class ValidateInput(BaseModel):
    original_markdown: Annotated[str, StringConstraints(max_length=MAX_RESUME_TEXT_CHARS)]
    resume: TailoredResume
    job: JobPosting
    policy: ValidationPolicy = ValidationPolicy.STRIP


class ValidateResult(BaseModel):
    report: ValidationReport
    resume: TailoredResume  # what goes on to render: stripped under the `strip` policy
    attempt: int = 1


class RenderInput(BaseModel):
    resume: TailoredResume


class RenderResult(BaseModel):
    pdf_sha256: Sha256
    pdf_bytes: int
    page_count: int
    bullets_checked: int
    attempt: int = 1


class RecordInput(BaseModel):
    workflow_id: str
    run_id: str
    job: JobPosting
    resume_sha256: Sha256
    generate: GenerateResult
    validation: ValidationReport
    render: RenderResult
    # What was rendered (after validation); kept with the version so the web app can show a diff.
    resume: TailoredResume | None = None


class RecordResult(BaseModel):
    version_id: str
    pdf_path: str
    attempt: int = 1
