"""The web app as users reach it: a real uvicorn process on a free port, talking to the session's real Temporal
dev server, with the test's worker running in this process (so tests can steer the fake CLI's mode)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from temporalio.client import Client
from temporalio.worker import Worker

from resume_tailor.settings import Settings
from tests.helpers.executables import PROJECT
from tests.helpers.processes import cli_env, free_port


class ApiServer:
    """`uvicorn api.main:create_app` in a child process; `restart()` kills it and starts a new one."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env = env
        self.port = port
        self.log = log
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "--factory",
                    "api.main:create_app",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--log-level",
                    "warning",
                ],
                cwd=PROJECT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the web app exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/api/jobs", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the web app did not start within 30 s")

    def stop(self, kill: bool = False) -> None:
        if self.process is not None and self.process.poll() is None:
            if kill:
                self.process.kill()
            else:
                self.process.terminate()
            self.process.wait(10)

    def restart(self) -> None:
        self.stop(kill=True)
        self.start()


@pytest.fixture
def api_settings(settings: Settings) -> Settings:
    return settings


@pytest.fixture
def api_server(client: Client, api_settings: Settings, worker: Worker, tmp_path: Path) -> Iterator[ApiServer]:
    address = client.service_client.config.target_host
    server = ApiServer(cli_env(api_settings, address), free_port(), tmp_path / "api.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def api_url(api_server: ApiServer) -> str:
    return api_server.url
