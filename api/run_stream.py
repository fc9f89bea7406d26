"""One poller per run, shared by all of its viewers.

Every SSE connection to a run subscribes to that run's `RunPoller`; the poller queries the workflow's `progress`
every `TAILOR_SSE_POLL_SECONDS` while at least one subscriber is connected and fans each change out to all of them,
so N viewers of a run cost one query stream, not N. Nothing here is needed to survive a restart: the state is in
Temporal, and a reconnecting client gets a fresh snapshot.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

from pydantic import BaseModel
from temporalio.client import Client, WorkflowHandle
from temporalio.service import RPCError

from resume_tailor.contracts import GenerateHeartbeat, RunProgress, Stage
from resume_tailor.runs import generate_heartbeat

_QUERY_TIMEOUT = timedelta(seconds=3)
_HEARTBEAT_EVERY = 1.0  # seconds between describe() calls while generating


class RunSnapshot(BaseModel):
    """What a viewer sees: the progress, the generator's live heartbeat, or why the run cannot be read."""

    workflow_id: str
    progress: RunProgress | None = None
    heartbeat: GenerateHeartbeat | None = None
    unavailable: str | None = None

    @property
    def seq(self) -> int:
        return self.progress.seq if self.progress else -1

    @property
    def is_terminal(self) -> bool:
        return self.progress is not None and self.progress.is_terminal


class RunPoller:
    def __init__(self, client: Client, workflow_id: str, interval: float, registry: PollerRegistry) -> None:
        self._handle: WorkflowHandle = client.get_workflow_handle(workflow_id)
        self.workflow_id = workflow_id
        self._interval = interval
        self._registry = registry
        self._subscribers: set[asyncio.Queue[RunSnapshot]] = set()
        self.latest: RunSnapshot | None = None
        self._task: asyncio.Task[None] | None = None

    def subscribe(self) -> asyncio.Queue[RunSnapshot]:
        queue: asyncio.Queue[RunSnapshot] = asyncio.Queue()
        self._subscribers.add(queue)
        if self.latest is not None:
            queue.put_nowait(self.latest)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())
        return queue

    def unsubscribe(self, queue: asyncio.Queue[RunSnapshot]) -> None:
        self._subscribers.discard(queue)

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    @property
    def idle(self) -> bool:
        return self._task is None or self._task.done()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        last_describe = 0.0
        try:
            while self._subscribers:
                snapshot = await self._poll()
                if snapshot.progress and snapshot.progress.stage is Stage.GENERATING:
                    if loop.time() - last_describe >= _HEARTBEAT_EVERY:
                        last_describe = loop.time()
                        snapshot.heartbeat = await self._heartbeat()
                    elif self.latest is not None:
                        snapshot.heartbeat = self.latest.heartbeat
                if self.latest is None or _changed(self.latest, snapshot):
                    self.latest = snapshot
                    for queue in list(self._subscribers):
                        queue.put_nowait(snapshot)
                if snapshot.is_terminal:
                    return  # a finished run never changes again; the last snapshot stays cached
                await asyncio.sleep(self._interval)
        finally:
            self._registry.finished(self)

    async def _poll(self) -> RunSnapshot:
        self._registry.queries += 1
        try:
            progress = await self._handle.query("progress", result_type=RunProgress, rpc_timeout=_QUERY_TIMEOUT)
        except (TimeoutError, RPCError) as exc:
            return RunSnapshot(
                workflow_id=self.workflow_id,
                progress=self.latest.progress if self.latest else None,
                unavailable=f"No worker is answering for this run right now ({exc}). It resumes when one is back.",
            )
        except Exception as exc:  # a query the workflow rejects (e.g. it failed before its first task)
            return RunSnapshot(workflow_id=self.workflow_id, unavailable=f"The run's progress cannot be read: {exc}")
        return RunSnapshot(workflow_id=self.workflow_id, progress=progress)

    async def _heartbeat(self) -> GenerateHeartbeat | None:
        try:
            return await generate_heartbeat(self._handle)
        except RPCError:
            return None


def _changed(old: RunSnapshot, new: RunSnapshot) -> bool:
    return (old.seq, old.unavailable, old.heartbeat) != (new.seq, new.unavailable, new.heartbeat)


AutoCancelLookup = Callable[[str], "float | None"]


class PollerRegistry:
    """The pollers of the runs someone is watching. `queries` counts progress queries, for the benchmark.

    Runs started with `auto_cancel_seconds` are cancelled when nobody has watched them for that long; a page
    refresh reconnects well within the grace period, so it does not count as leaving.
    """

    def __init__(self, client: Client, interval: float, auto_cancel: AutoCancelLookup | None = None) -> None:
        self._client = client
        self._interval = interval
        self._auto_cancel = auto_cancel
        self._pollers: dict[str, RunPoller] = {}
        self._unwatched: dict[str, asyncio.Task[None]] = {}
        self.queries = 0

    @contextlib.asynccontextmanager
    async def subscribe(self, workflow_id: str) -> AsyncIterator[asyncio.Queue[RunSnapshot]]:
        poller = self._pollers.get(workflow_id)
        if poller is None:
            poller = self._pollers[workflow_id] = RunPoller(self._client, workflow_id, self._interval, self)
        pending = self._unwatched.pop(workflow_id, None)
        if pending is not None:
            pending.cancel()
        queue = poller.subscribe()
        try:
            yield queue
        finally:
            poller.unsubscribe(queue)
            if not poller.subscribers:
                self._schedule_auto_cancel(poller)
                if poller.idle:
                    self.finished(poller)

    def _schedule_auto_cancel(self, poller: RunPoller) -> None:
        grace = self._auto_cancel(poller.workflow_id) if self._auto_cancel else None
        if grace is None or (poller.latest is not None and poller.latest.is_terminal):
            return
        self._unwatched[poller.workflow_id] = asyncio.create_task(self._cancel_if_unwatched(poller.workflow_id, grace))

    async def _cancel_if_unwatched(self, workflow_id: str, grace: float) -> None:
        await asyncio.sleep(grace)
        self._unwatched.pop(workflow_id, None)
        if self.viewers(workflow_id) == 0:
            with contextlib.suppress(RPCError):
                await self._client.get_workflow_handle(workflow_id).cancel()

    def finished(self, poller: RunPoller) -> None:
        # Keep a finished run's poller only while it has viewers; the next viewer gets a fresh one (one query).
        if not poller.subscribers and self._pollers.get(poller.workflow_id) is poller:
            del self._pollers[poller.workflow_id]

    def viewers(self, workflow_id: str) -> int:
        poller = self._pollers.get(workflow_id)
        return poller.subscribers if poller else 0

    def stats(self) -> dict[str, object]:
        return {
            "pollers": len(self._pollers),
            "queries": self.queries,
            "viewers": {wid: p.subscribers for wid, p in self._pollers.items()},
        }
