"""Stage 2, generate: turn the original resume and the posting into a `TailoredResume`.

Three generators: the `claude` CLI (print mode, JSON output, the contract's JSON Schema, no tools), any `command`
(prompt on stdin, JSON on stdout) and the built-in `offline` one. Model CLIs run through `cli_runner`, which owns
the process group: cancelling this activity kills the CLI and everything it spawned before the cancel completes.
"""

from __future__ import annotations

import asyncio
import json
import shlex
import shutil
import time
from pathlib import Path

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.cli_runner import CliOutputTooLarge, CliTimeout, run_cli
from activities.generator_output import GeneratorOutputError, parse_generator_output
from activities.heartbeat import current_attempt, heartbeat, heartbeating, log_stage
from activities.offline_generator import generate_offline
from activities.prompt import build_prompt
from resume_tailor.contracts import (
    GenerateHeartbeat,
    GenerateInput,
    GenerateResult,
    GeneratorKind,
    TailoredResume,
    tailored_resume_json_schema,
)
from resume_tailor.settings import Settings


class GenerateActivities:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    @activity.defn(name="generate_tailored_resume")
    async def generate_tailored_resume(self, input: GenerateInput) -> GenerateResult:
        started = time.monotonic()
        log_stage("Generating with the %s generator", input.generator.value)
        if input.generator is GeneratorKind.OFFLINE:
            async with heartbeating():
                resume = await asyncio.to_thread(generate_offline, input.resume_markdown, input.job)
        else:
            resume = await self._run_model_cli(input)
        return GenerateResult(
            resume=resume,
            generator=input.generator,
            model=input.model if input.generator is GeneratorKind.CLAUDE else None,
            elapsed_seconds=round(time.monotonic() - started, 3),
            attempt=current_attempt(),
        )

    def command_line(self, input: GenerateInput) -> list[str]:
        """The argv for a model generator; raises a non-retryable error naming the setting to fix."""
        settings = self._settings
        if input.generator is GeneratorKind.CLAUDE:
            exe = shutil.which(settings.claude_bin)
            if exe is None:
                raise ApplicationError(
                    f"The claude CLI was not found (TAILOR_CLAUDE_BIN={settings.claude_bin!r}). Install it, set "
                    "TAILOR_CLAUDE_BIN to its path, or use the offline generator (TAILOR_GENERATOR=offline).",
                    type="GeneratorNotFound",
                    non_retryable=True,
                )
            argv = [exe, "-p", "--output-format", "json", "--tools", ""]
            argv += ["--json-schema", json.dumps(tailored_resume_json_schema(), separators=(",", ":"))]
            model = input.model or settings.model
            return [*argv, "--model", model] if model else argv
        if not settings.generator_command:
            raise ApplicationError(
                "The command generator needs a command line: set TAILOR_GENERATOR_COMMAND "
                "(it gets the prompt on stdin and prints the resume JSON on stdout).",
                type="GeneratorNotConfigured",
                non_retryable=True,
            )
        argv = shlex.split(settings.generator_command)
        if shutil.which(argv[0]) is None:
            raise ApplicationError(
                f"The generator command {argv[0]!r} was not found; fix TAILOR_GENERATOR_COMMAND.",
                type="GeneratorNotFound",
                non_retryable=True,
            )
        return argv

    async def _run_model_cli(self, input: GenerateInput) -> TailoredResume:
        argv = self.command_line(input)
        prompt = build_prompt(input.resume_markdown, input.job).encode()
        settings = self._settings
        try:
            result = await run_cli(
                argv,
                prompt,
                timeout_seconds=settings.generator_timeout_seconds,
                grace_seconds=settings.kill_grace_seconds,
                on_tick=_report,
                pid_file=self._pid_file(),
            )
        except CliTimeout as exc:
            raise ApplicationError(
                f"The generator did not finish within {exc.seconds:g} s (TAILOR_GENERATOR_TIMEOUT_SECONDS); "
                "it was stopped.",
                type="GeneratorTimeout",
                non_retryable=True,
            ) from None
        except CliOutputTooLarge as exc:
            raise ApplicationError(str(exc), type="GeneratorOutputTooLarge") from None
        try:
            return parse_generator_output(result.stdout, result.returncode, result.stderr_tail)
        except GeneratorOutputError as exc:
            attempt = current_attempt()
            raise ApplicationError(
                f"{exc} (attempt {attempt})",
                type="InvalidGeneratorOutput",
                non_retryable=not exc.retryable,
            ) from None

    def _pid_file(self) -> Path | None:
        if not activity.in_activity():
            return None
        info = activity.info()
        safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in f"{info.workflow_id}-{info.activity_id}")
        return self._settings.data_path / "run" / f"{safe}.pgid"


def _report(tick: GenerateHeartbeat) -> None:
    heartbeat(tick)
