"""Runs survive restarts of every process: worker (kill -9), Temporal server (kill -9), and the CLI client.

Each test runs real processes: its own `temporal server start-dev` on a persistent file, `resume-tailor worker`
subprocesses and the `resume-tailor` CLI, with the fake `claude` executable generating slowly enough to be killed
mid-stage.
"""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowHandle
from temporalio.contrib.pydantic import pydantic_data_converter

from resume_tailor.contracts import GeneratorKind, JobPosting, RunProgress, Stage
from resume_tailor.devserver import EmbeddedServer
from resume_tailor.runs import generate_heartbeat, get_progress, start_run, workflow_id_for
from resume_tailor.settings import Settings
from resume_tailor.store import Store, sha256_hex
from tests.helpers.processes import alive, cli_env, dev_server, free_port, kill9_group, start_cli


@pytest.fixture
async def server(settings: Settings, tmp_path: Path) -> AsyncIterator[EmbeddedServer]:
    server = dev_server(settings, free_port(), tmp_path / "temporal.db")
    server.start()
    try:
        await server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture
async def server_client(server: EmbeddedServer) -> AsyncIterator[Client]:
    yield await Client.connect(server.address, data_converter=pydantic_data_converter)


def _worker(
    settings: Settings, server: EmbeddedServer, tmp_path: Path, name: str, **env: str
) -> subprocess.Popen[bytes]:
    return start_cli(["worker"], cli_env(settings, server.address, **env), tmp_path / f"{name}.log")


async def _wait_for_stage(handle: WorkflowHandle, stage: Stage, timeout: float = 60) -> RunProgress:
    async with asyncio.timeout(timeout):
        while True:
            try:
                progress = await asyncio.wait_for(get_progress(handle), 5)
            except Exception:  # the server or the worker may be down for a moment: that is the point here
                await asyncio.sleep(0.2)
                continue
            if progress.stage is stage or progress.is_terminal:
                return progress
            await asyncio.sleep(0.1)


async def _activity_types_scheduled(handle: WorkflowHandle) -> list[str]:
    history = await handle.fetch_history()
    return [
        e.activity_task_scheduled_event_attributes.activity_type.name
        for e in history.events
        if e.HasField("activity_task_scheduled_event_attributes")
    ]


async def test_worker_killed_during_generate(
    settings: Settings,
    server: EmbeddedServer,
    server_client: Client,
    store: Store,
    tmp_path: Path,
    example_pdf: bytes,
    example_job: JobPosting,
) -> None:
    env = {"FAKE_CLAUDE_MODE": "slow", "FAKE_CLAUDE_SECONDS": "4"}
    first = _worker(settings, server, tmp_path, "worker-1", **env)
    try:
        started = await start_run(
            server_client,
            settings,
            store,
            pdf=example_pdf,
            filename="r.pdf",
            job=example_job,
            generator=GeneratorKind.CLAUDE,
        )
        handle = server_client.get_workflow_handle(started.workflow_id)
        assert (await _wait_for_stage(handle, Stage.GENERATING)).stage is Stage.GENERATING
        beat = None
        while beat is None:
            beat = await generate_heartbeat(handle)
            await asyncio.sleep(0.1)
        cli_pid = beat.pid
        assert cli_pid is not None and alive(cli_pid)
        kill9_group(first)  # the worker's own group: the CLI runs in a session of its own
        # The kernel's parent-death signal stops the CLI: no model quota is spent by an orphan.
        for _ in range(50):
            if not alive(cli_pid):
                break
            await asyncio.sleep(0.05)
        assert not alive(cli_pid)
    finally:
        if first.poll() is None:
            kill9_group(first)

    second = _worker(settings, server, tmp_path, "worker-2", **env)
    try:
        final = await _wait_for_stage(handle, Stage.COMPLETED, timeout=90)
        assert final.stage is Stage.COMPLETED, final.error
        assert final.stages[0].attempt == 1
        assert final.stages[1].attempt == 2  # generate was retried on the new worker
        assert (await _activity_types_scheduled(handle)).count("extract_resume_text") == 1
    finally:
        second.terminate()
        second.wait(10)


