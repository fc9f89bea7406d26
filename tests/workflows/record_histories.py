"""Record workflow histories for the replay test: `python -m tests.workflows.record_histories`.

Run it after a deliberate, versioned change to the workflow; the replay test then guards every later change
against non-determinism with the histories of the older code.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import uuid
from pathlib import Path

from temporalio.client import WorkflowHandle
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from examples.build_example import build_example_pdf
from resume_tailor.contracts import GeneratorKind
from resume_tailor.job_file import load_job_posting
from resume_tailor.runs import start_run
from resume_tailor.settings import Settings
from resume_tailor.store import Store
from resume_tailor.worker import build_worker
from tests.conftest import TEMPORAL_BIN
from tests.helpers.executables import PROJECT
from workflows.search_attributes import TAILOR_COMPANY, TAILOR_GENERATOR, TAILOR_JOB_TITLE, TAILOR_STAGE

HISTORIES = Path(__file__).parent / "histories"


async def main() -> None:
    data = Path(tempfile.mkdtemp())
    settings = Settings(data_dir=data, task_queue=f"record-{uuid.uuid4().hex[:8]}", generator=GeneratorKind.OFFLINE)
    store = Store(settings.store_path)
    pdf = build_example_pdf(data / "resume.pdf").read_bytes()
    job = load_job_posting(PROJECT / "examples" / "job_posting.md")
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=TEMPORAL_BIN,
        data_converter=pydantic_data_converter,
        search_attributes=[TAILOR_STAGE, TAILOR_COMPANY, TAILOR_GENERATOR, TAILOR_JOB_TITLE],
    )
    async with env, build_worker(env.client, settings):
        runs = {
            "completed": (pdf, job),
            "failed-not-a-pdf": (b"not a pdf", job.model_copy(update={"title": "Bad input"})),
        }
        for name, (resume, posting) in runs.items():
            started = await start_run(env.client, settings, store, pdf=resume, filename="resume.pdf", job=posting)
            handle: WorkflowHandle = env.client.get_workflow_handle(started.workflow_id)
            with contextlib.suppress(Exception):
                await handle.result()
            history = await handle.fetch_history()
            (HISTORIES / f"{name}.json").write_text(history.to_json())
            print(f"recorded {name}")


if __name__ == "__main__":
    asyncio.run(main())
