"""The render stage: template -> PDF -> ATS read-back, its URL-fetch lockdown, determinism and the activity."""

from __future__ import annotations

import hashlib
import itertools
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pymupdf
import pytest
import weasyprint
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.render import (
    TEMPLATES_DIR,
    RenderActivities,
    TemplateAssetFetcher,
    check_readback,
    html_to_pdf,
    render_html,
    render_pdf,
)
from activities.terms import normalize
from resume_tailor.contracts.resume import (
    Contact,
    Education,
    Experience,
    ExtraSection,
    Project,
    SkillGroup,
    TailoredResume,
)
from resume_tailor.contracts.stages import RenderInput
from resume_tailor.store import Store, sha256_hex

STYLESHEET_URL = "resume-asset:resume.css"
SECTION_HEADINGS = ["Summary", "Skills", "Experience", "Education", "Certifications", "Projects", "Languages"]


def sample_resume() -> TailoredResume:
    return TailoredResume(
        name="José Müller",
        headline="Senior Data Engineer",
        contact=Contact(
            email="jose.mueller@example.com",
            phone="+49 30 1234 5678",
            location="Berlin, Germany",
            links=["linkedin.com/in/josemueller", "github.com/jmueller"],
        ),
        summary=(
            "Data engineer with eight years of experience building efficient, reliable pipelines on Python "
            "and Apache Spark. Fluent in German, English and Spanish."
        ),
        skills=[
            SkillGroup(category="Languages", items=["Python", "SQL", "Scala"]),
            SkillGroup(category="Data", items=["Apache Spark", "Airflow", "dbt", "Kafka"]),
        ],
        experience=[
            Experience(
                company="Zalando SE",
                title="Senior Data Engineer",
                location="Berlin, Germany",
                start="Mar 2020",
                end="Present",
                bullets=[
                    "Designed an efficient workflow orchestration layer on Airflow that cut nightly batch "
                    "runtime from 6 hours to 90 minutes.",
                    "Led migration of 40 TB of office analytics data from Hadoop to S3, reducing storage costs by 35%.",
                    "Mentored four engineers and introduced a fluent on-call rotation.",
                ],
            ),
            Experience(
                company="Société Générale",
                title="Data Engineer",
                location="Paris, France",
                start="Jan 2016",
                end="Feb 2020",
                bullets=[
                    "Built Kafka-based streaming ingestion for 2 million trade events per day.",
                    "Automated regulatory reporting with Python and SQL, saving 120 hours per quarter.",
                ],
            ),
        ],
        education=[
            Education(
                institution="Technische Universität München",
                degree="M.Sc. Informatics",
                start="2013",
                end="2015",
                details=["Thesis: scalable stream processing for fraud detection."],
            )
        ],
        certifications=["AWS Certified Data Analytics – Specialty"],
        projects=[
            Project(
                name="open-flow-lint",
                description="Open-source linter for Airflow DAGs.",
                bullets=["Reached 1,200 GitHub stars; adopted by three companies in production."],
            )
        ],
        extra_sections=[ExtraSection(title="Languages", items=["German (native)", "English (fluent)"])],
    )


def long_resume(jobs: int) -> TailoredResume:
    experience = [
        Experience(
            company=f"Company {j}",
            title="Software Engineer",
            start=f"{2000 + j}",
            end=f"{2001 + j}",
            bullets=[
                f"Job {j} bullet {b}: improved the efficient office workflow of team {b} by refactoring "
                f"services, writing tests and documenting the deployment process for {b + 2} colleagues."
                for b in range(8)
            ],
        )
        for j in range(jobs)
    ]
    return sample_resume().model_copy(update={"experience": experience})


def flat(text: str) -> str:
    """Read-back text with markdown emphasis removed and whitespace collapsed (an independent, simple view)."""
    return " ".join(text.replace("**", "").split())


def assert_in_order(haystack: str, needles: list[str]) -> None:
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        assert found >= 0, f"{needle!r} not found after position {position}"
        position = found + len(needle)


@dataclass
class Canary:
    """A local HTTP server that records every request: any hit means the renderer fetched a URL."""

    base: str
    hits: list[str] = field(default_factory=list)


