"""The terminal progress display of `resume-tailor tailor` and `attach`: a live table of the stages."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.console import Group
from rich.table import Table
from rich.text import Text

from resume_tailor.contracts import GenerateHeartbeat, RunProgress, Stage, StageState

_ICONS = {
    StageState.PENDING: "·",
    StageState.RUNNING: "▶",
    StageState.DONE: "✓",
    StageState.FAILED: "✗",
    StageState.CANCELLED: "■",
}


def render_progress(progress: RunProgress, heartbeat: GenerateHeartbeat | None = None) -> Group:
    table = Table.grid(padding=(0, 2))
    table.add_column(width=1)
    table.add_column(min_width=11)
    table.add_column(justify="right", min_width=7)
    table.add_column()
    for status in progress.stages:
        elapsed = ""
        if status.started_at is not None:
            end = status.ended_at or datetime.now(UTC)
            elapsed = f"{(end - status.started_at).total_seconds():.1f} s"
        detail = status.detail or ""
        if status.state is StageState.RUNNING and status.stage is Stage.GENERATING and heartbeat is not None:
            detail = f"{heartbeat.elapsed_seconds:.0f} s elapsed, {heartbeat.bytes_received:,} bytes received"
        if status.attempt and status.attempt > 1:
            detail += f" (attempt {status.attempt})"
        table.add_row(_ICONS[status.state], status.stage.value, elapsed, detail)
    header = Text(f"{progress.job_title} at {progress.company or 'unknown company'} — {progress.message}")
    return Group(header, table)


def plain_line(progress: RunProgress) -> str:
    return f"[{progress.seq:>3}] {progress.stage.value:<11} {progress.message}"
