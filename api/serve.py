"""Serving the web app inside an asyncio program we control (`resume-tailor up` / `web`)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Generator

import uvicorn

from api.main import create_app
from resume_tailor.settings import Settings


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        # The CLI owns SIGINT/SIGTERM and stops the whole stack in order; uvicorn must not grab them.
        yield


class WebApp:
    def __init__(self, settings: Settings) -> None:
        config = uvicorn.Config(
            create_app(settings),
            host=settings.api_host,
            port=settings.api_port,
            log_level="warning",
            lifespan="off",
        )
        self._server = _Server(config)
        self._task: asyncio.Task[None] | None = None
        self.url = f"http://{settings.api_host}:{settings.api_port}"

    async def start(self) -> None:
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            if self._task.done():
                self._task.result()  # raises why it could not start (e.g. the port is taken)
                raise RuntimeError(f"The web app could not start on {self.url}")
            await asyncio.sleep(0.05)

    async def stop(self) -> None:
        if self._task is not None:
            self._server.should_exit = True
            await self._task
