"""Heartbeating while a stage works, so Temporal can detect a dead worker and deliver cancellation promptly."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any

from temporalio import activity

HEARTBEAT_INTERVAL_SECONDS = 0.25


def heartbeat(*details: Any) -> None:
    """Heartbeat when running as an activity; a no-op when a stage function is called directly."""
    if activity.in_activity():
        activity.heartbeat(*details)


@asynccontextmanager
async def heartbeating(
    details: Callable[[], Any] | None = None, interval: float = HEARTBEAT_INTERVAL_SECONDS
) -> AsyncIterator[None]:
    """Heartbeat every `interval` seconds for as long as the block runs (e.g. around `asyncio.to_thread`)."""

    async def beat() -> None:
        while True:
            if details is None:
                heartbeat()
            else:
                heartbeat(details())
            await asyncio.sleep(interval)

    task = asyncio.create_task(beat())
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task


def current_attempt() -> int:
    """The activity's attempt number (1 when a stage function is called directly, as benchmarks do)."""
    return activity.info().attempt if activity.in_activity() else 1


_log = logging.getLogger("activities")


def log_stage(message: str, *args: Any) -> None:
    """Log through the SDK's activity logger, which attaches the workflow ID, run ID and attempt to the record
    (JSON logs lift them to the top level); a plain logger when a stage function is called directly."""
    if activity.in_activity():
        activity.logger.info(message, *args)
    else:
        _log.info(message, *args)
