"""Observability: Prometheus metrics from the SDK's runtime, and JSON log lines carrying the workflow and run IDs.

Metrics come from the Temporal SDK core (no instrumentation of our own is needed for the numbers that matter):
`temporal_activity_execution_latency` and `temporal_activity_schedule_to_start_latency` per `activity_type`
(= per stage) and `task_queue`, `temporal_activity_execution_failed`, `temporal_workflow_completed` /
`_failed` / `_canceled`, `temporal_workflow_task_schedule_to_start_latency`, `temporal_request_failure`.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

from resume_tailor.settings import Settings

_runtime: Runtime | None = None


def runtime_for(settings: Settings) -> Runtime | None:
    """The SDK runtime exporting Prometheus metrics on TAILOR_METRICS_PORT; None (the default runtime) when off.

    One runtime per process: the exporter binds its port once, and every client of the process shares it.
    """
    global _runtime
    if settings.metrics_port is None:
        return None
    if _runtime is None:
        address = f"{settings.metrics_host}:{settings.metrics_port}"
        _runtime = Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=address)))
    return _runtime


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line. Activity log records carry the SDK's `temporal_activity` extra (workflow ID,
    run ID, activity type, attempt); those fields are lifted to the top level so every line can be filtered."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        context = getattr(record, "temporal_activity", None) or getattr(record, "temporal_workflow", None)
        if isinstance(context, dict):
            for key in (
                "workflow_id",
                "workflow_run_id",
                "run_id",
                "activity_type",
                "activity_id",
                "attempt",
                "task_queue",
                "workflow_type",
            ):
                if key in context:
                    line[key] = context[key]
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if settings.log_format == "json":
        handler.setFormatter(JsonLogFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
