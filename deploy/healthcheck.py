"""Container health check of the resume-tailor image: `python healthcheck.py [web | worker [--role ROLE]]`.

Without arguments it checks whatever the container runs, read from the command line of its `resume-tailor`
process, so the Dockerfile's single HEALTHCHECK fits `web` and every worker role. Exit status 0 means healthy, 1
not (the reason on stderr), as Docker expects.

- web: the app answers `GET /api/runs/stream-stats` (a route that needs neither Temporal nor the database) with
  200, asked with a Host header it serves (the first of TAILOR_ALLOWED_HOSTS).
- worker: Temporal lists a poller from this container on one of the role's task queues. The SDK names a worker
  `<pid>@<hostname>`, and the hostname is the container's own. That proves more than a live process: the worker
  reached the frontend, found its namespace and is polling. Known limit: Temporal forgets a poller about five
  minutes after its last poll, and a worker whose slots are all taken does not poll, so a role whose every slot
  has been stuck on one task for that long reads as unhealthy.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest

from resume_tailor.settings import Settings, load_settings
from resume_tailor.temporal import connect

ROLES = ("all", "workflow", "model", "cpu")  # `resume-tailor worker --role`
TIMEOUT = timedelta(seconds=8)


def check_web(settings: Settings) -> str | None:
    """None when the web app answers, else why not."""
    address = "127.0.0.1" if settings.api_host in ("0.0.0.0", "") else settings.api_host
    host = settings.allowed_hosts[0] if settings.allowed_hosts else "localhost"
    request = urllib.request.Request(
        f"http://{address}:{settings.api_port}/api/runs/stream-stats", headers={"Host": f"{host}:{settings.api_port}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT.total_seconds()) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError as exc:
        return f"the web app does not answer on {address}:{settings.api_port}: {exc}"
    return None if status == 200 else f"the web app answered HTTP {status}"


def role_queues(settings: Settings, role: str) -> list[str]:
    """The task queues a worker of `role` polls (the same split as `resume_tailor.worker.build_workers`)."""
    queues = {"workflow": settings.task_queue, "model": settings.model_task_queue, "cpu": settings.cpu_task_queue}
    wanted = list(queues) if role == "all" else [role]
    return [q for name, q in queues.items() if name in wanted and q]


async def check_worker(settings: Settings, role: str) -> str | None:
    """None when Temporal lists a poller from this host on one of the role's queues, else why not."""
    if role not in ROLES:
        return f"unknown worker role {role!r}"
    queues = role_queues(settings, role)
    if not queues:
        return f"role {role!r} has no task queue configured"
    try:
        client = await asyncio.wait_for(connect(settings), TIMEOUT.total_seconds())
        suffix = f"@{socket.gethostname()}"
        for queue in queues:
            for kind in (TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY):
                request = DescribeTaskQueueRequest(
                    namespace=client.namespace, task_queue=TaskQueue(name=queue), task_queue_type=kind
                )
                described = await client.workflow_service.describe_task_queue(request, timeout=TIMEOUT)
                if any(poller.identity.endswith(suffix) for poller in described.pollers):
                    return None
    except Exception as exc:  # any failure to ask is a failed check, with its reason
        return f"cannot ask Temporal about the worker: {exc!r}"
    return f"no worker from {socket.gethostname()} polls {', '.join(queues)}"


def command_of_running_app(proc: Path = Path("/proc")) -> list[str] | None:
    """The arguments after `resume-tailor` of the first process in this container that runs it, if any."""
    for entry in sorted(proc.iterdir(), key=lambda p: p.name.zfill(12)):
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        args = parse_app_command([a.decode(errors="replace") for a in argv if a])
        if args is not None:
            return args
    return None


def parse_app_command(argv: Sequence[str]) -> list[str] | None:
    """`[..., /opt/venv/bin/resume-tailor, worker, --role, cpu]` -> `[worker, --role, cpu]`; None if not ours."""
    for index, arg in enumerate(argv):
        if Path(arg).name == "resume-tailor" or arg == "resume_tailor.cli":
            return list(argv[index + 1 :])
    return None


def what_to_check(argv: Sequence[str]) -> tuple[str, str] | None:
    """("web", "") or ("worker", role) for a `resume-tailor` command line; None for one-shot commands."""
    if not argv or argv[0] not in ("web", "worker", "up"):
        return None  # `tailor`, `status`, ...: nothing long-running to check
    if argv[0] == "up":  # the embedded stack: its web app, unless it was turned off
        return ("worker", "all") if "--no-web" in argv else ("web", "")
    if argv[0] == "web":
        return ("web", "")
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--role", default="all")
    args, _ = parser.parse_known_args(argv[1:])
    return ("worker", str(args.role))


def run(argv: Sequence[str]) -> str | None:
    """None when healthy, else the reason."""
    command = list(argv) or command_of_running_app()
    if command is None:
        return "no resume-tailor process runs in this container"
    check = what_to_check(command)
    if check is None:
        return None
    settings = load_settings()
    kind, role = check
    if kind == "web":
        return check_web(settings)
    return asyncio.run(check_worker(settings, role))


def main() -> None:
    problem = run(sys.argv[1:])
    if problem is not None:
        print(f"unhealthy: {problem}", file=sys.stderr)
    # Exit without interpreter finalisation, as the CLI does: the Temporal client's Rust threads can call back into
    # Python while it tears down and abort the process, and Docker must see 0 or 1, nothing else.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0 if problem is None else 1)


if __name__ == "__main__":
    main()
