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
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult
from temporalio.client import Interceptor
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

from resume_tailor.settings import Settings

_runtime: Runtime | None = None
_tracing: list[Interceptor] | None = None


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


def tracing_interceptors(settings: Settings) -> list[Interceptor]:
    """The SDK's OpenTelemetry interceptor when TAILOR_TRACING is on: spans for starting a workflow, running it and
    each activity, propagated through Temporal headers, so one run is one trace across the API, the workflow and
    the activities, whichever processes they run in."""
    global _tracing
    if settings.tracing == "off":
        return []
    if _tracing is None:
        from opentelemetry import trace
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
        from temporalio.contrib.opentelemetry import TracingInterceptor

        provider = TracerProvider(resource=Resource.create({"service.name": settings.service_name}))
        if settings.tracing == "otlp":
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        else:
            if settings.trace_file is None:
                raise ValueError("TAILOR_TRACING=file needs TAILOR_TRACE_FILE")
            provider.add_span_processor(SimpleSpanProcessor(JsonLinesSpanExporter(settings.trace_file)))
        trace.set_tracer_provider(provider)
        _tracing = [TracingInterceptor()]
    return _tracing


class JsonLinesSpanExporter(SpanExporter):
    """Writes each finished span as one JSON line: a trace you can read without a collector."""

    def __init__(self, path: Path) -> None:
        self._path = path
        path.parent.mkdir(parents=True, exist_ok=True)

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        with self._path.open("a") as out:
            for span in spans:
                out.write(span.to_json(indent=None) + "\n")
        return SpanExportResult.SUCCESS


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
