"""The app's own records: content-addressed blobs (resume and tailored PDFs) and recorded versions.

SQLite under the data directory by default. Blobs are addressed by SHA-256 so every write is idempotent: an
activity retried after a crash writes the same row again, never a duplicate.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel

_SCHEMA = """
CREATE TABLE IF NOT EXISTS blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS versions (
    version_id TEXT PRIMARY KEY,
    workflow_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    job_title TEXT NOT NULL,
    company TEXT NOT NULL,
    resume_sha256 TEXT NOT NULL,
    generator TEXT NOT NULL,
    model TEXT,
    pdf_sha256 TEXT NOT NULL,
    pdf_path TEXT NOT NULL,
    page_count INTEGER NOT NULL,
    validation_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    resume_json TEXT
);
CREATE INDEX IF NOT EXISTS versions_by_workflow ON versions (workflow_id);
"""


class VersionRecord(BaseModel):
    version_id: str
    workflow_id: str
    run_id: str
    job_title: str
    company: str
    resume_sha256: str
    generator: str
    model: str | None
    pdf_sha256: str
    pdf_path: str
    page_count: int
    validation_json: str
    created_at: str
    resume_json: str | None = None


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(versions)")}
            if "resume_json" not in columns:  # a store created before versions kept their resume
                db.execute("ALTER TABLE versions ADD COLUMN resume_json TEXT")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30)
        try:
            with db:
                yield db
        finally:
            db.close()

    def put_blob(self, data: bytes) -> str:
        digest = sha256_hex(data)
        with self._connect() as db:
            db.execute(
                "INSERT OR IGNORE INTO blobs (sha256, size, created_at, data) VALUES (?, ?, ?, ?)",
                (digest, len(data), _now(), data),
            )
        return digest

    def get_blob(self, digest: str) -> bytes | None:
        with self._connect() as db:
            row = db.execute("SELECT data FROM blobs WHERE sha256 = ?", (digest,)).fetchone()
        return None if row is None else bytes(row[0])

    def record_version(self, record: VersionRecord) -> VersionRecord:
        """Insert once; a retried attempt gets the row the first attempt wrote."""
        fields = list(VersionRecord.model_fields)
        with self._connect() as db:
            db.execute(
                f"INSERT OR IGNORE INTO versions ({', '.join(fields)}) VALUES ({', '.join('?' * len(fields))})",
                [getattr(record, f) for f in fields],
            )
        stored = self.get_version(record.version_id)
        assert stored is not None
        return stored

    def get_version(self, version_id: str) -> VersionRecord | None:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            row = db.execute("SELECT * FROM versions WHERE version_id = ?", (version_id,)).fetchone()
        return None if row is None else VersionRecord(**dict(row))

    def versions_for(self, workflow_id: str) -> list[VersionRecord]:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            rows = db.execute(
                "SELECT * FROM versions WHERE workflow_id = ? ORDER BY created_at", (workflow_id,)
            ).fetchall()
        return [VersionRecord(**dict(r)) for r in rows]


def write_file_atomically(path: Path, data: bytes) -> None:
    """Write to a temp file in the same directory, fsync, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _now() -> str:
    return datetime.now(UTC).isoformat()
