"""What the run pages show, built from a `RunSnapshot`: the stepper, the live generator detail, and once the run has
ended, the result (validation report, keyword coverage, word diff, PDF) or why it did not finish.

Also the cheap status reads the list pages use: `describe()` needs no worker (a query does), and each read has a
short timeout of its own, so one unreachable run cannot hold up or break a page.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

from markupsafe import Markup
from pydantic import ValidationError
from temporalio.client import Client, WorkflowExecutionStatus

from api.deps import AppState, TemporalUnavailable
from api.diff import markdown_text, resume_text, word_diff
from api.run_stream import RunSnapshot
from resume_tailor.catalog import RunRecord
from resume_tailor.contracts import RunProgress, Stage, StageState, StageStatus, TailoredResume, ValidationReport
from resume_tailor.contracts.run import PIPELINE
from resume_tailor.runs import ui_link

STAGE_LABELS: dict[Stage, str] = {
    Stage.EXTRACTING: "Read the resume PDF",
    Stage.GENERATING: "Tailor to the posting",
    Stage.VALIDATING: "Check every claim",
    Stage.RENDERING: "Render the PDF",
    Stage.RECORDING: "Save the version",
}

STATUS_WORDS: dict[WorkflowExecutionStatus, str] = {
    WorkflowExecutionStatus.RUNNING: "running",
    WorkflowExecutionStatus.COMPLETED: "completed",
    WorkflowExecutionStatus.FAILED: "failed",
    WorkflowExecutionStatus.CANCELED: "cancelled",
    WorkflowExecutionStatus.TERMINATED: "terminated",
    WorkflowExecutionStatus.TIMED_OUT: "timed out",
    WorkflowExecutionStatus.CONTINUED_AS_NEW: "continued",
}

_STATUS_TIMEOUT = 2.0


@dataclass
class StageRow:
    stage: str
    label: str
    state: str
    elapsed: str
    detail: str


@dataclass
class RunResult:
    report: ValidationReport | None
    diff: Markup | None
    pdf_url: str


@dataclass
class RunView:
    workflow_id: str
    progress: RunProgress | None
    stages: list[StageRow]
    ui_url: str
    events_url: str
    cancel_url: str
    resume_id: str | None = None
    notice: str | None = None
    result: RunResult | None = None
    streamed: bool = False

    @property
    def terminal(self) -> bool:
        return self.progress is not None and self.progress.is_terminal

    @property
    def state(self) -> str:
        return self.progress.stage.value if self.progress else "connecting"


def run_path(workflow_id: str) -> str:
    return f"/runs/{quote(workflow_id, safe='')}"


def build_run_view(state: AppState, snapshot: RunSnapshot, *, streamed: bool = False) -> RunView:
    wid = snapshot.workflow_id
    record = state.catalog.get_run(wid)
    progress = snapshot.progress
    view = RunView(
        workflow_id=wid,
        progress=progress,
        stages=stage_rows(progress, snapshot),
        ui_url=ui_link(state.settings, wid, record.run_id if record else None),
        events_url=f"{run_path(wid)}/events",
        cancel_url=f"{run_path(wid)}/cancel",
        resume_id=record.resume_id if record else None,
        notice=snapshot.unavailable,
        streamed=streamed,
    )
    if progress is not None and progress.stage is Stage.COMPLETED and progress.result is not None:
        view.result = build_result(state, record, progress)
    return view


def stage_rows(progress: RunProgress | None, snapshot: RunSnapshot) -> list[StageRow]:
    statuses = progress.stages if progress and progress.stages else [StageStatus(stage=s) for s in PIPELINE]
    now = datetime.now(UTC)
    rows = []
    for status in statuses:
        detail = status.detail or ""
        heartbeat = snapshot.heartbeat
        if status.state is StageState.RUNNING and status.stage is Stage.GENERATING and heartbeat is not None:
            detail = f"{heartbeat.elapsed_seconds:.0f} s elapsed, {heartbeat.bytes_received:,} bytes received"
        if status.attempt and status.attempt > 1:
            detail = f"{detail} (attempt {status.attempt})".strip()
        rows.append(
            StageRow(
                stage=status.stage.value,
                label=STAGE_LABELS.get(status.stage, status.stage.value),
                state=status.state.value,
                elapsed=_elapsed(status, now),
                detail=detail,
            )
        )
    return rows


def _elapsed(status: StageStatus, now: datetime) -> str:
    if status.started_at is None:
        return ""
    seconds = max(0.0, ((status.ended_at or now) - status.started_at).total_seconds())
    return f"{seconds:.1f} s" if seconds < 60 else f"{int(seconds // 60)} min {int(seconds % 60)} s"


def build_result(state: AppState, record: RunRecord | None, progress: RunProgress) -> RunResult:
    assert progress.result is not None
    version = state.store.get_version(progress.result.version_id)
    report = tailored = None
    if version is not None:
        try:
            report = ValidationReport.model_validate_json(version.validation_json)
            if version.resume_json:
                tailored = TailoredResume.model_validate_json(version.resume_json)
        except ValidationError:
            pass  # a row from an older schema: show the summary without the details
    resume = state.catalog.get_resume(record.resume_id) if record else None
    diff = None
    if resume is not None and tailored is not None:
        diff = word_diff(markdown_text(resume.markdown), resume_text(tailored))
    return RunResult(report=report, diff=diff, pdf_url=f"/versions/{quote(progress.result.version_id, safe='')}/pdf")


async def run_statuses(state: AppState, runs: list[RunRecord]) -> tuple[dict[str, str], str | None]:
    """Each run's status word, keyed by run ID ("unknown" when it cannot be read), and a notice when Temporal is
    unreachable altogether."""
    if not runs:
        return {}, None
    try:
        client = await state.client()
    except TemporalUnavailable as exc:
        return {r.run_id: "unknown" for r in runs}, f"Temporal is unreachable, so run states are unknown ({exc})."
    words = await asyncio.gather(*(_status_word(client, r) for r in runs))
    return {r.run_id: w for r, w in zip(runs, words, strict=True)}, None


async def _status_word(client: Client, run: RunRecord) -> str:
    handle = client.get_workflow_handle(run.workflow_id, run_id=run.run_id or None)
    try:
        description = await asyncio.wait_for(handle.describe(), _STATUS_TIMEOUT)
    except Exception:  # not found, timed out, unreachable: this row says so, the page still renders
        return "unknown"
    return STATUS_WORDS.get(description.status, "unknown") if description.status else "unknown"
