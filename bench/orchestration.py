"""Orchestration overhead: the offline pipeline through Temporal vs the same stage functions called in-process.

Both paths run the identical activity methods on the same inputs; the Temporal path adds the workflow, five
scheduled heartbeating activities and the round trips to the dev server. Runs are measured isolated (1 s apart)
and back to back, on a dev server with its defaults and with the dynamic config `up` starts it with.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from temporalio.client import Client

from activities.extract import ExtractActivities
from activities.generate import GenerateActivities
from activities.record import RecordActivities
from activities.render import RenderActivities
from activities.validate import validate_against_original
from bench.common import dev_server, example_inputs, summary_ms
from resume_tailor.contracts import (
    ExtractInput,
    GenerateInput,
    GeneratorKind,
    JobPosting,
    RecordInput,
    RenderInput,
    TailorRequest,
    ValidateInput,
)
from resume_tailor.settings import Settings
from resume_tailor.store import Store
from resume_tailor.worker import build_worker
from workflows.tailor import TailorResumeWorkflow


async def direct_pipeline(settings: Settings, store: Store, digest: str, job: JobPosting) -> None:
    extract = await ExtractActivities(settings, store).extract_resume_text(ExtractInput(resume_sha256=digest))
    generate = await GenerateActivities(settings).generate_tailored_resume(
        GenerateInput(resume_markdown=extract.markdown, job=job, generator=GeneratorKind.OFFLINE)
    )
    validate = await validate_against_original(
        ValidateInput(original_markdown=extract.markdown, resume=generate.resume, job=job)
    )
    render = await RenderActivities(store).render_resume_pdf(RenderInput(resume=validate.resume))
    await RecordActivities(settings, store).record_version(
        RecordInput(
            workflow_id="direct",
            run_id=uuid.uuid4().hex,
            job=job,
            resume_sha256=digest,
            generate=generate,
            validation=validate.report,
            render=render,
        )
    )


async def temporal_pipeline(client: Client, settings: Settings, digest: str, job: JobPosting) -> None:
    await client.execute_workflow(
        TailorResumeWorkflow.run,
        TailorRequest(resume_sha256=digest, job=job, generator=GeneratorKind.OFFLINE),
        id=f"bench-{uuid.uuid4().hex}",
        task_queue=settings.task_queue,
    )


async def _timed(fn: Any, *args: Any) -> float:
    started = time.perf_counter()
    await fn(*args)
    return time.perf_counter() - started


async def measure(runs: int = 15, spacing: float = 1.0) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="bench-orch-"))
    settings = Settings(data_dir=workdir / "data", task_queue=f"bench-{uuid.uuid4().hex[:8]}")
    store = Store(settings.store_path)
    pdf, job = example_inputs(workdir)
    digest = store.put_blob(pdf)
    for _ in range(3):  # warm fonts, the layout model and imports
        await direct_pipeline(settings, store, digest, job)
    direct = [await _timed(direct_pipeline, settings, store, digest, job) for _ in range(runs)]

    results: dict[str, Any] = {"direct": summary_ms(direct)}
    for label, tuned in (("tuned dev server", True), ("dev-server defaults", False)):
        env = await dev_server(tuned=tuned)
        async with env, build_worker(env.client, settings):
            for _ in range(3):
                await temporal_pipeline(env.client, settings, digest, job)
            isolated = []
            for _ in range(runs):
                await asyncio.sleep(spacing)
                isolated.append(await _timed(temporal_pipeline, env.client, settings, digest, job))
            back_to_back = [await _timed(temporal_pipeline, env.client, settings, digest, job) for _ in range(runs * 2)]
        results[label] = {"isolated": summary_ms(isolated), "back_to_back": summary_ms(back_to_back)}
    return results
