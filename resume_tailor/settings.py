"""All configuration, in one place. Nothing else in the project reads `os.environ`.

App settings use the `TAILOR_` prefix; the Temporal connection uses the SDK's own environment configuration
(`TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`, `TEMPORAL_API_KEY`, `TEMPORAL_TLS_*`, profiles), read in `temporal.py`.
"""

from __future__ import annotations

import os
import shutil
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from resume_tailor.contracts import GeneratorKind, ValidationPolicy


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TAILOR_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path(".data"), description="Store, PDFs and the embedded server's database.")
    database_url: str | None = Field(
        default=None, description="postgresql:// URL of the app's store; unset: SQLite in the data directory."
    )
    task_queue: str = Field(default="resume-tailor", description="Task queue of workflows and activities.")
    model_task_queue: str | None = Field(
        default=None, description="Task queue of the generate stage (model calls); unset: TAILOR_TASK_QUEUE."
    )
    cpu_task_queue: str | None = Field(
        default=None, description="Task queue of extract and render (CPU-bound); unset: TAILOR_TASK_QUEUE."
    )
    model_concurrency: int = Field(default=20, ge=1, description="Concurrent generate activities per worker.")
    cpu_concurrency: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        description="Concurrent extract/render activities per worker.",
    )

    generator: GeneratorKind | None = Field(
        default=None, description="claude, command or offline. Unset: claude when found, else offline."
    )
    claude_bin: str = Field(default="claude", description="The `claude` executable (name on PATH or path).")
    generator_command: str | None = Field(
        default=None, description="Command line of the `command` generator: prompt on stdin, JSON on stdout."
    )
    model: str | None = Field(default=None, description="Model name passed to the claude CLI (--model).")
    generator_timeout_seconds: float = Field(default=180.0, gt=0, description="Wall-clock limit of one call.")
    generator_attempts: int = Field(default=3, ge=1, description="Attempts when output is not valid JSON.")
    kill_grace_seconds: float = Field(default=0.5, ge=0, description="SIGTERM -> SIGKILL grace on cancel.")
    validation_policy: ValidationPolicy = Field(default=ValidationPolicy.STRIP)

    max_pdf_bytes: int = Field(default=10 * 1024 * 1024, description="Largest resume PDF accepted.")
    max_pdf_pages: int = Field(default=10, description="Most pages a resume PDF may have.")
    extract_timeout_seconds: float = Field(default=60.0, gt=0)

    api_host: str = Field(default="127.0.0.1", description="Address the web app binds to.")
    api_port: int = Field(default=8000, description="Port of the web app.")
    allowed_hosts: list[str] = Field(
        default=["127.0.0.1", "localhost"], description="Host header values the web app answers (JSON list)."
    )
    sse_poll_seconds: float = Field(default=0.1, gt=0, description="How often a run's progress is polled for SSE.")
    sse_ping_seconds: float = Field(default=15.0, gt=0, description="Keep-alive ping interval of SSE streams.")
    auto_cancel_seconds: float | None = Field(
        default=None, description="Cancel a run when no viewer has watched it this long (off by default)."
    )

    metrics_port: int | None = Field(default=None, description="Serve Prometheus metrics on this port; unset: off.")
    metrics_host: str = Field(default="127.0.0.1", description="Address of the metrics endpoint.")
    tracing: Literal["off", "otlp", "file"] = Field(
        default="off",
        description="OpenTelemetry tracing: otlp (OTEL_EXPORTER_OTLP_ENDPOINT) or file (TAILOR_TRACE_FILE).",
    )
    trace_file: Path | None = Field(default=None, description="Where `file` tracing writes spans (JSON lines).")
    service_name: str = Field(default="resume-tailor", description="OpenTelemetry service.name of this process.")
    log_format: Literal["text", "json"] = Field(default="text", description="Worker log lines: text or JSON.")
    log_level: str = Field(default="INFO", description="Log level of the worker and web app.")

    temporal_ui_port: int = Field(default=8233, description="Web UI port of the embedded dev server.")
    temporal_port: int = Field(default=7233, description="gRPC port of the embedded dev server.")
    temporal_bin: str | None = Field(default=None, description="Path of the `temporal` CLI; default: bundled.")
    ui_url: str | None = Field(default=None, description="Temporal Web UI base URL for links.")

    @cached_property
    def data_path(self) -> Path:
        path = self.data_dir.expanduser().resolve()
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def store_path(self) -> Path:
        return self.data_path / "tailor.sqlite3"

    @property
    def versions_dir(self) -> Path:
        return self.data_path / "versions"

    @property
    def temporal_db_path(self) -> Path:
        return self.data_path / "temporal.sqlite3"

    def resolved_generator(self) -> GeneratorKind:
        """The generator to use when a run names none: the configured one, else claude if found, else offline."""
        if self.generator is not None:
            return self.generator
        return GeneratorKind.CLAUDE if shutil.which(self.claude_bin) else GeneratorKind.OFFLINE

    def temporal_ui_base(self) -> str:
        return (self.ui_url or f"http://localhost:{self.temporal_ui_port}").rstrip("/")


def load_settings() -> Settings:
    return Settings()