@pytest.fixture
def canary() -> Iterator[Canary]:
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            body = b"body { color: red }"
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Canary(base=f"http://127.0.0.1:{server.server_address[1]}", hits=hits)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class RecordingFetcher(TemplateAssetFetcher):
    def __init__(self) -> None:
        super().__init__()
        self.requested: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        self.requested.append(url)
        return super().fetch(url, headers)


# --- rendering and read-back -------------------------------------------------------------------------------


def test_sample_resume_reads_back_name_headings_and_every_bullet_in_order(capfd: pytest.CaptureFixture[str]):
    resume = sample_resume()
    pdf, readback = render_pdf(resume)

    assert pdf.startswith(b"%PDF-")
    assert readback.page_count == 1
    assert readback.bullets_checked == len(resume.bullets()) == 6
    text = flat(readback.text)
    assert "José Müller" in text
    assert_in_order(text, [" ".join(b.split()) for b in resume.bullets()])
    headings = [line.strip("#* ") for line in readback.text.splitlines()]
    assert_in_order("\n".join(headings), [f"\n{h}\n" for h in SECTION_HEADINGS])
    # The extractor runs with OCR off, so it prints no "RapidOCR is missing" notice.
    assert capfd.readouterr().out == ""


def test_read_back_has_no_ligature_characters():
    _, readback = render_pdf(sample_resume())

    assert "efficient workflow" in readback.text
    assert "office" in readback.text and "fluent" in readback.text.casefold()
    assert not [c for c in readback.text if 0xFB00 <= ord(c) <= 0xFB06]


def test_ligatures_are_off_even_in_a_font_that_has_them():
    """Liberation Sans forms no ligatures by default, DejaVu Sans does: the stylesheet must turn them off."""
    html = render_html(sample_resume()).replace("</head>", '<style>html { font-family: "DejaVu Sans" }</style></head>')
    pdf = html_to_pdf(html)

    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        fonts = {f[3] for f in doc.get_page_fonts(0)}
        chars = [c for span in doc[0].get_texttrace() for c in span["chars"]]
    assert any("DejaVu-Sans" in f for f in fonts), fonts
    # A ligature glyph shows up as one glyph for several characters: the followers get glyph id -1.
    assert [chr(c[0]) for c in chars if c[1] < 0] == []


def test_bullet_character_precedes_its_text_in_content_order():
    """Regression: WeasyPrint paints `list-style` markers after all other text, so an extractor reading the
    content stream in order saw every "•" at the end of the page, away from its bullet."""
    resume = sample_resume()
    pdf, _ = render_pdf(resume)

    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        lines = [" ".join(line.split()) for line in doc[0].get_text(sort=False).splitlines()]
    for bullet in resume.bullets():
        first_words = " ".join(bullet.split()[:4])
        assert any(line.startswith(f"• {first_words}") for line in lines), first_words


def test_fonts_of_the_stack_are_installed_and_embedded():
    pdf, _ = render_pdf(sample_resume())

    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        fonts = {f[3].split("+")[-1] for page in doc for f in page.get_fonts()}
    assert fonts and all(f.startswith("Liberation-Sans") for f in fonts), (
        f"embedded fonts {fonts}: install the Debian package fonts-liberation2"
    )


def test_layout_has_real_text_and_no_images_or_tables():
    pdf, readback = render_pdf(sample_resume())

    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        assert all(page.get_images() == [] for page in doc)
        assert doc[0].rect.width == pytest.approx(612) and doc[0].rect.height == pytest.approx(792)  # Letter
    assert "|---" not in readback.text and "<table" not in render_html(sample_resume())


def test_long_resume_spans_pages_and_still_reads_back():
    resume = long_resume(jobs=5)
    _, readback = render_pdf(resume)

    assert readback.page_count >= 3
    assert readback.bullets_checked == len(resume.bullets()) == 41
    assert_in_order(flat(readback.text), [" ".join(b.split()) for b in resume.bullets()])


def test_read_back_tolerates_a_long_token_broken_across_lines():
    token = "https://example.com/" + "-".join(["segment"] * 25)
    resume = sample_resume()
    resume.experience[0].bullets.append(f"Documented the runbook at {token} for the team.")

    _, readback = render_pdf(resume)

    assert readback.bullets_checked == 7
    assert token not in readback.text.replace("\n", " ")  # it did wrap: the test exercises the tolerance


