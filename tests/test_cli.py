"""The `resume-tailor` CLI as a user runs it: Ctrl-C asks cancel-or-detach, status, cancel, bad arguments."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from temporalio.client import Client
from temporalio.worker import Worker

from resume_tailor.contracts import JobPosting, Stage
from resume_tailor.runs import get_progress, workflow_id_for
from resume_tailor.settings import Settings
from resume_tailor.store import sha256_hex
from tests.helpers.executables import PROJECT
from tests.helpers.processes import cli_env, free_port


def _address(client: Client) -> str:
    return client.service_client.config.target_host


def _files(tmp_path: Path, pdf: bytes, job: JobPosting) -> tuple[Path, Path]:
    resume = tmp_path / "resume.pdf"
    resume.write_bytes(pdf)
    job_file = tmp_path / "job.md"
    job_file.write_text(f"---\ntitle: {job.title}\ncompany: {job.company}\n---\n{job.text}")
    return resume, job_file


def _run(args: list[str], env: dict[str, str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "resume_tailor.cli", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        **kwargs,  # type: ignore[call-overload]
    )


def _slow_generation(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker runs in this process, so the fake CLI it starts takes its mode from this environment."""
    monkeypatch.setenv("FAKE_CLAUDE_MODE", "slow")
    monkeypatch.setenv("FAKE_CLAUDE_SECONDS", "20")


async def _wait_until_generating(client: Client, workflow_id: str) -> None:
    handle = client.get_workflow_handle(workflow_id)
    async with asyncio.timeout(30):
        while True:
            try:
                if (await get_progress(handle)).stage is Stage.GENERATING:
                    return
            except Exception:  # not started yet
                pass
            await asyncio.sleep(0.1)


@pytest.mark.parametrize(("answer", "code", "phrase"), [("c", 1, "Run cancelled"), ("d", 0, "Detached")])
async def test_ctrl_c_asks_to_cancel_or_detach(
    client: Client,
    settings: Settings,
    worker: Worker,
    tmp_path: Path,
    example_pdf: bytes,
    example_job: JobPosting,
    answer: str,
    code: int,
    phrase: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _slow_generation(monkeypatch)
    job = example_job.model_copy(update={"title": f"{example_job.title} {answer}"})
    resume, job_file = _files(tmp_path, example_pdf, job)
    out = tmp_path / "out.pdf"
    env = cli_env(settings, _address(client))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "resume_tailor.cli",
            "tailor",
            str(resume),
            str(job_file),
            "--generator",
            "claude",
            "--out",
            str(out),
        ],
        cwd=PROJECT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    workflow_id = workflow_id_for(sha256_hex(example_pdf), job)
    try:
        await _wait_until_generating(client, workflow_id)
        proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
        output, _ = await asyncio.to_thread(proc.communicate, f"{answer}\n", 60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "Cancel the run (c) or detach" in output
    assert proc.returncode == code, output
    assert phrase in output
    assert not out.exists()
    stage = (await get_progress(client.get_workflow_handle(workflow_id))).stage
    if answer == "c":
        assert stage is Stage.CANCELLED
    else:
        assert stage is Stage.GENERATING  # detached: the run goes on without the client
        await client.get_workflow_handle(workflow_id).cancel()


async def test_status_json_and_cancel(
    client: Client,
    settings: Settings,
    worker: Worker,
    tmp_path: Path,
    example_pdf: bytes,
    example_job: JobPosting,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _slow_generation(monkeypatch)
    resume, job_file = _files(tmp_path, example_pdf, example_job)
    env = cli_env(settings, _address(client))
    started = await asyncio.to_thread(
        _run, ["tailor", str(resume), str(job_file), "--generator", "claude", "--detach"], env
    )
    assert started.returncode == 0, started.stderr
    workflow_id = started.stdout.strip()
    assert workflow_id == workflow_id_for(sha256_hex(example_pdf), example_job)
    await _wait_until_generating(client, workflow_id)

    status = await asyncio.to_thread(_run, ["status", workflow_id, "--json"], env)
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["stage"] == "generating"

    cancelled = await asyncio.to_thread(_run, ["cancel", workflow_id], env)
    assert cancelled.returncode == 0, cancelled.stderr
    assert "cancelled" in cancelled.stderr
    assert (await get_progress(client.get_workflow_handle(workflow_id))).stage is Stage.CANCELLED


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["tailor", "/nonexistent.pdf", "examples/job_posting.md"], "resume file not found"),
        (["tailor", "README.md", "/nonexistent.md"], "job posting file not found"),
        (["status", "no-such-run"], "no run with ID no-such-run"),
    ],
)
def test_usage_errors_are_clear(client: Client, settings: Settings, args: list[str], phrase: str) -> None:
    result = _run(args, cli_env(settings, _address(client)))
    assert result.returncode == 2, result.stderr
    assert phrase in result.stderr


def _embedded_env(tmp_path: Path) -> tuple[dict[str, str], tuple[int, int, int]]:
    """Environment for `up` with its own data dir and free ports (Temporal, its UI, the web app)."""
    ports = (free_port(), free_port(), free_port())
    env = dict(
        os.environ,
        TAILOR_DATA_DIR=str(tmp_path / "data"),
        TAILOR_TEMPORAL_PORT=str(ports[0]),
        TAILOR_TEMPORAL_UI_PORT=str(ports[1]),
        TAILOR_API_PORT=str(ports[2]),
    )
    env.pop("TEMPORAL_ADDRESS", None)
    return env, ports


def test_up_prints_urls_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    env, (port, ui_port, api_port) = _embedded_env(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "resume_tailor.cli", "up"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if "Press Ctrl-C" in line:
                break
        output = "".join(lines)
        assert f"http://localhost:{ui_port}" in output
        assert f"localhost:{port} (embedded dev server)" in output
        assert f"Web app:       http://127.0.0.1:{api_port}" in output
        assert _port_open(port)
        assert httpx.get(f"http://127.0.0.1:{api_port}/api/jobs", timeout=10).json() == []
        proc.send_signal(signal.SIGINT)
        assert proc.wait(30) == 0
        assert not _port_open(port)  # the embedded server stopped with it
        assert not _port_open(api_port)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        proc.communicate()


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_embedded_server_dies_with_a_killed_up(tmp_path: Path) -> None:
    """Regression guard: a `kill -9` of `resume-tailor up` must not leave its dev server holding the port."""
    env, (port, _, _) = _embedded_env(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "resume_tailor.cli", "up", "--no-web"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if "Press Ctrl-C" in line:
            break
    assert _port_open(port)
    proc.kill()
    proc.communicate()
    for _ in range(100):
        if not _port_open(port):
            break
        time.sleep(0.1)
    assert not _port_open(port)
