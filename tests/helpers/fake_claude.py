"""A stand-in for the `claude` CLI: same command line (`-p --output-format json --json-schema S --tools ""
[--model M]`), prompt on stdin, the print-mode JSON envelope on stdout. The hosted model cannot run in tests; this
executable lets the real subprocess path run. Behaviour is chosen by FAKE_CLAUDE_MODE:

ok            tailor with the offline generator and wrap the result in the envelope
slow          like ok, after sleeping FAKE_CLAUDE_SECONDS
hang          spawn a child; both ignore SIGTERM; write "PID CHILD_PID" to FAKE_CLAUDE_PIDFILE; sleep forever
hang-polite   the same, but both exit on SIGTERM
invalid-json  print text that is not JSON
schema-break  print JSON that breaks the schema
is-error      print an envelope with is_error: true, exit 0
flaky         invalid JSON on the first call (counted in FAKE_CLAUDE_COUNTER), valid afterwards
fabricate     like ok, plus an invented employer and a skill the original lacks
bare          print the contract JSON without the envelope, exit 1
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(prog="claude")
    parser.add_argument("-p", "--print", action="store_true", dest="print_mode")
    parser.add_argument("--output-format", required=True, choices=["text", "json", "stream-json"])
    parser.add_argument("--json-schema", required=True)
    parser.add_argument("--tools", required=True)
    parser.add_argument("--model")
    args = parser.parse_args()
    if not args.print_mode or args.tools != "":
        print("fake claude: expected -p and --tools ''", file=sys.stderr)
        return 2
    json.loads(args.json_schema)  # must be valid JSON
    prompt = sys.stdin.read()
    mode = os.environ.get("FAKE_CLAUDE_MODE", "ok")
    if log := os.environ.get("FAKE_CLAUDE_ARGV_LOG"):
        Path(log).write_text(json.dumps(sys.argv[1:]))

    if mode in ("hang", "hang-polite"):
        return hang(ignore_sigterm=mode == "hang")
    if mode == "slow":
        time.sleep(float(os.environ.get("FAKE_CLAUDE_SECONDS", "3")))
    if mode == "invalid-json":
        print("Sure! Here is your tailored resume: {name: ...")
        return 0
    if mode == "schema-break":
        print(json.dumps({"type": "result", "is_error": False, "structured_output": {"name": 42, "bogus": True}}))
        return 0
    if mode == "is-error":
        print(
            json.dumps(
                {
                    "type": "result",
                    "subtype": "error_during_execution",
                    "is_error": True,
                    "result": "API Error: overloaded",
                }
            )
        )
        return 0
    if mode == "flaky":
        counter = Path(os.environ["FAKE_CLAUDE_COUNTER"])
        calls = int(counter.read_text()) if counter.exists() else 0
        counter.write_text(str(calls + 1))
        if calls == 0:
            print("not json")
            return 0
    resume = tailor(prompt)
    if mode == "fabricate":
        resume["experience"].insert(
            0,
            {
                "company": "Google",
                "title": "Staff Engineer",
                "start": "2024",
                "end": "Present",
                "bullets": ["Ran Kubernetes clusters for 500 teams"],
            },
        )
        resume["skills"].append({"category": "Invented", "items": ["Kubernetes"]})
    if mode == "bare":
        print(json.dumps(resume))
        return 1
    print(
        json.dumps(
            {
                "type": "result",
                "subtype": "success",
                "is_error": False,
                "result": "",
                "structured_output": resume,
                "session_id": "fake",
                "total_cost_usd": 0,
            }
        )
    )
    return 0


def tailor(prompt: str) -> dict[str, object]:
    from activities.offline_generator import generate_offline
    from resume_tailor.contracts import JobPosting

    original = re.search(r"<ORIGINAL_RESUME>\n(.*)\n</ORIGINAL_RESUME>", prompt, re.DOTALL)
    posting = re.search(r'<JOB_POSTING format="json">\n(.*)\n</JOB_POSTING>', prompt, re.DOTALL)
    assert original and posting, "prompt lacks the ORIGINAL_RESUME / JOB_POSTING blocks"
    job = JobPosting.model_validate(json.loads(posting.group(1)))
    return generate_offline(original.group(1), job).model_dump(mode="json")


def hang(*, ignore_sigterm: bool) -> int:
    ignore = "signal.signal(signal.SIGTERM, signal.SIG_IGN); " if ignore_sigterm else ""
    if ignore_sigterm:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    child = subprocess.Popen([sys.executable, "-c", f"import signal, time; {ignore}time.sleep(3600)"])
    pidfile = os.environ.get("FAKE_CLAUDE_PIDFILE")
    if pidfile:
        Path(pidfile).write_text(f"{os.getpid()} {child.pid}")
    sys.stdout.write('{"partial": ')
    sys.stdout.flush()
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    sys.exit(main())
