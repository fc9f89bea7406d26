"""The render stage: tailored resume -> HTML (Jinja2) -> PDF (WeasyPrint) -> read back like an ATS.

Security: every string in a `TailoredResume` is model output, so untrusted. Two independent guards keep it inert:
1. Jinja2 autoescaping, and a template that puts no value into a URL-bearing attribute: model text can be
   `<img src=file:///etc/passwd>` and the PDF simply shows those characters.
2. `TemplateAssetFetcher`, the only URL fetcher WeasyPrint gets. It serves the bundled stylesheet through a private
   `resume-asset:` scheme from an exact allowlist and refuses everything else (file:, http(s):, data:, relative
   paths) without touching the filesystem or network; a refusal aborts the render. So even an escaping bug
   could not turn into a local-file read or a request to an internal service.

Determinism, so a retried render stores the same content-addressed blob: WeasyPrint 70 writes no /CreationDate,
/ModDate or /ID unless asked (`dcterms.*` meta tags, `pdf_identifier`; we ask for none). The one clock it reads is
indirect: without libharfbuzz-subset0 it subsets fonts with fontTools, which stamps each embedded font's `head`
table with the current time. `_pin_font_timestamps` sets that stamp back to the font's own creation date, so
identical input gives byte-identical PDFs with either subsetter.
"""

from __future__ import annotations

import asyncio
import io
import threading
from pathlib import Path
from typing import Any

import jinja2
import pydyf  # type: ignore[import-untyped]
import weasyprint
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from temporalio import activity
from temporalio.exceptions import ApplicationError
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from activities.heartbeat import current_attempt, heartbeating, log_stage
from activities.pdf_readback import ReadBack, check_readback
from resume_tailor.contracts.resume import TailoredResume
from resume_tailor.contracts.stages import RenderInput, RenderResult
from resume_tailor.store import Store

__all__ = [
    "ASSET_SCHEME",
    "ReadBack",
    "RenderActivities",
    "TemplateAssetFetcher",
    "check_readback",
    "html_to_pdf",
    "render_html",
    "render_pdf",
]

TEMPLATES_DIR = Path(__file__).parent / "templates"
ASSET_SCHEME = "resume-asset"
# Exact names, never a path from the URL: nothing outside this list can be served, `..` included.
ALLOWED_ASSETS: dict[str, str] = {"resume.css": "text/css; charset=utf-8"}

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

# Pango/fontconfig state behind WeasyPrint is not documented as thread-safe, and activities render in worker
# threads; a render takes well under a second, so serialising them costs little.
_WEASYPRINT_LOCK = threading.Lock()


class TemplateAssetFetcher(URLFetcher):
    """WeasyPrint URL fetcher that serves only the allowlisted template assets and refuses every other URL.

    It never calls the parent's opener, so no URL handler (file, http, ftp, data, redirects) is reachable.
    `fail_on_errors=True` turns a refusal into `FatalURLFetchingError`, which stops the render instead of
    silently producing a PDF without the resource.
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=(ASSET_SCHEME,), allow_redirects=False, fail_on_errors=True)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        prefix = f"{ASSET_SCHEME}:"
        name = url[len(prefix) :] if url.startswith(prefix) else None
        if name is None or name not in ALLOWED_ASSETS:
            raise ValueError(f"Refusing to fetch {url[:200]!r}: only bundled template assets are served")
        body = (TEMPLATES_DIR / name).read_bytes()
        return URLFetcherResponse(url, body, {"Content-Type": ALLOWED_ASSETS[name]})


def _asset_url(name: str) -> str:
    return f"{ASSET_SCHEME}:{name}"


def render_html(resume: TailoredResume) -> str:
    """The resume as a standalone HTML document; every resume value is escaped."""
    return _env.get_template("resume.html").render(resume=resume, stylesheet_url=_asset_url("resume.css"))


def html_to_pdf(html: str, *, url_fetcher: TemplateAssetFetcher | None = None) -> bytes:
    """Render `html` to PDF bytes with the allowlisting fetcher (tests may pass a recording subclass)."""
    fetcher = url_fetcher or TemplateAssetFetcher()
    try:
        with _WEASYPRINT_LOCK:
            # base_url uses the private scheme: urljoin leaves relative URLs unresolved against an unknown
            # scheme, so a relative reference reaches the fetcher as-is and is refused.
            document = weasyprint.HTML(string=html, base_url=f"{ASSET_SCHEME}:", url_fetcher=fetcher)
            pdf = document.write_pdf(finisher=_pin_font_timestamps)
    except FatalURLFetchingError as exc:
        # A BaseException in WeasyPrint: convert it, or it would escape `except Exception` handlers.
        cause = exc.__cause__ or exc
        raise ApplicationError(
            f"The resume template asked for a resource that is not a bundled asset ({cause}); "
            "the render was stopped so nothing outside the template could be read.",
            type="RenderBlockedFetch",
            non_retryable=True,
        ) from None
    assert isinstance(pdf, bytes)
    return pdf


def _pin_font_timestamps(_document: Any, pdf: Any) -> None:
    """WeasyPrint `finisher`: make each embedded font's `head.modified` its `created`, not the render time."""
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Stream):
            continue
        if "Length1" not in obj.extra and obj.extra.get("Subtype") != "/OpenType":
            continue  # not an embedded font file
        font = TTFont(io.BytesIO(b"".join(obj.stream)), recalcTimestamp=False, recalcBBoxes=False)
        head = font["head"]
        if head.modified == head.created:
            continue
        head.modified = head.created
        out = io.BytesIO()
        font.save(out)
        obj.stream = [out.getvalue()]
        if "Length1" in obj.extra:
            obj.extra["Length1"] = len(obj.stream[0])


def render_pdf(resume: TailoredResume) -> tuple[bytes, ReadBack]:
    """Render and verify: the PDF and what its read-back found (raises if a bullet is lost)."""
    pdf = html_to_pdf(render_html(resume))
    return pdf, check_readback(pdf, resume)


class RenderActivities:
    def __init__(self, store: Store) -> None:
        self._store = store

    @activity.defn(name="render_resume_pdf")
    async def render_resume_pdf(self, input: RenderInput) -> RenderResult:
        async with heartbeating():
            pdf, readback = await asyncio.to_thread(render_pdf, input.resume)
            # Content addressed: a retried attempt renders the same bytes and writes the same row.
            digest = await asyncio.to_thread(self._store.put_blob, pdf)
        log_stage(
            "Rendered %d page(s), %d bytes; %d bullets read back",
            readback.page_count,
            len(pdf),
            readback.bullets_checked,
        )
        return RenderResult(
            pdf_sha256=digest,
            pdf_bytes=len(pdf),
            page_count=readback.page_count,
            bullets_checked=readback.bullets_checked,
            attempt=current_attempt(),
        )
