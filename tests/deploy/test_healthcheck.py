"""deploy/healthcheck.py, the image's HEALTHCHECK, run the way Docker runs it: a process of its own whose exit status
is the verdict, against a real web app process and real workers on the Temporal dev server."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from temporalio import activity
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Worker

from resume_tailor.settings import Settings
from tests.helpers.executables import PROJECT
from tests.helpers.processes import free_port

HEALTHCHECK = PROJECT / "deploy" / "healthcheck.py"


def load_healthcheck() -> ModuleType:
    spec = importlib.util.spec_from_file_location("healthcheck", HEALTHCHECK)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_env(tmp_path: Path, **values: str) -> dict[str, str]:
    """This machine's environment without its TAILOR_/TEMPORAL_ settings, plus `values`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TAILOR_", "TEMPORAL_"))}
    env.update(TAILOR_DATA_DIR=str(tmp_path / "data"), **values)
    return env


def run_check(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(HEALTHCHECK), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )


async def run_check_async(args: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str]:
    """The check as a child process while this event loop keeps a worker polling."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(HEALTHCHECK), *args, env=env, cwd=cwd, stderr=asyncio.subprocess.PIPE
    )
    _, stderr = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode or 0, stderr.decode()


async def until_healthy(args: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str]:
    """A worker's first poll reaches the server a moment after it starts."""
    deadline = time.monotonic() + 15
    while True:
        code, stderr = await run_check_async(args, env, cwd)
        if code == 0 or time.monotonic() > deadline:
            return code, stderr
        await asyncio.sleep(0.5)


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


# --- web ------------------------------------------------------------------------------------------------------


@pytest.fixture
def web_app(tmp_path: Path, client: Client) -> Iterator[dict[str, str]]:
    """`resume-tailor web` in a process of its own; yields its environment. It serves only the Host `tailor.test`."""
    env = check_env(
        tmp_path,
        TEMPORAL_ADDRESS=client.service_client.config.target_host,
        TAILOR_API_PORT=str(free_port()),
        TAILOR_ALLOWED_HOSTS=json.dumps(["tailor.test"]),
    )
    log = (tmp_path / "web.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "resume_tailor.cli", "web"], env=env, cwd=tmp_path, stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + 30
        while not port_open(int(env["TAILOR_API_PORT"])):
            assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "web.log").read_text()
            time.sleep(0.1)
        yield env
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


def test_web_is_healthy_when_the_app_answers_with_a_host_it_serves(web_app: dict[str, str], tmp_path: Path) -> None:
    result = run_check(["web"], web_app, tmp_path)
    assert result.returncode == 0, result.stderr


def test_web_is_unhealthy_when_nothing_answers(tmp_path: Path) -> None:
    result = run_check(["web"], check_env(tmp_path, TAILOR_API_PORT=str(free_port())), tmp_path)
    assert result.returncode == 1
    assert "does not answer" in result.stderr


def test_web_is_unhealthy_when_the_app_refuses_the_request(web_app: dict[str, str], tmp_path: Path) -> None:
    """The app answers, but not for the Host the check sends (`localhost` is not among its allowed hosts)."""
    env = {**web_app, "TAILOR_ALLOWED_HOSTS": json.dumps(["localhost"])}
    result = run_check(["web"], env, tmp_path)
    assert result.returncode == 1
    assert "HTTP 400" in result.stderr


# --- workers --------------------------------------------------------------------------------------------------


async def test_worker_is_healthy_when_it_polls_its_queue(
    worker: Worker, settings: Settings, client: Client, tmp_path: Path
) -> None:
    env = check_env(
        tmp_path, TEMPORAL_ADDRESS=client.service_client.config.target_host, TAILOR_TASK_QUEUE=settings.task_queue
    )
    for role in ("workflow", "all"):
        code, stderr = await until_healthy(["worker", "--role", role], env, tmp_path)
        assert code == 0, stderr


