"""`resume-tailor demo`, what `make demo` runs: from nothing to a tailored PDF on the embedded stack."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pymupdf

from tests.helpers.executables import PROJECT
from tests.helpers.processes import free_port

REAL_EMPLOYERS = ("Northwind Analytics", "Bluefin Logistics", "Quillmark Software")
# The posting asks for these; the example resume has none of them, so none may appear in the output.
NOT_IN_ORIGINAL = ("Kubernetes", "Scala", "Flink", "Helm", "HIPAA", "Harborlight")


def test_demo_tailors_the_example(tmp_path: Path) -> None:
    out = tmp_path / "tailored.pdf"
    env = dict(os.environ)
    env.update(
        TAILOR_DATA_DIR=str(tmp_path / "data"),
        TAILOR_TEMPORAL_PORT=str(free_port()),
        TAILOR_TEMPORAL_UI_PORT=str(free_port()),
    )
    env.pop("TEMPORAL_ADDRESS", None)
    proc = subprocess.run(
        [sys.executable, "-m", "resume_tailor.cli", "demo", "--exit", "--out", str(out)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=150,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert f"Output PDF:  {out}" in proc.stdout
    assert "Run ID:      tailor-" in proc.stdout
    assert f"http://localhost:{env['TAILOR_TEMPORAL_UI_PORT']}/namespaces/default/workflows/tailor-" in proc.stdout
    with pymupdf.open(out) as doc:
        text = "".join(page.get_text() for page in doc)
    for employer in REAL_EMPLOYERS:
        assert employer in text
    for invented in NOT_IN_ORIGINAL:
        assert invented not in text
