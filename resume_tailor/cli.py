"""`resume-tailor`: run the embedded stack, start and follow tailoring runs, inspect and cancel them."""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle
from temporalio.service import RPCError, RPCStatusCode

from resume_tailor.contracts import GeneratorKind, JobPosting, ValidationPolicy
from resume_tailor.display import plain_line, render_progress
from resume_tailor.follow import follow_and_save
from resume_tailor.job_file import load_job_posting, parse_job_posting
from resume_tailor.runs import follow, generate_heartbeat, get_progress, start_run, ui_link
from resume_tailor.settings import Settings, load_settings
from resume_tailor.stack import EmbeddedStack
from resume_tailor.store import open_store
from resume_tailor.temporal import connect

console = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

EXIT_OK, EXIT_RUN_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    settings = load_settings()
    try:
        code = asyncio.run(args.handler(args, settings))
    except UsageError as exc:
        console.print(f"[red]error:[/] {exc}")
        code = EXIT_USAGE
    except KeyboardInterrupt:
        code = 130
    # Exit without interpreter finalisation: the Temporal client's Rust threads can still call back into Python
    # while it tears down, which aborts the process ("PyGILState_Release ... finalizing") after the work is done.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="resume-tailor", description=__doc__)
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    up = sub.add_parser("up", help="embedded Temporal server (unless TEMPORAL_ADDRESS is set) + worker + web app")
    up.add_argument("--no-web", action="store_true", help="do not serve the web app")
    up.set_defaults(handler=cmd_up)

    web = sub.add_parser("web", help="serve the web app only (TAILOR_API_HOST:TAILOR_API_PORT)")
    web.set_defaults(handler=cmd_web)

    worker = sub.add_parser("worker", help="run a worker against TEMPORAL_ADDRESS (default localhost:7233)")
    worker.add_argument(
        "--role",
        choices=["all", "workflow", "model", "cpu"],
        default="all",
        help="which queues to serve when TAILOR_MODEL_TASK_QUEUE / TAILOR_CPU_TASK_QUEUE split them (default all)",
    )
    worker.set_defaults(handler=cmd_worker)

    tailor = sub.add_parser("tailor", help="tailor RESUME.pdf to JOB.md and follow the run")
    tailor.add_argument("resume", type=Path, help="the resume PDF")
    tailor.add_argument("job", help="job posting file (markdown; optional front matter), or - for stdin")
    tailor.add_argument("--title", help="job title (overrides the posting file's)")
    tailor.add_argument("--company", help="company (overrides the posting file's)")
    tailor.add_argument("--generator", choices=[g.value for g in GeneratorKind])
    tailor.add_argument("--model", help="model for the claude generator")
    tailor.add_argument("--policy", choices=[p.value for p in ValidationPolicy], help="unsupported claims policy")
    tailor.add_argument("--out", type=Path, help="where to write the tailored PDF")
    tailor.add_argument("--detach", action="store_true", help="start the run and return at once")
    tailor.set_defaults(handler=cmd_tailor)

    attach = sub.add_parser("attach", help="follow a run started earlier")
    attach.add_argument("id", help="workflow ID")
    attach.add_argument("--out", type=Path, help="where to write the tailored PDF")
    attach.set_defaults(handler=cmd_attach)

    status = sub.add_parser("status", help="show a run's progress")
    status.add_argument("id", help="workflow ID")
    status.add_argument("--json", action="store_true", help="print the progress query's JSON")
    status.set_defaults(handler=cmd_status)

    cancel = sub.add_parser("cancel", help="cancel a run (kills its generator process)")
    cancel.add_argument("id", help="workflow ID")
    cancel.set_defaults(handler=cmd_cancel)

    from resume_tailor import cli_batch

    cli_batch.add_parser(sub).set_defaults(handler=cmd_batch)

    demo = sub.add_parser("demo", help="start the embedded stack and tailor the bundled example")
    demo.add_argument("--out", type=Path, default=Path("tailored-example.pdf"))
    demo.add_argument("--exit", action="store_true", help="stop the stack when the run ends")
    demo.set_defaults(handler=cmd_demo)
    return parser


async def _client(settings: Settings) -> Client:
    try:
        return await connect(settings)
    except RuntimeError as exc:
        raise UsageError(
            f"cannot reach Temporal ({exc}). Start the stack with `resume-tailor up`, or set TEMPORAL_ADDRESS."
        ) from None


async def cmd_up(args: argparse.Namespace, settings: Settings) -> int:
    async with EmbeddedStack(settings, web=not args.no_web) as stack:
        stop = _interrupt_event()  # before the prompt, so an immediate Ctrl-C is handled too
        for line in stack.describe():
            out.print(line)
        out.print("Press Ctrl-C to stop.")
        await stop.wait()
        console.print("Stopping…")
    return EXIT_OK


async def cmd_web(args: argparse.Namespace, settings: Settings) -> int:
    from api.serve import WebApp

    app = WebApp(settings)
    stop = _interrupt_event()
    await app.start()
    out.print(f"Web app: {app.url}  (Ctrl-C to stop)")
    await stop.wait()
    await app.stop()
    return EXIT_OK


async def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from resume_tailor.telemetry import configure_logging
    from resume_tailor.worker import WorkerRole, run_worker

    configure_logging(settings)
    role = WorkerRole(args.role)
    queues = [settings.task_queue, settings.model_task_queue, settings.cpu_task_queue]
    console.print(f"Worker ({role.value}); queues {', '.join(q for q in queues if q)}; Ctrl-C to stop.")
    if settings.metrics_port is not None:
        console.print(f"Metrics: http://{settings.metrics_host}:{settings.metrics_port}/metrics")
    try:
        await run_worker(settings, role)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return EXIT_OK