async def test_worker_is_unhealthy_when_nothing_polls_its_queue(
    worker: Worker, settings: Settings, client: Client, tmp_path: Path
) -> None:
    address = client.service_client.config.target_host
    idle = check_env(tmp_path, TEMPORAL_ADDRESS=address, TAILOR_TASK_QUEUE=f"idle-{uuid.uuid4().hex[:8]}")
    code, stderr = await run_check_async(["worker", "--role", "workflow"], idle, tmp_path)
    assert code == 1 and "polls" in stderr, stderr
    # model worker, but no model queue configured
    env = check_env(tmp_path, TEMPORAL_ADDRESS=address, TAILOR_TASK_QUEUE=settings.task_queue)
    code, stderr = await run_check_async(["worker", "--role", "model"], env, tmp_path)
    assert code == 1 and "no task queue" in stderr, stderr


@activity.defn
async def noop() -> None:
    pass


async def test_worker_is_unhealthy_when_only_another_host_polls(client: Client, tmp_path: Path) -> None:
    """A poller on the queue is not enough: it must be this container's (the identity's `@hostname`)."""
    address = client.service_client.config.target_host
    elsewhere = await Client.connect(address, identity="1@another-host", data_converter=pydantic_data_converter)
    queue = f"model-{uuid.uuid4().hex[:8]}"
    async with Worker(elsewhere, task_queue=queue, activities=[noop]):
        env = check_env(tmp_path, TEMPORAL_ADDRESS=address, TAILOR_TASK_QUEUE="unused", TAILOR_MODEL_TASK_QUEUE=queue)
        code, stderr = await run_check_async(["worker", "--role", "model"], env, tmp_path)
    assert code == 1 and f"from {socket.gethostname()}" in stderr, stderr


async def test_worker_is_unhealthy_when_temporal_is_unreachable(tmp_path: Path) -> None:
    env = check_env(tmp_path, TEMPORAL_ADDRESS=f"127.0.0.1:{free_port()}")
    code, stderr = await run_check_async(["worker"], env, tmp_path)
    assert code == 1 and "cannot ask Temporal" in stderr, stderr


# --- what the container runs ----------------------------------------------------------------------------------


def test_reads_the_check_from_the_apps_command_line(tmp_path: Path) -> None:
    healthcheck = load_healthcheck()
    proc = tmp_path / "proc"
    for pid, argv in {
        "1": ["/sbin/docker-init", "--", "resume-tailor", "worker", "--role", "cpu"],
        "7": ["/opt/venv/bin/python", "/opt/venv/bin/resume-tailor", "worker", "--role", "cpu"],
        "9": ["python", "/opt/resume-tailor/healthcheck.py"],
    }.items():
        (proc / pid).mkdir(parents=True)
        (proc / pid / "cmdline").write_bytes(b"\0".join(a.encode() for a in argv) + b"\0")
    (proc / "self").mkdir()
    command = healthcheck.command_of_running_app(proc)
    assert command == ["worker", "--role", "cpu"]
    assert healthcheck.what_to_check(command) == ("worker", "cpu")
    nothing = tmp_path / "no-app"
    (nothing / "9").mkdir(parents=True)
    (nothing / "9" / "cmdline").write_bytes(b"python\0/opt/resume-tailor/healthcheck.py\0")
    assert healthcheck.command_of_running_app(nothing) is None


@pytest.mark.parametrize(
    ("command", "check"),
    [
        (["web"], ("web", "")),
        (["worker"], ("worker", "all")),
        (["worker", "--role=model"], ("worker", "model")),
        (["up"], ("web", "")),
        (["up", "--no-web"], ("worker", "all")),
        (["tailor", "resume.pdf", "job.md"], None),
    ],
)
def test_maps_each_command_to_its_check(command: list[str], check: tuple[str, str] | None) -> None:
    assert load_healthcheck().what_to_check(command) == check