async def test_server_killed_mid_run(
    settings: Settings,
    server: EmbeddedServer,
    server_client: Client,
    store: Store,
    tmp_path: Path,
    example_pdf: bytes,
    example_job: JobPosting,
) -> None:
    worker = _worker(settings, server, tmp_path, "worker", FAKE_CLAUDE_MODE="slow", FAKE_CLAUDE_SECONDS="3")
    try:
        started = await start_run(
            server_client,
            settings,
            store,
            pdf=example_pdf,
            filename="r.pdf",
            job=example_job,
            generator=GeneratorKind.CLAUDE,
        )
        handle = server_client.get_workflow_handle(started.workflow_id)
        assert (await _wait_for_stage(handle, Stage.GENERATING)).stage is Stage.GENERATING
        assert server.process is not None
        kill9_group(server.process)
        await asyncio.sleep(1)
        server.start()  # same port, same database file
        await server.wait_ready()
        client = await Client.connect(server.address, data_converter=pydantic_data_converter)
        handle = client.get_workflow_handle(started.workflow_id)
        final = await _wait_for_stage(handle, Stage.COMPLETED, timeout=120)
        assert final.stage is Stage.COMPLETED, final.error
        assert (await _activity_types_scheduled(handle)).count("extract_resume_text") == 1
    finally:
        worker.terminate()
        worker.wait(10)


async def test_cli_stopped_then_attach(
    settings: Settings,
    server: EmbeddedServer,
    server_client: Client,
    tmp_path: Path,
    example_pdf: bytes,
    example_job: JobPosting,
) -> None:
    worker = _worker(settings, server, tmp_path, "worker", FAKE_CLAUDE_MODE="slow", FAKE_CLAUDE_SECONDS="3")
    resume = tmp_path / "resume.pdf"
    resume.write_bytes(example_pdf)
    job_file = tmp_path / "job.md"
    job_file.write_text(f"---\ntitle: {example_job.title}\ncompany: {example_job.company}\n---\n{example_job.text}")
    env = cli_env(settings, server.address)
    try:
        out = tmp_path / "out.pdf"
        tailor = start_cli(
            ["tailor", str(resume), str(job_file), "--generator", "claude", "--out", str(out)],
            env,
            tmp_path / "tailor.log",
        )
        workflow_id = workflow_id_for(sha256_hex(example_pdf), example_job)
        handle = server_client.get_workflow_handle(workflow_id)
        assert (await _wait_for_stage(handle, Stage.GENERATING)).stage is Stage.GENERATING
        kill9_group(tailor)
        assert not out.exists()

        attach = start_cli(["attach", workflow_id, "--out", str(out)], env, tmp_path / "attach.log")
        code = await asyncio.to_thread(attach.wait, 90)
        log = (tmp_path / "attach.log").read_text()
        assert code == 0, log
        assert "Tailored resume:" in log
        assert out.read_bytes().startswith(b"%PDF-")
    finally:
        worker.terminate()
        worker.wait(10)


async def test_cli_failed_run_exits_nonzero_and_writes_nothing(
    settings: Settings,
    server: EmbeddedServer,
    tmp_path: Path,
    example_job: JobPosting,
) -> None:
    worker = _worker(settings, server, tmp_path, "worker")
    try:
        bad = tmp_path / "resume.pdf"
        bad.write_bytes(b"this is a word document, not a pdf")
        job_file = tmp_path / "job.md"
        job_file.write_text(f"---\ntitle: {example_job.title}\n---\n{example_job.text}")
        out = tmp_path / "out.pdf"
        proc = start_cli(
            ["tailor", str(bad), str(job_file), "--out", str(out)],
            cli_env(settings, server.address),
            tmp_path / "tailor.log",
        )
        code = await asyncio.to_thread(proc.wait, 60)
        log = (tmp_path / "tailor.log").read_text()
        assert code == 1, log
        assert "not a PDF" in log
        assert not out.exists()
    finally:
        worker.terminate()
        worker.wait(10)
