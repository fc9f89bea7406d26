"""The render stage's lockdown against untrusted model output: markup renders as inert text, and the URL fetcher
refuses everything but the bundled stylesheet, so a render can neither read a file nor call a server.

A local canary HTTP server records every request; the control tests show it would be hit without the lockdown.
"""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import weasyprint
from temporalio.exceptions import ApplicationError

from activities.render import TEMPLATES_DIR, TemplateAssetFetcher, check_readback, html_to_pdf, render_html
from resume_tailor.contracts.resume import Contact, Experience, Project, SkillGroup, TailoredResume
from tests.helpers.render import flat

STYLESHEET_URL = "resume-asset:resume.css"


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
