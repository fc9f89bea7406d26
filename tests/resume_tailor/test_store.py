"""The store and catalog behave the same on SQLite (embedded default) and PostgreSQL (TAILOR_DATABASE_URL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from resume_tailor.catalog import Catalog, RunRecord
from resume_tailor.contracts import JobPosting
from resume_tailor.database import PostgresDatabase, SQLiteDatabase, open_database
from resume_tailor.store import Store, VersionRecord, sha256_hex


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> SQLiteDatabase | PostgresDatabase:
    if request.param == "sqlite":
        return SQLiteDatabase(tmp_path / "store.sqlite3")
    return PostgresDatabase(request.getfixturevalue("postgres_url"))


def _version(version_id: str, pdf_sha: str) -> VersionRecord:
    return VersionRecord(
        version_id=version_id,
        workflow_id="wf",
        run_id=version_id,
        job_title="Engineer",
        company="Acme",
        resume_sha256="a" * 64,
        generator="offline",
        model=None,
        pdf_sha256=pdf_sha,
        pdf_path="/x.pdf",
        page_count=1,
        validation_json="{}",
        created_at="2026-01-01T00:00:00+00:00",
        resume_json='{"name": "X"}',
    )


def test_blobs_are_content_addressed_and_idempotent(database: SQLiteDatabase | PostgresDatabase) -> None:
    store = Store(database)
    data = bytes(range(256)) * 100  # binary, with NULs
    digest = store.put_blob(data)
    assert digest == sha256_hex(data)
    assert store.put_blob(data) == digest  # a retried write is a no-op
    assert store.get_blob(digest) == data
    assert store.get_blob("0" * 64) is None


def test_versions_are_recorded_once(database: SQLiteDatabase | PostgresDatabase) -> None:
    store = Store(database)
    first = store.record_version(_version("v1", "b" * 64))
    again = store.record_version(_version("v1", "c" * 64))  # a retry with other content keeps the first row
    assert again == first and again.pdf_sha256 == "b" * 64
    assert [v.version_id for v in store.versions_for("wf")] == ["v1"]
    assert store.get_version("v1") is not None and store.get_version("v2") is None


def test_catalog(database: SQLiteDatabase | PostgresDatabase) -> None:
    catalog = Catalog(database)
    resume = catalog.add_resume(
        filename="r.pdf", sha256="d" * 64, size=10, page_count=1, markdown="# R", warnings=["Very little text"]
    )
    assert catalog.get_resume(resume.id) == resume
    job = catalog.add_job(JobPosting(title="Engineer", company="Acme", text="Build things", url=None))
    assert catalog.get_job(job.id) == job and catalog.list_jobs() == [job]
    run = RunRecord(
        workflow_id="wf-1",
        run_id="r1",
        resume_id=resume.id,
        job_id=job.id,
        generator="offline",
        auto_cancel_seconds=30.0,
    )
    catalog.add_run(run)
    catalog.add_run(run)  # attaching again records nothing new
    runs = catalog.list_runs(job_id=job.id)
    assert [(r.workflow_id, r.auto_cancel_seconds) for r in runs] == [("wf-1", 30.0)]
    assert catalog.get_run("wf-1") is not None and catalog.list_runs(job_id="other") == []


def test_two_stores_on_one_postgres_database_share_everything(postgres_url: str) -> None:
    """Workers on different machines share no disk: what one writes, another reads through the database."""
    one, two = Store(PostgresDatabase(postgres_url)), Store(PostgresDatabase(postgres_url))
    digest = one.put_blob(b"%PDF-1.7 shared")
    assert two.get_blob(digest) == b"%PDF-1.7 shared"


def test_database_url_must_be_postgresql(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="postgresql://"):
        open_database("mysql://x", tmp_path / "s.db")
    assert isinstance(open_database(None, tmp_path / "s.db"), SQLiteDatabase)