def test_missing_bullet_is_a_non_retryable_mismatch_naming_it():
    resume = sample_resume()
    pdf = html_to_pdf(render_html(resume))
    expected = resume.model_copy(deep=True)
    expected.projects[0].bullets.append("Presented the linter at PyCon DE 2023.")

    with pytest.raises(ApplicationError) as caught:
        check_readback(pdf, expected)

    assert caught.value.type == "RenderReadbackMismatch"
    assert caught.value.non_retryable
    assert "bullet 7 of 7 (missing)" in str(caught.value)
    assert "Presented the linter at PyCon DE 2023." in str(caught.value)


def test_out_of_order_bullets_are_a_mismatch():
    resume = sample_resume()
    pdf = html_to_pdf(render_html(resume))
    swapped = resume.model_copy(deep=True)
    swapped.experience.reverse()

    with pytest.raises(ApplicationError, match=r"\(out of order\)") as caught:
        check_readback(pdf, swapped)

    assert caught.value.type == "RenderReadbackMismatch"


# --- untrusted model output --------------------------------------------------------------------------------


def hostile_resume(base: str) -> TailoredResume:
    return TailoredResume(
        name="<b>Eve</b> O'Brien & Co",
        summary=f'<iframe src="{base}/frame"></iframe><script>fetch("{base}/script")</script>',
        contact=Contact(links=[f"{base}/contact-link", "javascript:alert(1)"]),
        skills=[SkillGroup(category="<u>Skills</u>", items=[f"<img src={base}/skill.png>"])],
        experience=[
            Experience(
                company=f"<svg onload=\"fetch('{base}/svg')\">",
                title=f"url({base}/title.png)",
                bullets=[
                    "<script>alert(1)</script> Reduced latency by 30%",
                    "Shipped <img src=file:///etc/passwd> to production",
                    f"<link rel=stylesheet href={base}/link.css> Led a team of 5",
                    f"<style>@import url({base}/style-import.css);</style> Cut costs",
                    f'@import url("{base}/bare-import.css"); body {{ display: none }}',
                    f'<img src="{base}/pixel.png"> <object data="{base}/object"></object>',
                ],
            )
        ],
        projects=[Project(name="x", bullets=[f'<base href="{base}/"> <a href="{base}/anchor">anchor</a>'])],
    )


def test_model_markup_renders_as_inert_text_and_fetches_nothing(canary: Canary):
    resume = hostile_resume(canary.base)
    html = render_html(resume)
    fetcher = RecordingFetcher()

    pdf = html_to_pdf(html, url_fetcher=fetcher)
    readback = check_readback(pdf, resume)

    assert fetcher.requested == [STYLESHEET_URL]
    assert canary.hits == []
    for tag in ("<script", "<img", "<iframe", "<style", "<svg", "<object", "<base", "<a "):
        assert tag not in html, tag
    assert html.count("<link") == 1
    text = flat(readback.text)
    for literal in [resume.name, *resume.bullets(), f"{canary.base}/contact-link", "javascript:alert(1)"]:
        assert " ".join(literal.split()) in text
    assert "root:x:0:0" not in text


def test_canary_control_unguarded_weasyprint_would_fetch(canary: Canary):
    """Control: the zero-hit assertions are meaningful because WeasyPrint's default fetcher does hit the canary."""
    weasyprint.HTML(string=f'<img src="{canary.base}/pixel.png">').write_pdf()

    assert canary.hits == ["/pixel.png"]


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="{base}/img.png">',
        '<link rel="stylesheet" href="{base}/link.css">',
        "<style>@import url({base}/import.css);</style>",
        "<style>@font-face {{ font-family: X; src: url({base}/font.ttf) }} p {{ font-family: X }}</style>",
        '<p style="background: url({base}/bg.png)">x</p>',
        '<img src="file:///etc/passwd">',
        '<link rel="stylesheet" href="file:///etc/passwd">',
        "<img src=\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'/>\">",
        '<link rel="stylesheet" href="resume.css">',
        '<link rel="stylesheet" href="resume-asset:../render.py">',
    ],
)
def test_fetcher_stops_the_render_even_if_markup_escaped_escaping(canary: Canary, markup: str):
    """Defence in depth: raw markup that reaches WeasyPrint still cannot read a file or call a server."""
    html = f"<html><body><p>text</p>{markup.format(base=canary.base)}</body></html>"

    with pytest.raises(ApplicationError) as caught:
        html_to_pdf(html)

    assert caught.value.type == "RenderBlockedFetch"
    assert caught.value.non_retryable
    assert canary.hits == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        f"file://{TEMPLATES_DIR}/resume.css",
        "http://127.0.0.1:9/x.css",
        "https://example.com/x.css",
        "ftp://example.com/x.css",
        "data:text/css,body{color:red}",
        "resume.css",
        "resume-asset:",
        "resume-asset:../render.py",
        "resume-asset:/etc/passwd",
        "resume-asset:resume.html",
        "resume-asset:resume.css?x=1",
        "RESUME-ASSET:resume.css",
    ],
)
def test_fetcher_refuses_everything_but_allowlisted_assets(url: str):
    with pytest.raises(ValueError, match="only bundled template assets"):
        TemplateAssetFetcher().fetch(url)


