"""Run every benchmark and write `bench/results/latest.json`: `make bench` (or `python -m bench.run [NAME...]`)."""

from __future__ import annotations

import asyncio
import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import cancel_latency, load, orchestration, sse, stages, trivial_chain

RESULTS = Path(__file__).parent / "results" / "latest.json"


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}


def main(names: list[str]) -> None:
    selected = names or ["stages", "trivial_chain", "orchestration", "cancel_latency", "sse", "load"]
    results: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["machine"] = machine()
    results["date"] = datetime.now(UTC).isoformat(timespec="seconds")
    for name in selected:
        print(f"running {name}…", file=sys.stderr)
        if name == "stages":
            results[name] = stages.measure()
        elif name == "orchestration":
            results[name] = asyncio.run(orchestration.measure())
        elif name == "trivial_chain":
            results[name] = asyncio.run(trivial_chain.measure())
        elif name == "load":
            results[name] = asyncio.run(load.measure())
        elif name == "sse":
            results[name] = asyncio.run(sse.measure())
        elif name == "cancel_latency":
            results[name] = asyncio.run(cancel_latency.measure())
        else:
            raise SystemExit(f"unknown benchmark {name!r}")
        print(json.dumps(results[name], indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
