"""Dependencies the routes declare with `Annotated`: settings, the store and catalog, the Temporal client, and
the shared run pollers. The Temporal client is connected on first use, so the app starts (and says so clearly)
even while Temporal is down."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from temporalio.client import Client

from api.run_stream import PollerRegistry
from resume_tailor.catalog import Catalog
from resume_tailor.settings import Settings
from resume_tailor.store import open_store
from resume_tailor.temporal import connect


class AppState:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = open_store(settings)
        self.catalog = Catalog(self.store.db)
        self._client: Client | None = None
        self._pollers: PollerRegistry | None = None
        self._lock = asyncio.Lock()

    async def client(self) -> Client:
        async with self._lock:
            if self._client is None:
                try:
                    self._client = await asyncio.wait_for(connect(self.settings), 5)
                except (RuntimeError, TimeoutError) as exc:
                    raise TemporalUnavailable(str(exc)) from None
            return self._client

    async def pollers(self) -> PollerRegistry:
        client = await self.client()
        if self._pollers is None:
            self._pollers = PollerRegistry(client, self.settings.sse_poll_seconds, self._auto_cancel_seconds)
        return self._pollers

    def _auto_cancel_seconds(self, workflow_id: str) -> float | None:
        run = self.catalog.get_run(workflow_id)
        return run.auto_cancel_seconds if run else None


class TemporalUnavailable(Exception):
    """Temporal cannot be reached: every route that needs it answers 503."""


def _state(request: Request) -> AppState:
    state: AppState = request.app.state.tailor
    return state


async def _client(request: Request) -> Client:
    return await _state(request).client()


async def _pollers(request: Request) -> PollerRegistry:
    return await _state(request).pollers()


StateDep = Annotated[AppState, Depends(_state)]
ClientDep = Annotated[Client, Depends(_client)]
PollersDep = Annotated[PollerRegistry, Depends(_pollers)]


def not_found(what: str, ident: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"No {what} with ID {ident!r}.")
