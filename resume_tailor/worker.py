"""Workers: the workflow and the five stage activities, on one task queue or split by resource.

Heartbeat throttling is set low on purpose. The SDK sends at most one heartbeat per throttle interval (by default
0.8 x heartbeat_timeout), and a cancel request only reaches an activity in a heartbeat's response; with the
defaults a cancel would wait seconds before the generator's process group is killed.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable
from datetime import timedelta
from enum import StrEnum
from typing import Any

from temporalio.client import Client
from temporalio.worker import Worker

from activities.extract import ExtractActivities
from activities.generate import GenerateActivities
from activities.record import RecordActivities
from activities.render import RenderActivities
from activities.validate import validate_against_original
from resume_tailor.settings import Settings
from resume_tailor.store import open_store
from resume_tailor.temporal import connect
from workflows.batch import TailorBatchWorkflow
from workflows.tailor import TailorResumeWorkflow

HEARTBEAT_THROTTLE = timedelta(milliseconds=100)


class WorkerRole(StrEnum):
    ALL = "all"  # every queue this configuration has, in one process
    WORKFLOW = "workflow"  # the workflow, validate and record
    MODEL = "model"  # generate: long, I/O-bound model calls
    CPU = "cpu"  # extract and render: CPU-bound, limited to the cores


def build_workers(client: Client, settings: Settings, role: WorkerRole = WorkerRole.ALL) -> list[Worker]:
    """The workers for `role`. Without separate queues configured, one worker serves everything.

    Separate queues give each resource its own concurrency limit: a burst of slow model calls cannot take the
    slots rendering needs, and renders never run more at once than there are cores.
    """
    store = open_store(settings)
    extract = ExtractActivities(settings, store).extract_resume_text
    generate = GenerateActivities(settings).generate_tailored_resume
    render = RenderActivities(store).render_resume_pdf
    record = RecordActivities(settings, store).record_version
    model_queue, cpu_queue = settings.model_task_queue, settings.cpu_task_queue
    # Activities whose queue is not split off run on the workflow's queue.
    home: list[Callable[..., Any]] = [validate_against_original, record]
    home += [] if model_queue else [generate]
    home += [] if cpu_queue else [extract, render]
    workers = []
    if role in (WorkerRole.ALL, WorkerRole.WORKFLOW):
        workers.append(_worker(client, settings.task_queue, home, workflows=True))
    if model_queue and role in (WorkerRole.ALL, WorkerRole.MODEL):
        workers.append(_worker(client, model_queue, [generate], concurrency=settings.model_concurrency))
    if cpu_queue and role in (WorkerRole.ALL, WorkerRole.CPU):
        workers.append(_worker(client, cpu_queue, [extract, render], concurrency=settings.cpu_concurrency))
    if not workers:
        raise ValueError(f"Role {role.value!r} has nothing to run: set TAILOR_{role.value.upper()}_TASK_QUEUE.")
    return workers


def build_worker(client: Client, settings: Settings, *, task_queue: str | None = None) -> Worker:
    """One worker with the workflow and every activity on one queue: the embedded default, and tests."""
    if task_queue is not None:
        settings = settings.model_copy(update={"task_queue": task_queue})
    settings = settings.model_copy(update={"model_task_queue": None, "cpu_task_queue": None})
    (worker,) = build_workers(client, settings)
    return worker


def _worker(
    client: Client,
    task_queue: str,
    activities: list[Callable[..., Any]],
    *,
    workflows: bool = False,
    concurrency: int | None = None,
) -> Worker:
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[TailorResumeWorkflow, TailorBatchWorkflow] if workflows else [],
        activities=activities,
        max_concurrent_activities=concurrency,
        max_heartbeat_throttle_interval=HEARTBEAT_THROTTLE,
        default_heartbeat_throttle_interval=HEARTBEAT_THROTTLE,
        # On shutdown, running activities get this long to finish before they are cancelled (and their CLIs killed).
        graceful_shutdown_timeout=timedelta(seconds=2),
    )


async def run_worker(settings: Settings, role: WorkerRole = WorkerRole.ALL, stop: asyncio.Event | None = None) -> None:
    """Run until `stop` is set, or SIGINT/SIGTERM when no event is given."""
    client = await connect(settings)
    workers = build_workers(client, settings, role)
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
    async with contextlib.AsyncExitStack() as running:
        for worker in workers:
            await running.enter_async_context(worker)
        await stop.wait()
