"""Reading what a generator command printed: the contract JSON itself, or the `claude -p --output-format json`
envelope around it. The exit code alone decides nothing: `claude` can exit 0 with `is_error: true`, and a
wrapper script can exit non-zero after printing a valid result."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from resume_tailor.contracts import TailoredResume

_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.DOTALL)


class GeneratorOutputError(Exception):
    """Output that cannot be used; `retryable` is False when another attempt cannot help."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


def parse_generator_output(stdout: bytes, returncode: int, stderr_tail: bytes = b"") -> TailoredResume:
    text = stdout.decode("utf-8", errors="replace").strip()
    if not text:
        stderr = stderr_tail.decode("utf-8", errors="replace").strip()[-500:]
        raise GeneratorOutputError(
            f"The generator printed nothing (exit code {returncode})" + (f": {stderr}" if stderr else ".")
        )
    data = _load_json(text, returncode)
    if isinstance(data, dict) and _is_envelope(data):
        data = _unwrap_envelope(data)
    try:
        return TailoredResume.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(root)'}: {err['msg']}" for err in exc.errors()[:5]
        )
        raise GeneratorOutputError(
            f"The generator's JSON does not match the resume schema ({exc.error_count()} problems: {problems})."
        ) from None


def _load_json(text: str, returncode: int) -> Any:
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise GeneratorOutputError(
            f"The generator's output is not valid JSON ({exc.msg} at line {exc.lineno}, exit code {returncode}): "
            f"{text[:200]!r}"
        ) from None


def _is_envelope(data: dict[str, Any]) -> bool:
    return data.get("type") == "result" or "structured_output" in data or "is_error" in data


def _unwrap_envelope(envelope: dict[str, Any]) -> Any:
    if envelope.get("is_error"):
        detail = str(envelope.get("result") or envelope.get("subtype") or "unknown error")[:500]
        raise GeneratorOutputError(f"The model CLI reported an error: {detail}")
    structured = envelope.get("structured_output")
    if isinstance(structured, dict):
        return structured
    result = envelope.get("result")
    if isinstance(result, dict):
        return result
    if isinstance(result, str) and result.strip():
        return _load_json(result.strip(), 0)
    raise GeneratorOutputError("The model CLI's reply has neither `structured_output` nor a JSON `result`.")
