"""The run's progress as the `progress` query reports it. Pure bookkeeping, deterministic: no clocks or I/O of its
own; the workflow passes `workflow.now()` in."""

from __future__ import annotations

from datetime import datetime

from resume_tailor.contracts import (
    RunError,
    RunProgress,
    RunSummary,
    Stage,
    StageState,
    StageStatus,
    TailorRequest,
)
from resume_tailor.contracts.run import PIPELINE

STAGE_MESSAGES: dict[Stage, str] = {
    Stage.QUEUED: "Queued",
    Stage.EXTRACTING: "Reading the resume PDF",
    Stage.GENERATING: "Tailoring the resume to the posting",
    Stage.VALIDATING: "Checking every claim against the original",
    Stage.RENDERING: "Rendering the PDF",
    Stage.RECORDING: "Saving the version",
    Stage.COMPLETED: "Done",
    Stage.FAILED: "Failed",
    Stage.CANCELLED: "Cancelled",
}


class ProgressTracker:
    def __init__(self, request: TailorRequest) -> None:
        self.state = RunProgress(
            job_title=request.job.title,
            company=request.job.company,
            generator=request.generator,
            stages=[StageStatus(stage=s) for s in PIPELINE],
        )

    def _bump(self, stage: Stage, message: str) -> None:
        self.state.stage = stage
        self.state.message = message
        self.state.seq += 1

    def _status(self, stage: Stage) -> StageStatus:
        return next(s for s in self.state.stages if s.stage is stage)

    def start(self, stage: Stage, now: datetime, message: str | None = None) -> None:
        status = self._status(stage)
        status.state = StageState.RUNNING
        status.started_at = now
        self._bump(stage, message or STAGE_MESSAGES[stage])

    def finish(self, stage: Stage, now: datetime, attempt: int, detail: str) -> None:
        status = self._status(stage)
        status.state = StageState.DONE
        status.ended_at = now
        status.attempt = attempt
        status.detail = detail
        self._bump(stage, f"{STAGE_MESSAGES[stage]}: {detail}")

    def complete(self, summary: RunSummary) -> None:
        self.state.result = summary
        self._bump(Stage.COMPLETED, "Done: the tailored resume is ready")

    def fail(self, stage: Stage | None, now: datetime, error_type: str | None, message: str) -> None:
        if stage is not None and stage in PIPELINE:
            status = self._status(stage)
            status.state = StageState.FAILED
            status.ended_at = now
            status.detail = message
        self.state.error = RunError(stage=stage, type=error_type, message=message)
        self._bump(Stage.FAILED, message)

    def cancel(self, stage: Stage | None, now: datetime) -> None:
        if stage is not None and stage in PIPELINE:
            status = self._status(stage)
            if status.state is StageState.RUNNING:
                status.state = StageState.CANCELLED
                status.ended_at = now
        where = f" while {stage.value}" if stage is not None and stage in PIPELINE else ""
        self.state.error = RunError(stage=stage, type="Cancelled", message=f"The run was cancelled{where}.")
        self._bump(Stage.CANCELLED, f"Cancelled{where}")
