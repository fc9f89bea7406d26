"""TailorResumeWorkflow on the real dev server with a real worker: stages, failures, cancel, timeout, attach."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import Client, WorkflowFailureError, WorkflowHandle
from temporalio.exceptions import CancelledError
from temporalio.worker import Worker

from resume_tailor.contracts import (
    GeneratorKind,
    JobPosting,
    RunProgress,
    Stage,
    StageState,
    TailoredResume,
    ValidationPolicy,
)
from resume_tailor.contracts.run import PIPELINE
from resume_tailor.runs import StartedRun, follow, get_progress, start_run
from resume_tailor.settings import Settings
from resume_tailor.store import Store
from tests.helpers.pdfs import encrypted_pdf, html_pdf, scanned_pdf
from tests.helpers.processes import alive, wait_for_pids
from workflows.search_attributes import TAILOR_COMPANY, TAILOR_STAGE
from workflows.tailor import TailorResumeWorkflow


async def _start(
    client: Client,
    settings: Settings,
    store: Store,
    pdf: bytes,
    job: JobPosting,
    generator: GeneratorKind = GeneratorKind.OFFLINE,
    policy: ValidationPolicy | None = None,
) -> tuple[StartedRun, WorkflowHandle]:
    started = await start_run(
        client, settings, store, pdf=pdf, filename="resume.pdf", job=job, generator=generator, policy=policy
    )
    return started, client.get_workflow_handle_for(TailorResumeWorkflow.run, started.workflow_id)


async def _final(handle: WorkflowHandle) -> RunProgress:
    seen = [p async for p in follow(handle, interval=0.05)]
    return seen[-1]


async def test_happy_path_offline(
    client: Client, settings: Settings, store: Store, worker: Worker, example_pdf: bytes, example_job: JobPosting
) -> None:
    started, handle = await _start(client, settings, store, example_pdf, example_job)
    summary = await handle.result()
    assert not started.attached
    final = await get_progress(handle)
    assert final.stage is Stage.COMPLETED and final.result is not None
    assert [s.state for s in final.stages] == [StageState.DONE] * len(PIPELINE)
    assert all(s.started_at and s.ended_at and s.started_at <= s.ended_at for s in final.stages)
    assert all(s.attempt == 1 for s in final.stages)
    assert summary.version_id == final.result.version_id
    pdf = store.get_blob(summary.pdf_sha256)
    assert pdf is not None and pdf.startswith(b"%PDF-")
    assert Path(summary.pdf_path).read_bytes() == pdf
    version = store.get_version(summary.version_id)
    assert version is not None and version.resume_json is not None
    assert TailoredResume.model_validate_json(version.resume_json).experience
    description = await handle.describe()
    attrs = description.typed_search_attributes
    assert attrs.get(TAILOR_STAGE) == "completed"
    assert attrs.get(TAILOR_COMPANY) == example_job.company


async def test_stage_sequence_seen_through_the_query(
    client: Client,
    settings: Settings,
    store: Store,
    worker: Worker,
    example_pdf: bytes,
    example_job: JobPosting,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FAKE_CLAUDE_MODE", "slow")
    monkeypatch.setenv("FAKE_CLAUDE_SECONDS", "1.5")
    _, handle = await _start(client, settings, store, example_pdf, example_job, GeneratorKind.CLAUDE)
    seen = [p async for p in follow(handle, interval=0.05)]
    seqs = [p.seq for p in seen]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    order = [Stage.QUEUED, *PIPELINE, Stage.COMPLETED]
    stages = [p.stage for p in seen]
    assert stages == sorted(stages, key=order.index), stages
    assert Stage.GENERATING in stages  # 1.5 s of generation cannot be missed by a 50 ms poll
    assert stages[-1] is Stage.COMPLETED


@pytest.mark.parametrize(
    ("make_pdf", "error_type", "phrase"),
    [
        (lambda: b"not a pdf at all", "NotAPdf", "not a PDF"),
        (
            lambda: encrypted_pdf(html_pdf("<h1>Jane</h1><p>" + "Engineer. " * 50 + "</p>")),
            "EncryptedPdf",
            "password-protected",
        ),
        (scanned_pdf, "NoTextLayer", "no text layer"),
    ],
)
async def test_bad_input_fails_with_message(
    client: Client,
    settings: Settings,
    store: Store,
    worker: Worker,
    example_job: JobPosting,
    make_pdf,
    error_type: str,
    phrase: str,
) -> None:  # type: ignore[no-untyped-def]
    _, handle = await _start(client, settings, store, make_pdf(), example_job)
    with pytest.raises(WorkflowFailureError):
        await handle.result()
    final = await get_progress(handle)
    assert final.stage is Stage.FAILED
    assert final.error is not None and final.error.stage is Stage.EXTRACTING
    assert final.error.type == error_type
    assert phrase in final.error.message
    assert final.stages[0].state is StageState.FAILED


async def test_cancel_during_generate_kills_cli_and_child(
    client: Client,
    settings: Settings,
    store: Store,
    worker: Worker,
    example_pdf: bytes,
    example_job: JobPosting,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pidfile = tmp_path / "pids"
    monkeypatch.setenv("FAKE_CLAUDE_MODE", "hang")
    monkeypatch.setenv("FAKE_CLAUDE_PIDFILE", str(pidfile))
    _, handle = await _start(client, settings, store, example_pdf, example_job, GeneratorKind.CLAUDE)
    pids = await wait_for_pids(pidfile)
    assert all(alive(p) for p in pids)
    await handle.cancel()
    with pytest.raises(WorkflowFailureError) as caught:
        await handle.result()
    assert isinstance(caught.value.cause, CancelledError)
    # WAIT_CANCELLATION_COMPLETED: the workflow ended only after the activity confirmed the group is dead.
    assert not any(alive(p) for p in pids), pids
    final = await get_progress(handle)
    assert final.stage is Stage.CANCELLED
    assert final.stages[1].state is StageState.CANCELLED
    assert final.stages[2].state is StageState.PENDING


async def test_generator_timeout_fails_and_kills(
    client: Client,
    settings: Settings,
    store: Store,
    worker: Worker,
    example_pdf: bytes,
    example_job: JobPosting,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pidfile = tmp_path / "pids"
    monkeypatch.setenv("FAKE_CLAUDE_MODE", "hang")
    monkeypatch.setenv("FAKE_CLAUDE_PIDFILE", str(pidfile))
    settings.generator_timeout_seconds = 2
    _, handle = await _start(client, settings, store, example_pdf, example_job, GeneratorKind.CLAUDE)
    final = await _final(handle)
    assert final.stage is Stage.FAILED and final.error is not None
    assert final.error.type == "GeneratorTimeout" and final.error.stage is Stage.GENERATING
    assert not any(alive(p) for p in [int(p) for p in pidfile.read_text().split()])


async def test_invalid_output_is_retried_then_succeeds(
    client: Client,
    settings: Settings,
    store: Store,
    worker: Worker,
    example_pdf: bytes,
    example_job: JobPosting,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FAKE_CLAUDE_MODE", "flaky")
    monkeypatch.setenv("FAKE_CLAUDE_COUNTER", str(tmp_path / "calls"))
    _, handle = await _start(client, settings, store, example_pdf, example_job, GeneratorKind.CLAUDE)
    final = await _final(handle)
    assert final.stage is Stage.COMPLETED
    assert final.stages[1].attempt == 2


async def test_invalid_output_every_time_fails_after_bounded_attempts(
    client: Client,
    settings: Settings,
    store: Store,
    worker: Worker,
    example_pdf: bytes,
    example_job: JobPosting,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FAKE_CLAUDE_MODE", "invalid-json")
    _, handle = await _start(client, settings, store, example_pdf, example_job, GeneratorKind.CLAUDE)
    final = await _final(handle)
    assert final.stage is Stage.FAILED and final.error is not None
    assert final.error.type == "InvalidGeneratorOutput"
    assert "(attempt 3)" in final.error.message


async def test_fabrications_are_stripped_or_rejected(
    client: Client,
    settings: Settings,
    store: Store,
    worker: Worker,
    example_pdf: bytes,
    example_job: JobPosting,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FAKE_CLAUDE_MODE", "fabricate")
    _, handle = await _start(client, settings, store, example_pdf, example_job, GeneratorKind.CLAUDE)
    final = await _final(handle)
    assert final.stage is Stage.COMPLETED and final.result is not None
    assert final.result.removed_count >= 2  # the invented employer and the invented skill
    assert not final.result.validation_passed

    rejecting = example_job.model_copy(update={"title": example_job.title + " (reject policy)"})
    _, handle = await _start(
        client, settings, store, example_pdf, rejecting, GeneratorKind.CLAUDE, ValidationPolicy.REJECT
    )
    final = await _final(handle)
    assert final.stage is Stage.FAILED and final.error is not None
    assert final.error.type == "ValidationRejected" and final.error.stage is Stage.VALIDATING
    assert "Google" in final.error.message


async def test_double_submission_attaches_to_the_open_run(
    client: Client,
    settings: Settings,
    store: Store,
    worker: Worker,
    example_pdf: bytes,
    example_job: JobPosting,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FAKE_CLAUDE_MODE", "slow")
    monkeypatch.setenv("FAKE_CLAUDE_SECONDS", "2")
    first, handle = await _start(client, settings, store, example_pdf, example_job, GeneratorKind.CLAUDE)
    second, _ = await _start(client, settings, store, example_pdf, example_job, GeneratorKind.CLAUDE)
    assert second.workflow_id == first.workflow_id
    assert second.run_id == first.run_id
    assert second.attached and not first.attached
    await handle.result()
    # Once the run is closed, the same pair starts a fresh run.
    third, handle3 = await _start(client, settings, store, example_pdf, example_job)
    assert third.run_id != first.run_id and not third.attached
    await handle3.result()
