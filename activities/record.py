"""Stage 5, record: store the version and export its PDF. Activities run at least once, so this is idempotent:
the version row is keyed by the workflow run, the PDF is content-addressed, and the exported file is written to a
temp file and renamed, so a retried or crashed attempt never leaves a duplicate or half a file."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.heartbeat import current_attempt, log_stage
from resume_tailor.contracts import RecordInput, RecordResult
from resume_tailor.settings import Settings
from resume_tailor.store import Store, VersionRecord, write_file_atomically


class RecordActivities:
    def __init__(self, settings: Settings, store: Store) -> None:
        self._settings = settings
        self._store = store

    @activity.defn(name="record_version")
    async def record_version(self, input: RecordInput) -> RecordResult:
        return await asyncio.to_thread(self._record, input)

    def _record(self, input: RecordInput) -> RecordResult:
        pdf = self._store.get_blob(input.render.pdf_sha256)
        if pdf is None:
            # Rendering stored it first; a missing blob means the store was reset under a running workflow.
            raise ApplicationError(
                f"Rendered PDF {input.render.pdf_sha256[:12]} is missing from the store.", type="PdfMissing"
            )
        version_id = input.run_id  # one version per workflow run
        path = self._settings.versions_dir / f"{version_id}.pdf"
        if not (path.exists() and path.stat().st_size == len(pdf)):
            write_file_atomically(path, pdf)
        stored = self._store.record_version(
            VersionRecord(
                version_id=version_id,
                workflow_id=input.workflow_id,
                run_id=input.run_id,
                job_title=input.job.title,
                company=input.job.company,
                resume_sha256=input.resume_sha256,
                generator=input.generate.generator.value,
                model=input.generate.model,
                pdf_sha256=input.render.pdf_sha256,
                pdf_path=str(path),
                page_count=input.render.page_count,
                validation_json=input.validation.model_dump_json(),
                created_at=_utc_now(),
                resume_json=input.resume.model_dump_json() if input.resume else None,
            )
        )
        attempt = current_attempt()
        log_stage("Recorded version %s (%s)", stored.version_id, stored.pdf_path)
        return RecordResult(version_id=stored.version_id, pdf_path=stored.pdf_path, attempt=attempt)


def _utc_now() -> str:
    return datetime.now(UTC).isoformat()
