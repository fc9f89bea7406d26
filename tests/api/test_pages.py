"""The HTML pages, htmx fragments and the HTML SSE stream, over HTTP against a real uvicorn process, the real dev
server and a real worker. Hostile text (from a user or a model) must come out escaped everywhere it is shown."""

from __future__ import annotations

import re
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from httpx_sse import ServerSentEvent, aconnect_sse
from temporalio.client import Client

from api.diff import markdown_text, resume_text, word_diff
from resume_tailor.catalog import Catalog, RunRecord
from resume_tailor.contracts import Experience, JobPosting, TailoredResume
from resume_tailor.runs import start_run
from resume_tailor.settings import Settings
from resume_tailor.store import Store
from tests.api.conftest import ApiServer
from tests.helpers.pdfs import html_pdf
from tests.helpers.processes import cli_env, free_port

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
HX = {"HX-Request": "true"}


# A `command` generator that answers like a model gone wrong: hostile markup and an employer the original lacks.
HOSTILE_GENERATOR = f"""
import json, sys
sys.stdin.read()
print(json.dumps({{
    "name": "Ana Lúcia Ferreira",
    "headline": "Senior Data Engineer",
    "skills": [{{"category": "Data", "items": ["Apache Kafka", {IMG!r}]}}],
    "experience": [
        {{"company": {SCRIPT + " Corp"!r}, "title": "Staff Engineer", "start": "2024", "end": "Present",
          "bullets": ["Ran the platform"]}},
        {{"company": "Northwind Analytics", "title": "Senior Data Engineer", "start": "Mar 2021", "end": "Present",
          "bullets": ["Built a Kafka and Spark Structured Streaming pipeline {SCRIPT}"]}},
    ],
}}))
"""


@pytest.fixture
def settings(settings: Settings, tmp_path: Path) -> Settings:
    """The project's test settings, with the hostile generator as the `command` generator."""
    script = tmp_path / "hostile_generator.py"
    script.write_text(HOSTILE_GENERATOR)
    return settings.model_copy(update={"generator_command": f"{sys.executable} {script}"})


@pytest.fixture
async def http(api_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=api_url, timeout=60) as client:
        yield client


def assert_no_raw_markup(html: str) -> None:
    for raw in (SCRIPT, IMG, "<script>alert", "<img src=x"):
        assert raw not in html, f"hostile text reached the page unescaped: {raw}"
    assert 'href="javascript:' not in html.lower()


async def upload(http: httpx.AsyncClient, pdf: bytes, name: str = "resume.pdf") -> str:
    response = await http.post("/resumes", files={"file": (name, pdf, "application/pdf")})
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("/", 1)[-1]


async def add_job(http: httpx.AsyncClient, job: JobPosting, **override: str) -> str:
    form = {"title": job.title, "company": job.company, "text": job.text, "url": job.url or ""} | override
    response = await http.post("/jobs", data=form)
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("/", 1)[-1]


async def start(http: httpx.AsyncClient, job_id: str, resume_id: str, generator: str) -> str:
    response = await http.post(f"/jobs/{job_id}/runs", data={"resume_id": resume_id, "generator": generator})
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("/", 1)[-1]


async def fragments(http: httpx.AsyncClient, workflow_id: str, until: str | None = None) -> list[ServerSentEvent]:
    """The run's HTML SSE events up to `done`, or up to the first whose fragment contains `until`."""
    events: list[ServerSentEvent] = []
    async with aconnect_sse(http, "GET", f"/runs/{workflow_id}/events") as source:
        assert source.response.status_code == 200
        async for event in source.aiter_sse():
            events.append(event)
            if event.event == "done" or (until is not None and until in event.data):
                break
    return events


async def wait_for_stage(http: httpx.AsyncClient, workflow_id: str, stage: str) -> None:
    events = await fragments(http, workflow_id, until=f'data-stage="{stage}" data-state="running"')
    assert events[-1].event != "done", f"the run ended before {stage}: {events[-1].data[:500]}"


