"""Batches through the web app: the JSON API, the form on the resume page and the batch page."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from resume_tailor.contracts import JobPosting


async def _setup(http: httpx.AsyncClient, pdf: bytes, job: JobPosting, count: int) -> tuple[str, list[str]]:
    resume = (await http.post("/api/resumes", files={"file": ("r.pdf", pdf, "application/pdf")})).json()
    job_ids = []
    for n in range(count):
        posting = job.model_copy(update={"title": f"{job.title} <b>#{n}</b>"})
        job_ids.append((await http.post("/api/jobs", json=posting.model_dump())).json()["id"])
    return resume["id"], job_ids


async def _until_done(http: httpx.AsyncClient, batch_id: str) -> dict[str, Any]:
    async with asyncio.timeout(120):
        while True:
            progress = (await http.get(f"/api/batches/{batch_id}")).json()
            if progress["done"]:
                return dict(progress)
            await asyncio.sleep(0.3)


async def test_batch_api_and_page(api_url: str, example_pdf: bytes, example_job: JobPosting) -> None:
    async with httpx.AsyncClient(base_url=api_url, timeout=60) as http:
        resume_id, job_ids = await _setup(http, example_pdf, example_job, 3)
        created = await http.post("/api/batches", json={"resume_id": resume_id, "job_ids": job_ids, "max_parallel": 2})
        assert created.status_code == 201, created.text
        batch_id = created.json()["batch_id"]
        progress = await _until_done(http, batch_id)
        assert [c["state"] for c in progress["children"]] == ["completed"] * 3

        html = (await http.get(f"/batches/{batch_id}")).text
        assert html.count("/runs/") == 3 and html.count("/versions/") == 3
        assert "&lt;b&gt;#0&lt;/b&gt;" in html and "<b>#0</b>" not in html  # job titles are escaped
        assert 'hx-trigger="every 1s"' not in html  # a finished batch stops polling

        resume_page = (await http.get(f"/resumes/{resume_id}")).text
        assert f'action="/resumes/{resume_id}/batches"' in resume_page

        missing = await http.post("/api/batches", json={"resume_id": resume_id, "job_ids": ["nope"]})
        assert missing.status_code == 404
        assert (await http.get("/api/batches/nope")).status_code == 404


async def test_batch_form_redirects_to_the_batch_page(
    api_url: str, example_pdf: bytes, example_job: JobPosting
) -> None:
    async with httpx.AsyncClient(base_url=api_url, timeout=60) as http:
        resume_id, job_ids = await _setup(http, example_pdf, example_job, 2)
        response = await http.post(
            f"/resumes/{resume_id}/batches", data={"job_ids": job_ids, "max_parallel": "1"}, headers={"Origin": api_url}
        )
        assert response.status_code == 303
        batch_url = response.headers["location"]
        assert batch_url.startswith("/batches/batch-")
        page = (await http.get(batch_url)).text
        assert "hx-get" in page or "Done" in page
        await _until_done(http, batch_url.rsplit("/", 1)[1])
