"""The pages in a real headless Chromium (Debian's `chromium`, driven by Playwright) against the real server, the
real dev server and a real worker: htmx, its SSE extension and our script all run as a user's browser runs them.

Screenshots go to `test-artifacts/` at the repository root. The tests are async so that the worker, which runs on
this test process's event loop, keeps working while the browser waits.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from examples.build_example import build_example_pdf
from resume_tailor.contracts import JobPosting
from tests.helpers.executables import PROJECT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = PROJECT / "test-artifacts"
STAGE_ORDER = ["connecting", "queued", "extracting", "generating", "validating", "rendering", "recording", "completed"]

# Records every state the live panel shows, so a test can tell the stages were streamed, not just the end.
WATCH_STATES = """() => {
  window.runStates = [];
  const record = () => {
    const state = document.querySelector("#run-state")?.dataset.state;
    if (state && window.runStates.at(-1) !== state) window.runStates.push(state);
  };
  new MutationObserver(record).observe(document.body, {childList: true, subtree: true});
}"""

DROP_FILE = """([b64, name]) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const data = new DataTransfer();
  data.items.add(new File([bytes], name, {type: "application/pdf"}));
  document.querySelector(".dropzone").dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true}));
}"""


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: install Debian's `chromium` package (apt-get install chromium).")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def page(browser: Browser, api_url: str) -> AsyncIterator[Page]:
    context = await browser.new_context(base_url=api_url, viewport={"width": 1200, "height": 900})
    opened = await context.new_page()
    problems: list[str] = []
    opened.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    opened.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    yield opened
    await context.close()
    assert problems == [], "the browser reported errors"


@pytest.fixture
def resume_pdf(tmp_path: Path) -> Path:
    return build_example_pdf(tmp_path / "r.pdf")


async def add_job(page: Page, job: JobPosting) -> None:
    await page.goto("/jobs/new")
    await page.fill("input[name=title]", job.title)
    await page.fill("input[name=company]", job.company)
    await page.fill("textarea[name=text]", job.text)
    await page.click("button[type=submit]")
    await expect(page.locator("#job-title")).to_have_text(job.title)


async def start_run(page: Page, generator: str) -> None:
    await page.select_option("select[name=generator]", generator)
    await page.evaluate(WATCH_STATES)
    await page.click("#tailor-button")
    await expect(page.locator("#run-panel [data-stage=extracting]")).to_be_visible()


async def test_upload_tailor_watch_and_download(page: Page, resume_pdf: Path, example_job: JobPosting) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    await page.goto("/resumes/new")
    await page.evaluate(DROP_FILE, [base64.b64encode(resume_pdf.read_bytes()).decode(), "r.pdf"])
    await page.wait_for_url("**/resumes/*")
    await expect(page.locator("#extracted")).to_contain_text("Northwind Analytics")

    await add_job(page, example_job)
    await start_run(page, "offline")
    result = page.locator("#run-result[data-outcome=completed]")
    await expect(result).to_be_visible(timeout=60_000)
    states = await page.evaluate("window.runStates")
    assert states[-1] == "completed" and len(states) >= 3, states  # stages streamed in, not only the end
    assert states == sorted(states, key=STAGE_ORDER.index), states
    await expect(page.locator("#run-panel .step[data-state=done]")).to_have_count(5)
    await expect(page.locator("#validation-outcome")).to_contain_text("claim")
    await expect(page.locator("#diff ins").first).to_be_visible()
    await expect(page.locator("#tailor-button")).to_be_enabled()  # the run ended: the pair may run again
    await expect(page.locator("#versions .badge-completed")).to_have_count(1)  # the list was refreshed

    await page.click("#run-panel >> text=Run page")
    await page.wait_for_url("**/runs/*")
    await expect(page.locator("#run-result[data-outcome=completed]")).to_be_visible()
    # The inline PDF viewer draws only inside the viewport: make the viewport the whole page, then give it time.
    height = await page.evaluate("document.documentElement.scrollHeight")
    await page.set_viewport_size({"width": 1200, "height": height})
    await page.wait_for_timeout(3000)
    await page.screenshot(path=str(ARTIFACTS / "run-result.png"))
    async with page.expect_download() as download_info:
        await page.click("#download-pdf")
    download = await download_info.value
    path = await download.path()
    assert path is not None and Path(path).read_bytes().startswith(b"%PDF-")

    await page.set_viewport_size({"width": 1200, "height": 900})
    await page.goto("/")
    await expect(page.locator("table.runs .badge-completed")).to_have_count(1)
    await page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)


async def test_cancel_from_the_page(
    page: Page, resume_pdf: Path, example_job: JobPosting, monkeypatch: pytest.MonkeyPatch
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    monkeypatch.setenv("FAKE_CLAUDE_MODE", "slow")  # the worker runs in this process: its CLI inherits these
    monkeypatch.setenv("FAKE_CLAUDE_SECONDS", "20")
    await page.goto("/resumes/new")
    await page.set_input_files("input[type=file]", str(resume_pdf))
    await page.click("button[type=submit]")
    await page.wait_for_url("**/resumes/*")

    await add_job(page, example_job)
    await start_run(page, "claude")
    generating = page.locator("#run-panel [data-stage=generating][data-state=running]")
    await expect(generating).to_be_visible(timeout=30_000)
    await expect(generating.locator(".step-detail")).to_contain_text("bytes received", timeout=10_000)
    await expect(page.locator("#tailor-button")).to_be_disabled()  # a run for this pair is open
    await expect(page.locator("#open-run-hint")).to_be_visible()
    await page.screenshot(path=str(ARTIFACTS / "run-progress.png"), full_page=True)
    # A stale notice (e.g. "no worker is answering") is cleared out of band by the next streamed panel.
    await page.evaluate("document.getElementById('run-notice').textContent = 'stale notice'")
    await expect(page.locator("#run-notice")).to_be_empty(timeout=10_000)

    await page.click("#cancel-button")
    outcome = page.locator("#run-result[data-outcome=cancelled]")
    await expect(outcome).to_be_visible(timeout=30_000)
    await expect(outcome).to_contain_text("cancelled while generating")
    await expect(page.locator("#run-panel [data-stage=generating]")).to_have_attribute("data-state", "cancelled")
    await expect(page.locator("#run-state")).to_have_text("Cancelled while generating")
    await expect(page.locator("#tailor-button")).to_be_enabled()
    await expect(page.locator("#versions .badge-cancelled")).to_have_count(1)
    await page.screenshot(path=str(ARTIFACTS / "run-cancelled.png"), full_page=True)