async def test_pages_escape_hostile_text_and_stream_fragments(
    http: httpx.AsyncClient, example_pdf: bytes, example_job: JobPosting
) -> None:
    home = await http.get("/")
    assert home.status_code == 200 and "No resume yet" in home.text
    assert 'name="file"' in (await http.get("/resumes/new")).text

    resume_id = await upload(http, example_pdf, name=f'{IMG}"><{SCRIPT}.pdf')
    resume_page = await http.get(f"/resumes/{resume_id}")
    assert resume_page.status_code == 200 and "Northwind Analytics" in resume_page.text
    assert_no_raw_markup(resume_page.text)

    job_id = await add_job(
        http,
        example_job,
        title=f"{SCRIPT} Engineer",
        company=IMG,
        text=f"{example_job.text}\n{SCRIPT}\n{IMG}",
        url="javascript:alert(3)",
    )
    job_page = await http.get(f"/jobs/{job_id}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Engineer" in job_page.text
    assert "&lt;img src=x onerror=alert(2)&gt;" in job_page.text
    assert_no_raw_markup(job_page.text)
    assert 'id="tailor-button">' in job_page.text  # enabled: no run is open

    workflow_id = await start(http, job_id, resume_id, "offline")
    events = await fragments(http, workflow_id)
    assert events[-1].event == "done" and [e.event for e in events].count("done") == 1
    for event in events:
        assert event.event in ("progress", "heartbeat", "done")
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Engineer" in event.data
        assert_no_raw_markup(event.data)
    done = events[-1].data
    assert 'data-outcome="completed"' in done and 'id="run-state" data-state="completed"' in done
    assert done.count('data-state="done"') == 5
    assert "<ins>" in done or "<del>" in done  # the word diff
    assert 'hx-swap-oob="innerHTML"' in done  # clears a stale notice

    run_page = await http.get(f"/runs/{workflow_id}")
    assert run_page.status_code == 200 and 'data-outcome="completed"' in run_page.text
    assert "sse-connect" not in run_page.text  # a finished run opens no stream
    assert_no_raw_markup(run_page.text)
    pdf_link = re.search(r'id="download-pdf" href="([^"]+)"', run_page.text)
    assert pdf_link is not None
    pdf = await http.get(pdf_link.group(1))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")

    job_page = await http.get(f"/jobs/{job_id}")
    assert f'data-workflow-id="{workflow_id}"' in job_page.text and pdf_link.group(1) in job_page.text
    assert '<span class="badge badge-completed">completed</span>' in job_page.text
    home = await http.get("/")
    assert "badge-completed" in home.text
    assert_no_raw_markup(home.text)


async def test_model_output_is_escaped_in_the_report_and_diff(
    http: httpx.AsyncClient, example_pdf: bytes, example_job: JobPosting
) -> None:
    workflow_id = await start(http, await add_job(http, example_job), await upload(http, example_pdf), "command")
    done = (await fragments(http, workflow_id))[-1].data
    assert 'data-outcome="completed"' in done, done[-2000:]
    assert '<table class="claims">' in done
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Corp" in done  # the invented employer, listed and escaped
    assert "&lt;img src=x onerror=alert(2)&gt;" in done  # the invented skill
    assert_no_raw_markup(done)
    run_page = (await http.get(f"/runs/{workflow_id}")).text
    assert '<table class="claims">' in run_page
    assert_no_raw_markup(run_page)


async def test_extracted_hostile_text_is_escaped(http: httpx.AsyncClient) -> None:
    pdf = html_pdf("<p>Jane Doe</p><p>&lt;script&gt;alert(1)&lt;/script&gt; Engineer at Acme, 2019-2023</p>")
    page = await http.get(f"/resumes/{await upload(http, pdf)}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert_no_raw_markup(page.text)


async def test_htmx_start_attach_heartbeat_and_cancel(
    http: httpx.AsyncClient, example_pdf: bytes, example_job: JobPosting, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_CLAUDE_MODE", "slow")
    monkeypatch.setenv("FAKE_CLAUDE_SECONDS", "20")
    resume_id = await upload(http, example_pdf)
    job_id = await add_job(http, example_job)
    form = {"resume_id": resume_id, "generator": "claude"}

    first = await http.post(f"/jobs/{job_id}/runs", data=form, headers=HX)
    assert first.status_code == 200 and "<html" not in first.text
    workflow_id = re.search(r'data-workflow-id="([^"]+)"', first.text).group(1)  # type: ignore[union-attr]
    assert f'sse-connect="/runs/{workflow_id}/events"' in first.text and 'sse-close="done"' in first.text
    assert 'sse-swap="progress,heartbeat,done"' in first.text and 'sse-swap="unavailable"' in first.text

    second = await http.post(f"/jobs/{job_id}/runs", data=form, headers=HX)
    assert f'data-workflow-id="{workflow_id}"' in second.text and "already open" in second.text

    job_page = (await http.get(f"/jobs/{job_id}")).text
    assert 'data-open="true"' in job_page and 'id="tailor-button" disabled' in job_page
    assert f'sse-connect="/runs/{workflow_id}/events"' in job_page  # the open run is shown live

    await wait_for_stage(http, workflow_id, "generating")
    live = await fragments(http, workflow_id, until="bytes received")
    assert live[-1].event in ("progress", "heartbeat") and "s elapsed" in live[-1].data

    cancelled = await http.post(f"/runs/{workflow_id}/cancel")
    assert cancelled.status_code == 303 and cancelled.headers["location"] == f"/runs/{workflow_id}"
    done = (await fragments(http, workflow_id))[-1]
    assert done.event == "done" and 'data-outcome="cancelled"' in done.data
    assert "The run was cancelled while generating." in done.data
    assert 'data-stage="generating" data-state="cancelled"' in done.data

    again = await http.post(f"/runs/{workflow_id}/cancel", headers=HX)
    assert again.status_code == 200 and "already finished" in again.text and "<html" not in again.text
    run_page = (await http.get(f"/runs/{workflow_id}")).text
    assert "The run was cancelled" in run_page and 'id="cancel-button"' not in run_page
    job_page = (await http.get(f"/jobs/{job_id}")).text
    assert 'data-open="true"' not in job_page and '<span class="badge badge-cancelled">' in job_page


async def test_htmx_cancel_returns_a_fragment(
    http: httpx.AsyncClient, example_pdf: bytes, example_job: JobPosting, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_CLAUDE_MODE", "slow")
    monkeypatch.setenv("FAKE_CLAUDE_SECONDS", "20")
    workflow_id = await start(http, await add_job(http, example_job), await upload(http, example_pdf), "claude")
    await wait_for_stage(http, workflow_id, "generating")
    response = await http.post(f"/runs/{workflow_id}/cancel", headers=HX)
    assert response.status_code == 200 and "Cancellation requested" in response.text
    assert "<html" not in response.text
    assert 'data-outcome="cancelled"' in (await fragments(http, workflow_id))[-1].data


async def test_run_nobody_answers_for_shows_a_notice(
    http: httpx.AsyncClient, client: Client, api_settings: Settings, example_pdf: bytes, example_job: JobPosting
) -> None:
    """A run whose task queue has no worker: the page still renders and the stream says why it cannot update."""
    nobody = api_settings.model_copy(update={"task_queue": f"nobody-{uuid.uuid4().hex[:8]}"})
    started = await start_run(
        client, nobody, Store(api_settings.store_path), pdf=example_pdf, filename="r.pdf", job=example_job
    )
    try:
        run_page = await http.get(f"/runs/{started.workflow_id}")
        assert run_page.status_code == 200 and "No worker is answering" in run_page.text
        assert f'sse-connect="/runs/{started.workflow_id}/events"' in run_page.text
        async with aconnect_sse(http, "GET", f"/runs/{started.workflow_id}/events") as source:
            event = await anext(source.aiter_sse())
        assert event.event == "unavailable" and 'class="alert alert-warning"' in event.data
        assert "No worker is answering" in event.data or "cannot be read" in event.data
    finally:
        await client.get_workflow_handle(started.workflow_id).terminate("test over")


async def test_error_pages_keep_the_status(http: httpx.AsyncClient) -> None:
    for path in ("/runs/tailor-nope", "/runs/tailor-nope/events", "/jobs/nope", "/resumes/nope", "/no-such-page"):
        response = await http.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html"), path
        assert "<html" in response.text and "Not found" in response.text
    assert "No run with ID &#39;tailor-nope&#39;" in (await http.get("/runs/tailor-nope")).text
    fragment = await http.post("/runs/tailor-nope/cancel", headers=HX)
    assert fragment.status_code == 404 and "<html" not in fragment.text and "No run with ID" in fragment.text
    api = await http.get("/api/jobs/nope")
    assert api.status_code == 404 and api.json()["detail"].startswith("No job")


async def test_bad_forms_are_rendered_again_with_the_reason(http: httpx.AsyncClient, example_job: JobPosting) -> None:
    not_pdf = await http.post("/resumes", files={"file": ("resume.pdf", b"PK\x03\x04 zip", "application/pdf")})
    assert not_pdf.status_code == 422 and "not a PDF" in not_pdf.text and 'name="file"' in not_pdf.text
    empty = await http.post("/resumes", files={"file": ("", b"", "application/octet-stream")})
    assert empty.status_code == 422 and "Choose a PDF file" in empty.text

    no_title = await http.post("/jobs", data={"title": "", "company": SCRIPT, "text": example_job.text})
    assert no_title.status_code == 422 and "Job title" in no_title.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in no_title.text  # what was typed is kept, escaped
    assert_no_raw_markup(no_title.text)
    assert (await http.get("/api/jobs")).json() == []


async def test_temporal_unreachable(settings: Settings, tmp_path: Path) -> None:
    """The lists still render (run states unknown); pages that need Temporal answer 503 and say why."""
    Catalog(settings.store_path).add_run(
        RunRecord(workflow_id="tailor-x", run_id="r1", resume_id="a", job_id="b", generator="offline")
    )
    server = ApiServer(cli_env(settings, f"127.0.0.1:{free_port()}"), free_port(), tmp_path / "api.log")
    server.start()
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
            home = await http.get("/")
            assert home.status_code == 200 and "Temporal is unreachable" in home.text
            assert '<span class="badge badge-unknown">unknown</span>' in home.text
            run_page = await http.get("/runs/tailor-x")
            assert run_page.status_code == 503 and "Temporal is unreachable" in run_page.text
            assert run_page.headers["content-type"].startswith("text/html")
            api = await http.get("/api/runs/tailor-x")
            assert api.status_code == 503 and "Temporal is unreachable" in api.json()["detail"]
    finally:
        server.stop()


def test_word_diff_escapes_and_marks_changes() -> None:
    html = word_diff(f"Led {SCRIPT} the team\nat Acme", f"Led the team {IMG}\nat Acme")
    assert SCRIPT not in html and IMG not in html
    assert "<del>&lt;script&gt;alert(1)&lt;/script&gt;</del>" in html
    assert "<ins>&lt;img src=x onerror=alert(2)&gt;</ins>" in html
    assert html.startswith("Led ") and html.endswith("\nat Acme")


def test_plain_text_of_both_sides() -> None:
    assert markdown_text("## **<mark>Skills</mark>**\n- [site](https://x.test) | **Go:** yes").split() == [
        "Skills",
        "site",
        "Go:",
        "yes",
    ]
    resume = TailoredResume(
        name="Jane",
        experience=[Experience(company="Acme", title="Engineer", start="2019", end="2023", bullets=["Did X"])],
    )
    assert resume_text(resume).splitlines() == ["Jane", "Experience", "Engineer — Acme", "2019 – 2023", "Did X"]
