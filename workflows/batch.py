"""`TailorBatchWorkflow`: one resume against many jobs, each a `TailorResumeWorkflow` child, at most
`max_parallel` at a time. A child that fails or is cancelled does not stop the others; the batch reports each."""

from __future__ import annotations

import asyncio

from temporalio import workflow
from temporalio.exceptions import ChildWorkflowError, FailureError, is_cancelled_exception

with workflow.unsafe.imports_passed_through():
    from resume_tailor.contracts.batch import BatchChild, BatchProgress, BatchRequest, ChildState
    from workflows.search_attributes import initial_search_attributes, run_summary
    from workflows.tailor import TailorResumeWorkflow


@workflow.defn(name="TailorBatchWorkflow")
class TailorBatchWorkflow:
    @workflow.init
    def __init__(self, request: BatchRequest) -> None:
        wid = workflow.info().workflow_id
        self._state = BatchProgress(
            children=[
                BatchChild(index=n, workflow_id=f"{wid}-job{n + 1}", job_title=job.title, company=job.company)
                for n, job in enumerate(request.jobs)
            ]
        )

    @workflow.query(name="batch_progress")
    def batch_progress(self) -> BatchProgress:
        return self._state

    @workflow.run
    async def run(self, request: BatchRequest) -> BatchProgress:
        slots = asyncio.Semaphore(request.max_parallel)
        try:
            await asyncio.gather(*(self._child(request, child, slots) for child in self._state.children))
        except asyncio.CancelledError:
            for child in self._state.children:
                if child.state is ChildState.PENDING:
                    self._set(child, ChildState.CANCELLED, error="The batch was cancelled before it started.")
            raise
        self._state.done = True
        self._state.seq += 1
        return self._state

    async def _child(self, request: BatchRequest, child: BatchChild, slots: asyncio.Semaphore) -> None:
        job = request.jobs[child.index]
        async with slots:
            self._set(child, ChildState.RUNNING)
            try:
                summary = await workflow.execute_child_workflow(
                    TailorResumeWorkflow.run,
                    request.request_for(job),
                    id=child.workflow_id,
                    static_summary=run_summary(request.resume_filename, job),
                    search_attributes=initial_search_attributes(job, request.generator),
                )
            except ChildWorkflowError as err:
                # This child failed or was cancelled on its own: record why and let the others go on.
                state = ChildState.CANCELLED if is_cancelled_exception(err) else ChildState.FAILED
                cause = err.cause
                self._set(child, state, error=cause.message if isinstance(cause, FailureError) else str(err))
                return
            except asyncio.CancelledError:
                # The batch itself is cancelled: its children are cancelled with it.
                self._set(child, ChildState.CANCELLED, error="The batch was cancelled.")
                raise
            self._set(child, ChildState.COMPLETED, version_id=summary.version_id)

    def _set(
        self, child: BatchChild, state: ChildState, *, error: str | None = None, version_id: str | None = None
    ) -> None:
        child.state = state
        child.error = error
        child.version_id = version_id
        self._state.seq += 1
