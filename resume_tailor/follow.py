"""Following a run in the terminal: a live table until it ends, Ctrl-C asks whether to cancel or detach, and the
tailored PDF is written out when it completes."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from pathlib import Path

from rich.console import Console
from rich.live import Live
from temporalio.client import Client, WorkflowHandle
from temporalio.service import RPCError

from resume_tailor.contracts import RunProgress
from resume_tailor.display import render_progress
from resume_tailor.runs import generate_heartbeat, get_progress
from resume_tailor.settings import Settings
from resume_tailor.store import Store, write_file_atomically

console = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

EXIT_OK, EXIT_RUN_FAILED = 0, 1


async def follow_and_save(
    client: Client, settings: Settings, store: Store, workflow_id: str, out_path: Path | None
) -> int:
    handle = client.get_workflow_handle(workflow_id)
    final = await _follow_live(handle)
    console.print()  # end the live display's last line before the report
    if final is None:
        console.print(f"Detached. Follow it again with: resume-tailor attach {workflow_id}")
        return EXIT_OK
    if final.error is not None or final.result is None:
        message = final.error.message if final.error else final.message
        console.print(f"[red]Run {final.stage.value}:[/] {message}")
        return EXIT_RUN_FAILED
    result = final.result
    pdf = store.get_blob(result.pdf_sha256)
    if pdf is None:
        console.print(f"[red]The tailored PDF {result.pdf_sha256[:12]} is not in this machine's store.[/]")
        return EXIT_RUN_FAILED
    target = out_path or Path(result.pdf_path)
    if target.resolve() != Path(result.pdf_path).resolve():
        write_file_atomically(target, pdf)
    out.print(f"Tailored resume: {target}")
    if result.unsupported_count:
        out.print(f"Validation: {result.unsupported_count} unsupported claim(s), {result.removed_count} removed.")
    else:
        out.print("Validation: every claim is supported by the original.")
    coverage = result.coverage
    out.print(
        f"Keywords: the original covers {len(coverage.covered_by_original)} of {len(coverage.posting_terms)} key "
        f"terms of the posting; the tailored version surfaces {len(coverage.surfaced_in_tailored)}."
    )
    for warning in result.warnings:
        out.print(f"[yellow]Warning:[/] {warning}")
    return EXIT_OK


async def _follow_live(handle: WorkflowHandle) -> RunProgress | None:
    """Follow until the run ends; on Ctrl-C ask whether to cancel or detach. None means detached."""
    interrupted = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGINT, interrupted.set)
    try:
        while True:
            final = await _watch(handle, interrupted)
            if final is not None:
                return final
            interrupted.clear()
            answer = await _ask("\nCancel the run (c) or detach and leave it running (d)? [c/d] ")
            if answer.startswith("c"):
                await handle.cancel()
                console.print("Cancel requested; waiting for the run to stop…")
            elif answer.startswith("d") or answer == "":
                return None
    finally:
        loop.remove_signal_handler(signal.SIGINT)


async def _watch(handle: WorkflowHandle, interrupted: asyncio.Event) -> RunProgress | None:
    progress: RunProgress | None = None
    waiting_since = loop_time = asyncio.get_running_loop().time()
    with Live(console=console, refresh_per_second=8, transient=False) as live:
        while not interrupted.is_set():
            try:
                progress = await asyncio.wait_for(get_progress(handle), 5)
            except (RPCError, TimeoutError):
                live.update("Waiting for a worker to answer… (is `resume-tailor up` or `worker` running?)")
                await _sleep_or(interrupted, 1.0)
                continue
            heartbeat = await generate_heartbeat(handle) if progress.stage.value == "generating" else None
            live.update(render_progress(progress, heartbeat))
            if progress.is_terminal:
                return progress
            loop_time = asyncio.get_running_loop().time()
            if progress.stage.value == "queued" and loop_time - waiting_since > 5:
                live.update("Queued: no worker has picked the run up yet (is `resume-tailor up` running?)")
            await _sleep_or(interrupted, 0.25)
    return None


async def _sleep_or(event: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), seconds)


async def _ask(prompt: str) -> str:
    def read() -> str:
        try:
            return input(prompt).strip().lower()
        except EOFError:
            return "d"

    return await asyncio.to_thread(read)
