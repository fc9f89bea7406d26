"""The embedded stack behind `resume-tailor up` and `demo`: a dev server (unless TEMPORAL_ADDRESS points at a real
one), a client and a worker, started together and stopped in reverse order."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from temporalio.client import Client
from temporalio.envconfig import ClientConfig
from temporalio.worker import Worker

from resume_tailor.devserver import EmbeddedServer

if TYPE_CHECKING:
    from api.serve import WebApp
from resume_tailor.settings import Settings
from resume_tailor.temporal import connect, connect_config


def uses_external_server() -> bool:
    return "target_host" in ClientConfig.load_client_connect_config()


class EmbeddedStack:
    def __init__(self, settings: Settings, *, web: bool = True) -> None:
        self.settings = settings
        self.with_web = web
        self.web: WebApp | None = None
        self.server: EmbeddedServer | None = None
        self._client: Client | None = None
        self._worker: Worker | None = None

    @property
    def client(self) -> Client:
        assert self._client is not None, "the stack is not started"
        return self._client

    async def __aenter__(self) -> EmbeddedStack:
        from resume_tailor.worker import build_worker

        if not uses_external_server():
            self.server = EmbeddedServer(self.settings)
            self.server.start()
        try:
            if self.server is not None:
                await self.server.wait_ready()
            self._client = await connect(self.settings)
            self._worker = build_worker(self._client, self.settings)
            await self._worker.__aenter__()
            if self.with_web:
                from api.serve import WebApp

                self.web = WebApp(self.settings)
                await self.web.start()
        except BaseException:
            if self.server is not None:
                self.server.stop()
            raise
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if self.web is not None:
                await self.web.stop()
            if self._worker is not None:
                await self._worker.__aexit__(exc_type, exc, tb)
        finally:
            if self.server is not None:
                self.server.stop()

    def describe(self) -> list[str]:
        target = connect_config(self.settings)["target_host"]
        lines = [f"Temporal:      {target} ({'embedded dev server' if self.server else 'external'})"]
        if self.server is not None:
            lines.append(f"Temporal UI:   {self.settings.temporal_ui_base()}")
            lines.append(f"Server data:   {self.settings.temporal_db_path}")
        lines.append(f"Worker:        task queue {self.settings.task_queue!r}")
        if self.web is not None:
            lines.append(f"Web app:       {self.web.url}")
        lines.append(f"App data:      {self.settings.data_path}")
        return lines
