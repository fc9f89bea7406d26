"""What the web app lists: uploaded resumes (with what extraction read), saved jobs, and the runs started for
them. Run *state* is not here: it lives in Temporal and is read through the `progress` query. A run row only
remembers which resume and job it was started for, so pages can list them."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from resume_tailor.contracts import JobPosting
from resume_tailor.database import PostgresDatabase, SQLiteDatabase

_SCHEMA = """
CREATE TABLE IF NOT EXISTS resumes (
    id TEXT PRIMARY KEY,
    filename TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    page_count INTEGER NOT NULL,
    markdown TEXT NOT NULL,
    warnings_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    company TEXT NOT NULL,
    text TEXT NOT NULL,
    url TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    workflow_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    resume_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    generator TEXT NOT NULL,
    auto_cancel_seconds REAL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (workflow_id, run_id)
);
CREATE INDEX IF NOT EXISTS runs_by_job ON runs (job_id, created_at);
"""


class ResumeRecord(BaseModel):
    id: str
    filename: str
    sha256: str
    size: int
    page_count: int
    markdown: str
    warnings: list[str]
    created_at: str


class JobRecord(BaseModel):
    id: str
    title: str
    company: str
    text: str
    url: str | None
    created_at: str

    def posting(self) -> JobPosting:
        return JobPosting(title=self.title, company=self.company, text=self.text, url=self.url)


class RunRecord(BaseModel):
    workflow_id: str
    run_id: str
    resume_id: str
    job_id: str
    generator: str
    auto_cancel_seconds: float | None = None
    created_at: str = ""


class Catalog:
    def __init__(self, database: SQLiteDatabase | PostgresDatabase | Path) -> None:
        self.db = SQLiteDatabase(database) if isinstance(database, Path) else database
        self.db.create(_SCHEMA)

    def add_resume(
        self, *, filename: str, sha256: str, size: int, page_count: int, markdown: str, warnings: list[str]
    ) -> ResumeRecord:
        record = ResumeRecord(
            id=_new_id(),
            filename=filename,
            sha256=sha256,
            size=size,
            page_count=page_count,
            markdown=markdown,
            warnings=warnings,
            created_at=_now(),
        )
        with self.db.connect() as conn:
            conn.execute(
                "INSERT INTO resumes (id, filename, sha256, size, page_count, markdown, warnings_json, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (record.id, filename, sha256, size, page_count, markdown, json.dumps(warnings), record.created_at),
            )
        return record

    def get_resume(self, resume_id: str) -> ResumeRecord | None:
        with self.db.connect() as conn:
            rows = conn.execute("SELECT * FROM resumes WHERE id = ?", (resume_id,))
        return _resume(rows[0]) if rows else None

    def list_resumes(self) -> list[ResumeRecord]:
        with self.db.connect() as conn:
            rows = conn.execute("SELECT * FROM resumes ORDER BY created_at DESC")
        return [_resume(r) for r in rows]

    def add_job(self, job: JobPosting) -> JobRecord:
        record = JobRecord(
            id=_new_id(), title=job.title, company=job.company, text=job.text, url=job.url, created_at=_now()
        )
        with self.db.connect() as conn:
            conn.execute(
                "INSERT INTO jobs (id, title, company, text, url, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (record.id, record.title, record.company, record.text, record.url, record.created_at),
            )
        return record

    def get_job(self, job_id: str) -> JobRecord | None:
        with self.db.connect() as conn:
            rows = conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,))
        return JobRecord(**rows[0]) if rows else None

    def list_jobs(self) -> list[JobRecord]:
        with self.db.connect() as conn:
            rows = conn.execute("SELECT * FROM jobs ORDER BY created_at DESC")
        return [JobRecord(**r) for r in rows]

    def add_run(self, run: RunRecord) -> RunRecord:
        """Idempotent: attaching to an open run records nothing new."""
        run = run.model_copy(update={"created_at": run.created_at or _now()})
        fields = list(RunRecord.model_fields)
        with self.db.connect() as conn:
            conn.execute(
                f"INSERT OR IGNORE INTO runs ({', '.join(fields)}) VALUES ({', '.join('?' * len(fields))})",
                [getattr(run, f) for f in fields],
            )
        return run

    def get_run(self, workflow_id: str) -> RunRecord | None:
        with self.db.connect() as conn:
            rows = conn.execute(
                "SELECT * FROM runs WHERE workflow_id = ? ORDER BY created_at DESC LIMIT 1", (workflow_id,)
            )
        return RunRecord(**rows[0]) if rows else None

    def list_runs(self, *, job_id: str | None = None, limit: int = 50) -> list[RunRecord]:
        query = "SELECT * FROM runs" + (" WHERE job_id = ?" if job_id else "") + " ORDER BY created_at DESC LIMIT ?"
        args: tuple[object, ...] = (job_id, limit) if job_id else (limit,)
        with self.db.connect() as conn:
            rows = conn.execute(query, args)
        return [RunRecord(**r) for r in rows]


def _resume(row: dict[str, Any]) -> ResumeRecord:
    data = dict(row)
    data["warnings"] = json.loads(data.pop("warnings_json"))
    return ResumeRecord(**data)


def _new_id() -> str:
    return uuid.uuid4().hex[:12]


def _now() -> str:
    return datetime.now(UTC).isoformat()
