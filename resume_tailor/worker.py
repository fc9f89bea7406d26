"""The worker: the workflow and all five stage activities on one task queue.

Heartbeat throttling is set low on purpose. The SDK sends at most one heartbeat per throttle interval (by default
0.8 x heartbeat_timeout), and a cancel request only reaches an activity in a heartbeat's response; with the
defaults a cancel would wait seconds before the generator's process group is killed.
"""

from __future__ import annotations

import asyncio
import signal
from datetime import timedelta

from temporalio.client import Client
from temporalio.worker import Worker

from activities.extract import ExtractActivities
from activities.generate import GenerateActivities
from activities.record import RecordActivities
from activities.render import RenderActivities
from activities.validate import validate_against_original
from resume_tailor.settings import Settings
from resume_tailor.store import Store
from resume_tailor.temporal import connect
from workflows.tailor import TailorResumeWorkflow

HEARTBEAT_THROTTLE = timedelta(milliseconds=100)


def build_worker(client: Client, settings: Settings, *, task_queue: str | None = None) -> Worker:
    store = Store(settings.store_path)
    return Worker(
        client,
        task_queue=task_queue or settings.task_queue,
        workflows=[TailorResumeWorkflow],
        activities=[
            ExtractActivities(settings, store).extract_resume_text,
            GenerateActivities(settings).generate_tailored_resume,
            validate_against_original,
            RenderActivities(store).render_resume_pdf,
            RecordActivities(settings, store).record_version,
        ],
        max_heartbeat_throttle_interval=HEARTBEAT_THROTTLE,
        default_heartbeat_throttle_interval=HEARTBEAT_THROTTLE,
        # On shutdown, running activities get this long to finish before they are cancelled (and their CLIs killed).
        graceful_shutdown_timeout=timedelta(seconds=2),
    )


async def run_worker(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run until `stop` is set, or SIGINT/SIGTERM when no event is given."""
    client = await connect(settings)
    worker = build_worker(client, settings)
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
    async with worker:
        await stop.wait()