def _read_job(args: argparse.Namespace) -> JobPosting:
    try:
        if args.job == "-":
            job = parse_job_posting(sys.stdin.read(), source="standard input")
        else:
            path = Path(args.job)
            if not path.is_file():
                raise UsageError(f"job posting file not found: {path}")
            job = load_job_posting(path)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    updates = {k: v for k, v in (("title", args.title), ("company", args.company)) if v}
    return job.model_copy(update=updates) if updates else job


def _read_resume(path: Path, settings: Settings) -> bytes:
    if not path.is_file():
        raise UsageError(f"resume file not found: {path}")
    size = path.stat().st_size
    if size > settings.max_pdf_bytes:
        raise UsageError(f"{path} is {size / 1e6:.1f} MB; the limit is {settings.max_pdf_bytes / 1e6:.1f} MB")
    return path.read_bytes()


async def cmd_tailor(args: argparse.Namespace, settings: Settings) -> int:
    job = _read_job(args)
    pdf = _read_resume(args.resume, settings)
    client = await _client(settings)
    store = open_store(settings)
    started = await start_run(
        client,
        settings,
        store,
        pdf=pdf,
        filename=args.resume.name,
        job=job,
        generator=GeneratorKind(args.generator) if args.generator else None,
        model=args.model,
        policy=ValidationPolicy(args.policy) if args.policy else None,
    )
    verb = "Attached to the open run" if started.attached else "Started run"
    console.print(f"{verb} [bold]{started.workflow_id}[/]")
    console.print(f"Temporal UI: {ui_link(settings, started.workflow_id, started.run_id)}")
    if args.detach:
        out.print(started.workflow_id)
        return EXIT_OK
    out_path = args.out or Path(f"{args.resume.stem}-tailored-{_slug(job.company or job.title)}.pdf")
    return await follow_and_save(client, settings, store, started.workflow_id, out_path)


async def cmd_attach(args: argparse.Namespace, settings: Settings) -> int:
    client = await _client(settings)
    handle = client.get_workflow_handle(args.id)
    await _describe_or_fail(handle)
    return await follow_and_save(client, settings, open_store(settings), args.id, args.out)


async def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    client = await _client(settings)
    handle = client.get_workflow_handle(args.id)
    status = await _describe_or_fail(handle)
    try:
        progress = await asyncio.wait_for(get_progress(handle), 10)
    except (RPCError, TimeoutError) as exc:
        raise UsageError(
            f"run {args.id} is {status.name.lower()}, but no worker answered its progress ({exc})"
        ) from None
    if args.json:
        out.print_json(progress.model_dump_json())
    else:
        out.print(render_progress(progress, await generate_heartbeat(handle)))
        if progress.error:
            out.print(f"[red]{progress.error.message}[/]")
        if progress.result:
            out.print(f"PDF: {progress.result.pdf_path}")
        out.print(f"Temporal UI: {ui_link(settings, args.id)}")
    return EXIT_OK


async def cmd_batch(args: argparse.Namespace, settings: Settings) -> int:
    from resume_tailor.cli_batch import run_batch

    if not args.resume.is_file():
        raise UsageError(f"resume file not found: {args.resume}")
    client = await _client(settings)
    try:
        return await run_batch(args, settings, client)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


async def cmd_cancel(args: argparse.Namespace, settings: Settings) -> int:
    client = await _client(settings)
    handle = client.get_workflow_handle(args.id)
    status = await _describe_or_fail(handle)
    if status != WorkflowExecutionStatus.RUNNING:
        console.print(f"Run {args.id} is already {status.name.lower()}.")
        return EXIT_OK
    await handle.cancel()
    console.print(f"Cancel requested for {args.id}; waiting for it to stop…")
    async for progress in follow(handle):
        if progress.is_terminal:
            console.print(plain_line(progress))
    return EXIT_OK


async def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from examples.build_example import build_example_pdf

    examples = Path(__file__).resolve().parent.parent / "examples"
    resume = settings.data_path / "example-resume.pdf"
    build_example_pdf(resume)
    job = load_job_posting(examples / "job_posting.md")
    async with EmbeddedStack(settings, web=not args.exit) as stack:
        for line in stack.describe():
            console.print(line)
        store = open_store(settings)
        started = await start_run(
            stack.client,
            settings,
            store,
            pdf=resume.read_bytes(),
            filename="example-resume.pdf",
            job=job,
            generator=GeneratorKind.OFFLINE,
        )
        code = await follow_and_save(stack.client, settings, store, started.workflow_id, args.out)
        out.print(f"Run ID:      {started.workflow_id}")
        out.print(f"Temporal UI: {ui_link(settings, started.workflow_id, started.run_id)}")
        if code == EXIT_OK:
            out.print(f"Output PDF:  {args.out.resolve()}")
        if not args.exit and sys.stdin.isatty():
            stop = _interrupt_event()
            out.print("The stack keeps running so you can explore the Temporal UI; press Ctrl-C to stop.")
            await stop.wait()
    return code


async def _describe_or_fail(handle: WorkflowHandle) -> WorkflowExecutionStatus:
    try:
        description = await handle.describe()
    except RPCError as err:
        if err.status == RPCStatusCode.NOT_FOUND:
            raise UsageError(f"no run with ID {handle.id}") from None
        raise
    assert description.status is not None
    return description.status


def _interrupt_event() -> asyncio.Event:
    """An event set by SIGINT or SIGTERM (handled in the loop, so Ctrl-C becomes a clean shutdown)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "job"


if __name__ == "__main__":
    main()
