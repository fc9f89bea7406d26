"""Generate: the real subprocess path with a fake `claude` executable, the command generator, and offline."""

from __future__ import annotations

import asyncio
import json
import shlex
import sys
from pathlib import Path

import pytest
from temporalio.exceptions import ApplicationError, CancelledError
from temporalio.testing import ActivityEnvironment

from activities.cli_runner import group_members
from activities.extract import extract_markdown
from activities.generate import GenerateActivities
from resume_tailor.contracts import GenerateHeartbeat, GenerateInput, GeneratorKind, JobPosting, TailoredResume
from resume_tailor.settings import Settings
from tests.helpers.processes import alive, wait_for_pids


@pytest.fixture(scope="module")
def example_markdown(example_pdf: bytes) -> str:
    return extract_markdown(example_pdf).markdown


def _input(markdown: str, job: JobPosting, generator: GeneratorKind = GeneratorKind.CLAUDE) -> GenerateInput:
    return GenerateInput(resume_markdown=markdown, job=job, generator=generator, model="test-model")


async def _run(settings: Settings, input: GenerateInput, env: ActivityEnvironment | None = None):  # type: ignore[no-untyped-def]
    return await (env or ActivityEnvironment()).run(GenerateActivities(settings).generate_tailored_resume, input)


async def _error(settings: Settings, input: GenerateInput) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        await _run(settings, input)
    return caught.value


async def test_claude_envelope_with_schema_and_no_tools(
    settings: Settings, example_markdown: str, example_job: JobPosting, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    argv_log = tmp_path / "argv.json"
    monkeypatch.setenv("FAKE_CLAUDE_ARGV_LOG", str(argv_log))
    result = await _run(settings, _input(example_markdown, example_job))
    assert isinstance(result.resume, TailoredResume)
    assert result.resume.experience, "the fake tailors with the offline generator, so jobs are present"
    assert result.generator is GeneratorKind.CLAUDE and result.model == "test-model"
    argv = json.loads(argv_log.read_text())
    assert argv[:5] == ["-p", "--output-format", "json", "--tools", ""]
    schema = json.loads(argv[argv.index("--json-schema") + 1])
    assert "experience" in schema["properties"]
    assert argv[-2:] == ["--model", "test-model"]


@pytest.mark.parametrize(
    ("mode", "phrase"),
    [
        ("invalid-json", "not valid JSON"),
        ("schema-break", "does not match the resume schema"),
        ("is-error", "reported an error: API Error: overloaded"),
    ],
)
async def test_bad_output_is_retryable_with_a_clear_message(
    settings: Settings,
    example_markdown: str,
    example_job: JobPosting,
    monkeypatch: pytest.MonkeyPatch,
    mode: str,
    phrase: str,
) -> None:
    monkeypatch.setenv("FAKE_CLAUDE_MODE", mode)
    error = await _error(settings, _input(example_markdown, example_job))
    assert error.type == "InvalidGeneratorOutput"
    assert not error.non_retryable
    assert phrase in error.message


async def test_bare_json_is_accepted_whatever_the_exit_code(
    settings: Settings, example_markdown: str, example_job: JobPosting, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_CLAUDE_MODE", "bare")  # exits 1 after printing a valid resume
    result = await _run(settings, _input(example_markdown, example_job))
    assert result.resume.name


async def test_missing_claude_names_the_setting(
    settings: Settings, example_markdown: str, example_job: JobPosting
) -> None:
    settings.claude_bin = "/nonexistent/claude"
    error = await _error(settings, _input(example_markdown, example_job))
    assert error.type == "GeneratorNotFound" and error.non_retryable
    assert "TAILOR_CLAUDE_BIN" in error.message


async def test_command_generator(settings: Settings, example_markdown: str, example_job: JobPosting) -> None:
    script = (
        "import json, sys; prompt = sys.stdin.read(); assert 'ORIGINAL_RESUME' in prompt; "
        "print(json.dumps({'name': 'Command Output', 'experience': []}))"
    )
    settings.generator_command = shlex.join([sys.executable, "-c", script])
    result = await _run(settings, _input(example_markdown, example_job, GeneratorKind.COMMAND))
    assert result.resume.name == "Command Output"
    assert result.model is None


async def test_command_generator_unset(settings: Settings, example_markdown: str, example_job: JobPosting) -> None:
    settings.generator_command = None
    error = await _error(settings, _input(example_markdown, example_job, GeneratorKind.COMMAND))
    assert error.type == "GeneratorNotConfigured" and "TAILOR_GENERATOR_COMMAND" in error.message


async def test_offline_generator(settings: Settings, example_markdown: str, example_job: JobPosting) -> None:
    result = await _run(settings, _input(example_markdown, example_job, GeneratorKind.OFFLINE))
    assert result.generator is GeneratorKind.OFFLINE
    assert len(result.resume.experience) >= 2


def _pids(pidfile: Path) -> list[int]:
    return [int(p) for p in pidfile.read_text().split()]


async def test_timeout_kills_cli_and_child(
    settings: Settings, example_markdown: str, example_job: JobPosting, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pidfile = tmp_path / "pids"
    monkeypatch.setenv("FAKE_CLAUDE_MODE", "hang")
    monkeypatch.setenv("FAKE_CLAUDE_PIDFILE", str(pidfile))
    settings.generator_timeout_seconds = 2
    error = await _error(settings, _input(example_markdown, example_job))
    assert error.type == "GeneratorTimeout" and "TAILOR_GENERATOR_TIMEOUT_SECONDS" in error.message
    pids = _pids(pidfile)
    assert not any(alive(p) for p in pids), pids


async def test_cancel_kills_cli_and_child_and_heartbeats(
    settings: Settings, example_markdown: str, example_job: JobPosting, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pidfile = tmp_path / "pids"
    monkeypatch.setenv("FAKE_CLAUDE_MODE", "hang")
    monkeypatch.setenv("FAKE_CLAUDE_PIDFILE", str(pidfile))
    env = ActivityEnvironment()
    beats: list[GenerateHeartbeat] = []
    env.on_heartbeat = lambda *details: beats.append(details[0])
    task = asyncio.create_task(_run(settings, _input(example_markdown, example_job), env))
    pids = await wait_for_pids(pidfile)
    assert all(alive(p) for p in pids)
    await asyncio.sleep(0.3)
    env.cancel()
    with pytest.raises((CancelledError, asyncio.CancelledError)):
        await task
    assert not any(alive(p) for p in pids), pids
    assert group_members(pids[0]) == []
    assert beats and beats[-1].pid == pids[0]
    assert beats[-1].bytes_received > 0  # the fake wrote a partial reply before hanging
