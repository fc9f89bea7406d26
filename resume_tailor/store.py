"""The app's own records: content-addressed blobs (resume and tailored PDFs) and recorded versions.

SQLite under the data directory by default, PostgreSQL when TAILOR_DATABASE_URL is set: workers on different
machines share no disk, so at scale everything they exchange outside Temporal goes through here. Blobs are
addressed by SHA-256 so every write is idempotent: an activity retried after a crash writes the same row again,
never a duplicate.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel

from resume_tailor.database import PostgresDatabase, SQLiteDatabase, open_database
from resume_tailor.settings import Settings

_SCHEMA = """
CREATE TABLE IF NOT EXISTS blobs (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    data {blob} NOT NULL
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
    def __init__(self, database: SQLiteDatabase | PostgresDatabase | Path) -> None:
        self.db = SQLiteDatabase(database) if isinstance(database, Path) else database
        self.db.create(_SCHEMA)
        if self.db.dialect == "sqlite":
            with self.db.connect() as conn:
                columns = {row["name"] for row in conn.execute("PRAGMA table_info(versions)")}
                if "resume_json" not in columns:  # a store created before versions kept their resume
                    conn.execute("ALTER TABLE versions ADD COLUMN resume_json TEXT")

    def put_blob(self, data: bytes) -> str:
        digest = sha256_hex(data)
        with self.db.connect() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO blobs (sha256, size, created_at, data) VALUES (?, ?, ?, ?)",
                (digest, len(data), _now(), data),
            )
        return digest

    def get_blob(self, digest: str) -> bytes | None:
        with self.db.connect() as conn:
            rows = conn.execute("SELECT data FROM blobs WHERE sha256 = ?", (digest,))
        return bytes(rows[0]["data"]) if rows else None

    def record_version(self, record: VersionRecord) -> VersionRecord:
        """Insert once; a retried attempt gets the row the first attempt wrote."""
        fields = list(VersionRecord.model_fields)
        with self.db.connect() as conn:
            conn.execute(
                f"INSERT OR IGNORE INTO versions ({', '.join(fields)}) VALUES ({', '.join('?' * len(fields))})",
                [getattr(record, f) for f in fields],
            )
        stored = self.get_version(record.version_id)
        assert stored is not None
        return stored

    def get_version(self, version_id: str) -> VersionRecord | None:
        with self.db.connect() as conn:
            rows = conn.execute("SELECT * FROM versions WHERE version_id = ?", (version_id,))
        return VersionRecord(**rows[0]) if rows else None

    def versions_for(self, workflow_id: str) -> list[VersionRecord]:
        with self.db.connect() as conn:
            rows = conn.execute("SELECT * FROM versions WHERE workflow_id = ? ORDER BY created_at", (workflow_id,))
        return [VersionRecord(**r) for r in rows]


def open_store(settings: Settings) -> Store:
    """The store the settings name: PostgreSQL when TAILOR_DATABASE_URL is set, else SQLite in the data dir."""
    return Store(open_database(settings.database_url, settings.store_path))


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
