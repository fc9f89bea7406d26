"""`TailorResumeWorkflow`: extract -> generate -> validate -> render -> record, each a heartbeating activity.

Orchestration only: no I/O, no clocks but `workflow.now()`. The `progress` query is the one source of truth for
every client. Cancelling the workflow cancels the running activity and waits (WAIT_CANCELLATION_COMPLETED) until
the activity confirms it has stopped, i.e. until the generator's process group is gone.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, FailureError, is_cancelled_exception

with workflow.unsafe.imports_passed_through():
    from pydantic import BaseModel

    from resume_tailor.contracts import (
        ExtractInput,
        ExtractResult,
        GenerateInput,
        GenerateResult,
        RecordInput,
        RecordResult,
        RenderInput,
        RenderResult,
        RunProgress,
        RunSummary,
        Stage,
        TailorRequest,
        ValidateInput,
        ValidateResult,
    )
    from workflows.progress import ProgressTracker
    from workflows.search_attributes import TAILOR_STAGE

R = TypeVar("R", bound=BaseModel)

_HEARTBEAT_TIMEOUT = timedelta(seconds=5)


class _StageOptions:
    def __init__(self, activity: str, start_to_close: timedelta, attempts: int) -> None:
        self.activity = activity
        self.start_to_close = start_to_close
        self.attempts = attempts

    def retry(self, attempts: int | None = None) -> RetryPolicy:
        return RetryPolicy(
            initial_interval=timedelta(milliseconds=500),
            backoff_coefficient=2.0,
            maximum_interval=timedelta(seconds=10),
            maximum_attempts=attempts or self.attempts,
        )


STAGES: dict[Stage, _StageOptions] = {
    Stage.EXTRACTING: _StageOptions("extract_resume_text", timedelta(minutes=2), 3),
    # The activity enforces the generator's own wall-clock limit; this bound only catches a stuck worker.
    Stage.GENERATING: _StageOptions("generate_tailored_resume", timedelta(minutes=30), 3),
    Stage.VALIDATING: _StageOptions("validate_against_original", timedelta(minutes=1), 3),
    Stage.RENDERING: _StageOptions("render_resume_pdf", timedelta(minutes=2), 3),
    Stage.RECORDING: _StageOptions("record_version", timedelta(minutes=1), 5),
}


@workflow.defn(name="TailorResumeWorkflow")
class TailorResumeWorkflow:
    @workflow.init
    def __init__(self, request: TailorRequest) -> None:
        self._request = request
        self._tracker = ProgressTracker(request)
        self._current: Stage | None = None

    @workflow.query(name="progress")
    def progress(self) -> RunProgress:
        return self._tracker.state

    @workflow.run
    async def run(self, request: TailorRequest) -> RunSummary:
        try:
            return await self._pipeline(request)
        except ActivityError as err:
            if is_cancelled_exception(err):
                self._cancelled()
                raise
            cause = err.cause
            error_type = cause.type if isinstance(cause, ApplicationError) else type(cause).__name__
            message = cause.message if isinstance(cause, FailureError) else err.message
            self._failed(error_type, message)
            raise ApplicationError(message, type=error_type, non_retryable=True) from err
        except asyncio.CancelledError:
            self._cancelled()
            raise

    async def _pipeline(self, request: TailorRequest) -> RunSummary:
        info = workflow.info()
        extract = await self._stage(
            Stage.EXTRACTING,
            ExtractInput(resume_sha256=request.resume_sha256),
            ExtractResult,
            f"Extract text from {request.resume_filename}",
        )
        self._finish(Stage.EXTRACTING, extract.attempt, _extract_detail(extract))

        generate = await self._stage(
            Stage.GENERATING,
            GenerateInput(
                resume_markdown=extract.markdown,
                job=request.job,
                generator=request.generator,
                model=request.model,
            ),
            GenerateResult,
            f"Tailor with the {request.generator.value} generator",
        )
        self._finish(
            Stage.GENERATING,
            generate.attempt,
            f"{generate.generator.value} generator, {generate.elapsed_seconds:.1f} s",
        )

        validate = await self._stage(
            Stage.VALIDATING,
            ValidateInput(
                original_markdown=extract.markdown,
                resume=generate.resume,
                job=request.job,
                policy=request.validation_policy,
            ),
            ValidateResult,
            f"Check claims against the original ({request.validation_policy.value} policy)",
        )
        self._finish(Stage.VALIDATING, validate.attempt, _validate_detail(validate))

        render = await self._stage(
            Stage.RENDERING,
            RenderInput(resume=validate.resume),
            RenderResult,
            "Render the PDF and read it back",
        )
        self._finish(
            Stage.RENDERING,
            render.attempt,
            f"{render.page_count} page(s), {render.bullets_checked} bullets read back in order",
        )

        record = await self._stage(
            Stage.RECORDING,
            RecordInput(
                workflow_id=info.workflow_id,
                run_id=info.run_id,
                job=request.job,
                resume_sha256=request.resume_sha256,
                generate=generate,
                validation=validate.report,
                render=render,
                resume=validate.resume,
            ),
            RecordResult,
            "Record the version",
        )
        self._finish(Stage.RECORDING, record.attempt, f"version {record.version_id}")

        report = validate.report
        summary = RunSummary(
            version_id=record.version_id,
            pdf_sha256=render.pdf_sha256,
            pdf_path=record.pdf_path,
            page_count=render.page_count,
            generator=generate.generator,
            model=generate.model,
            validation_passed=report.passed,
            unsupported_count=len(report.unsupported),
            removed_count=sum(1 for c in report.unsupported if c.action == "removed"),
            coverage=report.coverage,
            warnings=extract.warnings,
        )
        self._tracker.complete(summary)
        self._publish(Stage.COMPLETED)
        return summary

    async def _stage(self, stage: Stage, arg: BaseModel, result_type: type[R], summary: str) -> R:
        options = STAGES[stage]
        self._current = stage
        self._tracker.start(stage, workflow.now())
        self._publish(stage)
        result: Any = await workflow.execute_activity(
            options.activity,
            arg,
            task_queue=self._queue_for(stage),
            result_type=result_type,
            start_to_close_timeout=options.start_to_close,
            heartbeat_timeout=_HEARTBEAT_TIMEOUT,
            # Generation is retried for unusable output; how often is the user's call (TAILOR_GENERATOR_ATTEMPTS).
            retry_policy=options.retry(self._request.generator_attempts if stage is Stage.GENERATING else None),
            cancellation_type=workflow.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
            summary=summary,
        )
        return result

    def _queue_for(self, stage: Stage) -> str | None:
        """Model calls and CPU-bound stages may have queues of their own, so neither can starve the other."""
        queues = self._request.queues
        if stage is Stage.GENERATING:
            return queues.model
        if stage in (Stage.EXTRACTING, Stage.RENDERING):
            return queues.cpu
        return None

    def _finish(self, stage: Stage, attempt: int, detail: str) -> None:
        self._tracker.finish(stage, workflow.now(), attempt, detail)

    def _failed(self, error_type: str | None, message: str) -> None:
        self._tracker.fail(self._current, workflow.now(), error_type, message)
        self._publish(Stage.FAILED)

    def _cancelled(self) -> None:
        self._tracker.cancel(self._current, workflow.now())
        self._publish(Stage.CANCELLED)

    def _publish(self, stage: Stage) -> None:
        """Mirror the stage into the Web UI: a search attribute to filter on and the current-details panel."""
        workflow.upsert_search_attributes([TAILOR_STAGE.value_set(stage.value)])
        state = self._tracker.state
        lines = [f"**{state.message}**", ""]
        for status in state.stages:
            detail = f" — {status.detail}" if status.detail else ""
            lines.append(f"- {status.stage.value}: {status.state.value}{detail}")
        workflow.set_current_details("\n".join(lines))


def _extract_detail(extract: ExtractResult) -> str:
    detail = f"{extract.page_count} page(s), {extract.char_count:,} characters"
    return detail + (f"; {len(extract.warnings)} warning(s)" if extract.warnings else "")


def _validate_detail(validate: ValidateResult) -> str:
    report = validate.report
    if not report.unsupported:
        return f"passed: {report.checked_claims} claims checked"
    removed = sum(1 for c in report.unsupported if c.action == "removed")
    if removed:
        return f"{removed} unsupported claim(s) removed of {report.checked_claims} checked"
    return f"{len(report.unsupported)} unsupported claim(s) reported of {report.checked_claims} checked"
