"""`resume-tailor batch`: tailor one resume to many job postings, a bounded number at a time, and follow it."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from rich.console import Console
from rich.live import Live
from rich.table import Table
from temporalio.client import Client
from temporalio.service import RPCError

from resume_tailor.batches import get_batch_progress, start_batch
from resume_tailor.contracts import GeneratorKind, JobPosting, ValidationPolicy
from resume_tailor.contracts.batch import MAX_BATCH_JOBS, BatchProgress, ChildState
from resume_tailor.job_file import load_job_posting
from resume_tailor.runs import ui_link
from resume_tailor.settings import Settings
from resume_tailor.store import Store, open_store, write_file_atomically

console = Console(stderr=True, soft_wrap=True)


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    batch = sub.add_parser("batch", help="tailor RESUME.pdf to several job postings, N at a time")
    batch.add_argument("resume", type=Path, help="the resume PDF")
    batch.add_argument("jobs", nargs="+", type=Path, help=f"job posting files (at most {MAX_BATCH_JOBS})")
    batch.add_argument("--parallel", type=int, default=4, help="runs at a time (1-20, default 4)")
    batch.add_argument("--generator", choices=[g.value for g in GeneratorKind])
    batch.add_argument("--policy", choices=[p.value for p in ValidationPolicy])
    batch.add_argument("--out-dir", type=Path, help="write each tailored PDF here")
    batch.add_argument("--detach", action="store_true", help="start the batch and return at once")
    return batch


def read_jobs(paths: list[Path]) -> list[JobPosting]:
    if len(paths) > MAX_BATCH_JOBS:
        raise ValueError(f"a batch takes at most {MAX_BATCH_JOBS} job postings, not {len(paths)}")
    jobs = []
    for path in paths:
        if not path.is_file():
            raise ValueError(f"job posting file not found: {path}")
        jobs.append(load_job_posting(path))
    return jobs


async def run_batch(args: argparse.Namespace, settings: Settings, client: Client) -> int:
    jobs = read_jobs(args.jobs)
    if not 1 <= args.parallel <= 20:
        raise ValueError("--parallel must be between 1 and 20")
    store = open_store(settings)
    batch_id = await start_batch(
        client,
        settings,
        store,
        pdf=args.resume.read_bytes(),
        filename=args.resume.name,
        jobs=jobs,
        generator=GeneratorKind(args.generator) if args.generator else None,
        policy=ValidationPolicy(args.policy) if args.policy else None,
        max_parallel=args.parallel,
    )
    console.print(f"Batch [bold]{batch_id}[/]: {len(jobs)} jobs, {args.parallel} at a time")
    console.print(f"Temporal UI: {ui_link(settings, batch_id)}")
    if args.detach:
        print(batch_id)
        return 0
    handle = client.get_workflow_handle(batch_id)
    progress = BatchProgress()
    with Live(console=console, refresh_per_second=4) as live:
        while not progress.done:
            try:
                progress = await get_batch_progress(handle)
            except RPCError:
                live.update("Waiting for a worker to answer…")
            else:
                live.update(_table(progress, settings))
            if not progress.done:
                await asyncio.sleep(0.5)
    if args.out_dir is not None:
        _write_pdfs(progress, store, args.out_dir)
    completed = progress.count(ChildState.COMPLETED)
    console.print(f"{completed} of {len(progress.children)} tailored.")
    return 0 if completed == len(progress.children) else 1


def _table(progress: BatchProgress, settings: Settings) -> Table:
    table = Table("#", "job", "state", "run / error")
    for child in progress.children:
        detail = child.error if child.error else ui_link(settings, child.workflow_id)
        table.add_row(str(child.index + 1), f"{child.job_title} at {child.company or '?'}", child.state.value, detail)
    return table


def _write_pdfs(progress: BatchProgress, store: Store, out_dir: Path) -> None:
    for child in progress.children:
        if child.version_id is None:
            continue
        version = store.get_version(child.version_id)
        pdf = store.get_blob(version.pdf_sha256) if version else None
        if pdf is not None:
            target = out_dir / f"{child.index + 1:02d}-{child.workflow_id}.pdf"
            write_file_atomically(target, pdf)
            console.print(f"Tailored resume: {target}")
