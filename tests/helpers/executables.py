"""Executables the tests put on a command line: the fake `claude` CLI, run by this interpreter."""

from __future__ import annotations

import sys
from pathlib import Path

HELPERS = Path(__file__).resolve().parent
PROJECT = HELPERS.parent.parent


def install_fake_claude(directory: Path) -> Path:
    """Write an executable named `claude` into `directory` that execs the fake (keeping its PID)."""
    directory.mkdir(parents=True, exist_ok=True)
    exe = directory / "claude"
    exe.write_text(f'#!/bin/sh\nPYTHONPATH={PROJECT} exec {sys.executable} {HELPERS / "fake_claude.py"} "$@"\n')
    exe.chmod(0o755)
    return exe
