"""The app's database: SQLite under the data directory (embedded default) or PostgreSQL (`TAILOR_DATABASE_URL`).

Queries are written once, in SQLite's dialect with `?` placeholders and `INSERT OR IGNORE`; the PostgreSQL side
rewrites those two forms (`%s`, `ON CONFLICT DO NOTHING`). That is all the two need here, so no ORM.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

Row = dict[str, Any]


class _SQLiteConnection:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        cursor = self._db.execute(sql, tuple(params))
        if cursor.description is None:
            return []
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


class SQLiteDatabase:
    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def connect(self) -> Iterator[_SQLiteConnection]:
        db = sqlite3.connect(self.path, timeout=30)
        try:
            with db:
                yield _SQLiteConnection(db)
        finally:
            db.close()

    def create(self, schema: str) -> None:
        db = sqlite3.connect(self.path, timeout=30)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(schema.replace("{blob}", "BLOB"))
            db.commit()
        finally:
            db.close()


_IGNORE = re.compile(r"^\s*INSERT OR IGNORE INTO", re.IGNORECASE)


class _PostgresConnection:
    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        if _IGNORE.match(sql):
            sql = _IGNORE.sub("INSERT INTO", sql) + " ON CONFLICT DO NOTHING"
        with self._conn.cursor() as cursor:
            cursor.execute(sql.replace("?", "%s"), tuple(params))
            if cursor.description is None:
                return []
            names = [d.name for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


class PostgresDatabase:
    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        import psycopg  # imported here: the embedded default never needs it

        self._psycopg = psycopg
        self.url = url

    @contextmanager
    def connect(self) -> Iterator[_PostgresConnection]:
        with self._psycopg.connect(self.url) as conn:  # commits on success, rolls back on error
            yield _PostgresConnection(conn)

    def create(self, schema: str) -> None:
        with self._psycopg.connect(self.url) as conn:
            # Workers and the API may start together; the advisory lock keeps their CREATEs from racing.
            conn.execute("SELECT pg_advisory_xact_lock(727274)")
            for statement in schema.replace("{blob}", "BYTEA").replace(" REAL", " DOUBLE PRECISION").split(";"):
                if statement.strip():
                    conn.execute(statement)


def open_database(url: str | None, sqlite_path: Path) -> SQLiteDatabase | PostgresDatabase:
    if url and url.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(url)
    if url:
        raise ValueError(f"TAILOR_DATABASE_URL must be a postgresql:// URL, not {url.split(':', 1)[0]}://")
    return SQLiteDatabase(sqlite_path)
