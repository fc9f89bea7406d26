"""Stage times for a 1-page and a 3-page resume: extract (PDF -> markdown) and render (PDF + ATS read-back)."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from activities.extract import extract_markdown
from activities.offline_generator import generate_offline
from activities.render import render_pdf
from bench.common import example_inputs
from resume_tailor.contracts import TailoredResume


def _median_ms(fn: Any, repeat: int = 5) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 1)


def _with_pages(base: TailoredResume, pages: int) -> TailoredResume:
    """The example's own content, trimmed to one page or repeated until it fills `pages` (the stages don't care)."""
    if pages == 1:
        jobs = [job.model_copy(update={"bullets": job.bullets[:3]}) for job in base.experience[:2]]
        return base.model_copy(update={"experience": jobs, "projects": [], "extra_sections": []})
    resume = base
    while render_pdf(resume)[1].page_count < pages:
        resume = resume.model_copy(
            update={"experience": [*resume.experience, base.experience[len(resume.experience) % len(base.experience)]]}
        )
    return resume


def measure() -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-stages-"))
    pdf, job = example_inputs(workdir)
    markdown = extract_markdown(pdf).markdown
    tailored = generate_offline(markdown, job)
    results: dict[str, Any] = {}
    for pages in (1, 3):
        resume = _with_pages(tailored, pages)
        out, readback = render_pdf(resume)
        results[f"{readback.page_count} page(s)"] = {
            "render_with_readback_ms": _median_ms(lambda r=resume: render_pdf(r)),
            "extract_ms": _median_ms(lambda o=out: extract_markdown(o)),
            "pdf_bytes": len(out),
            "bullets": readback.bullets_checked,
        }
    results["example original"] = {"extract_ms": _median_ms(lambda: extract_markdown(pdf)), "pdf_bytes": len(pdf)}
    return results
