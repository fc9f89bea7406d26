"""Determinism: recorded histories replay against the current workflow code without a non-determinism error."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from workflows.tailor import TailorResumeWorkflow

HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))


def test_histories_exist() -> None:
    assert HISTORIES, "record them with `python -m tests.workflows.record_histories`"


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_replay(path: Path) -> None:
    history = WorkflowHistory.from_json(path.stem, path.read_text())
    replayer = Replayer(workflows=[TailorResumeWorkflow], data_converter=pydantic_data_converter)
    await replayer.replay_workflow(history)
