"""What the web app lists: uploaded resumes (with what extraction read), saved jobs, and the runs started for
them. Run *state* is not here: it lives in Temporal and is read through the `progress` query. A run row only
remembers which resume and job it was started for, so pages can list them."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel

from resume_tailor.contracts import JobPosting

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
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30)
        db.row_factory = sqlite3.Row
        try:
            with db:
                yield db
        finally:
            db.close()

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
        with self._connect() as db:
            db.execute(
                "INSERT INTO resumes VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (record.id, filename, sha256, size, page_count, markdown, json.dumps(warnings), record.created_at),
            )
        return record

    def get_resume(self, resume_id: str) -> ResumeRecord | None:
        with self._connect() as db:
            row = db.execute("SELECT * FROM resumes WHERE id = ?", (resume_id,)).fetchone()
        return None if row is None else _resume(row)

    def list_resumes(self) -> list[ResumeRecord]:
        with self._connect() as db:
            rows = db.execute("SELECT * FROM resumes ORDER BY created_at DESC").fetchall()
        return [_resume(r) for r in rows]

    def add_job(self, job: JobPosting) -> JobRecord:
        record = JobRecord(
            id=_new_id(), title=job.title, company=job.company, text=job.text, url=job.url, created_at=_now()
        )
        with self._connect() as db:
            db.execute(
                "INSERT INTO jobs VALUES (?, ?, ?, ?, ?, ?)",
                (record.id, record.title, record.company, record.text, record.url, record.created_at),
            )
        return record

    def get_job(self, job_id: str) -> JobRecord | None:
        with self._connect() as db:
            row = db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return None if row is None else JobRecord(**dict(row))

    def list_jobs(self) -> list[JobRecord]:
        with self._connect() as db:
            rows = db.execute("SELECT * FROM jobs ORDER BY created_at DESC").fetchall()
        return [JobRecord(**dict(r)) for r in rows]

    def add_run(self, run: RunRecord) -> RunRecord:
        """Idempotent: attaching to an open run records nothing new."""
        run = run.model_copy(update={"created_at": run.created_at or _now()})
        fields = list(RunRecord.model_fields)
        with self._connect() as db:
            db.execute(
                f"INSERT OR IGNORE INTO runs ({', '.join(fields)}) VALUES ({', '.join('?' * len(fields))})",
                [getattr(run, f) for f in fields],
            )
        return run

    def get_run(self, workflow_id: str) -> RunRecord | None:
        with self._connect() as db:
            row = db.execute(
                "SELECT * FROM runs WHERE workflow_id = ? ORDER BY created_at DESC LIMIT 1", (workflow_id,)
            ).fetchone()
        return None if row is None else RunRecord(**dict(row))

    def list_runs(self, *, job_id: str | None = None, limit: int = 50) -> list[RunRecord]:
        query = "SELECT * FROM runs" + (" WHERE job_id = ?" if job_id else "") + " ORDER BY created_at DESC LIMIT ?"
        args: tuple[object, ...] = (job_id, limit) if job_id else (limit,)
        with self._connect() as db:
            rows = db.execute(query, args).fetchall()
        return [RunRecord(**dict(r)) for r in rows]


def _resume(row: sqlite3.Row) -> ResumeRecord:
    data = dict(row)
    data["warnings"] = json.loads(data.pop("warnings_json"))
    return ResumeRecord(**data)


def _new_id() -> str:
    return uuid.uuid4().hex[:12]


def _now() -> str:
    return datetime.now(UTC).isoformat()