def test_fetcher_serves_the_bundled_stylesheet():
    response = TemplateAssetFetcher().fetch(STYLESHEET_URL)
    try:
        assert response.read() == (TEMPLATES_DIR / "resume.css").read_bytes()
        assert response.content_type == "text/css"
    finally:
        response.close()


def test_canary_server_records_requests(canary: Canary):
    """Control for the fixture itself."""
    with urllib.request.urlopen(f"{canary.base}/probe") as response:
        response.read()
    assert canary.hits == ["/probe"]


# --- determinism -------------------------------------------------------------------------------------------


def test_same_input_gives_byte_identical_pdf_without_dates_or_id():
    html = render_html(sample_resume())
    first, second = html_to_pdf(html), html_to_pdf(html)

    assert first == second
    with pymupdf.open(stream=first, filetype="pdf") as doc:
        assert doc.metadata["creationDate"] == "" and doc.metadata["modDate"] == ""
        assert "/ID" not in doc.pdf_trailer()


def test_fonttools_subsetter_timestamps_are_pinned(monkeypatch: pytest.MonkeyPatch):
    """Regression: without libharfbuzz-subset0, WeasyPrint subsets with fontTools, which stamps each font with
    the current time, so two renders a second apart differed. Simulate that path with a clock that always moves."""
    import weasyprint.pdf.fonts
    from fontTools.ttLib.tables import _h_e_a_d  # type: ignore[import-untyped]

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    clock = itertools.count(3_800_000_000, 1000)
    monkeypatch.setattr(_h_e_a_d, "timestampNow", lambda: next(clock))
    html = render_html(sample_resume())

    assert html_to_pdf(html) == html_to_pdf(html)


# --- the activity ------------------------------------------------------------------------------------------


async def test_activity_stores_the_pdf_under_its_digest(tmp_path):
    store = Store(tmp_path / "s.db")
    env = ActivityEnvironment()
    beats: list[tuple[Any, ...]] = []
    env.on_heartbeat = lambda *details: beats.append(details)
    resume = sample_resume()

    result = await env.run(RenderActivities(store).render_resume_pdf, RenderInput(resume=resume))
    again = await env.run(RenderActivities(store).render_resume_pdf, RenderInput(resume=resume))

    stored = store.get_blob(result.pdf_sha256)
    assert stored is not None and stored.startswith(b"%PDF-")
    assert result.pdf_sha256 == sha256_hex(stored) == hashlib.sha256(stored).hexdigest()
    assert result.pdf_bytes == len(stored)
    assert result.page_count == 1
    assert result.bullets_checked == 6
    assert result.attempt == 1
    assert again == result  # a retried render stores the same blob
    assert beats, "the activity did not heartbeat"
    assert normalize("José Müller") in normalize(check_readback(stored, resume).text)


async def test_activity_mismatch_is_raised_as_application_error(tmp_path, monkeypatch: pytest.MonkeyPatch):
    import activities.render

    monkeypatch.setattr(activities.render, "render_html", lambda resume: "<p>nothing here</p>")
    store = Store(tmp_path / "s.db")

    with pytest.raises(ApplicationError) as caught:
        await ActivityEnvironment().run(RenderActivities(store).render_resume_pdf, RenderInput(resume=sample_resume()))

    assert caught.value.type == "RenderReadbackMismatch"
    assert caught.value.non_retryable
