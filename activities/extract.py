"""Stage 1, extract: resume PDF -> markdown with `pymupdf4llm`, what the model (and an ATS) will read.

Bad input is the common failure here, so every check names the problem in words a job seeker can act on, and is
non-retryable: retrying a password-protected PDF will not make it open.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pymupdf
import pymupdf4llm
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.heartbeat import current_attempt, heartbeating, log_stage
from activities.pdf_readback import PYMUPDF_LOCK
from resume_tailor.contracts import ExtractInput, ExtractResult
from resume_tailor.contracts.stages import MAX_RESUME_TEXT_CHARS
from resume_tailor.settings import Settings
from resume_tailor.store import Store

# Below this many characters of text per page, a page is treated as an image (a scan without a text layer).
_MIN_CHARS_PER_PAGE = 20
_LITTLE_TEXT_CHARS = 400


class ExtractionError(ApplicationError):
    """A resume PDF that cannot be read; `type` says which problem, the message says what to do."""

    def __init__(self, message: str, error_type: str) -> None:
        super().__init__(message, type=error_type, non_retryable=True)


@dataclass(frozen=True)
class ExtractLimits:
    max_bytes: int = 10 * 1024 * 1024
    max_pages: int = 10


def extract_markdown(pdf: bytes, limits: ExtractLimits = ExtractLimits()) -> ExtractResult:
    """Check the PDF and convert it to markdown. Raises `ExtractionError` for input that cannot be used."""
    _check_bytes(pdf, limits)
    with PYMUPDF_LOCK:  # PyMuPDF is not thread-safe; extract and render's read-back share one lock
        return _extract(pdf, limits)


def _extract(pdf: bytes, limits: ExtractLimits) -> ExtractResult:
    try:
        doc = pymupdf.open(stream=pdf, filetype="pdf")
    except Exception as exc:  # pymupdf raises its own FileDataError/RuntimeError variants
        raise ExtractionError(
            f"The file could not be opened as a PDF ({exc}). Export it again from your editor and re-upload.",
            "CorruptPdf",
        ) from exc
    with doc:
        if doc.needs_pass:
            raise ExtractionError(
                "The PDF is password-protected. Remove the password (print or export it to a new PDF) and "
                "upload it again.",
                "EncryptedPdf",
            )
        if doc.page_count == 0:
            raise ExtractionError("The PDF has no pages.", "EmptyPdf")
        if doc.page_count > limits.max_pages:
            raise ExtractionError(
                f"The PDF has {doc.page_count} pages; a resume may have at most {limits.max_pages} "
                "(TAILOR_MAX_PDF_PAGES).",
                "TooManyPages",
            )
        pages = _pages(doc)
        plain = [page.get_text("text") for page in pages]
        text_chars = sum(len(t.strip()) for t in plain)
        if text_chars < _MIN_CHARS_PER_PAGE * doc.page_count:
            raise ExtractionError(
                "The PDF has no text layer (it looks like a scan or an image). Export the resume from your "
                "word processor as a PDF with real text, or run it through OCR first.",
                "NoTextLayer",
            )
        warnings = _layout_warnings(pages, text_chars)
        markdown = pymupdf4llm.to_markdown(doc, use_ocr=False)
    markdown = markdown.strip()
    if len(markdown) > MAX_RESUME_TEXT_CHARS:
        raise ExtractionError(
            f"The resume has {len(markdown):,} characters of text; at most {MAX_RESUME_TEXT_CHARS:,} are supported.",
            "TooMuchText",
        )
    return ExtractResult(markdown=markdown, page_count=len(plain), char_count=len(markdown), warnings=warnings)


def _check_bytes(pdf: bytes, limits: ExtractLimits) -> None:
    if not pdf:
        raise ExtractionError("The file is empty. Upload the resume PDF again.", "EmptyFile")
    if len(pdf) > limits.max_bytes:
        raise ExtractionError(
            f"The file is {len(pdf) / 1e6:.1f} MB; the limit is {limits.max_bytes / 1e6:.1f} MB "
            "(TAILOR_MAX_PDF_BYTES).",
            "FileTooLarge",
        )
    # Check the content, not the name: a PDF starts with "%PDF-" (some writers put junk before it).
    if b"%PDF-" not in pdf[:1024]:
        raise ExtractionError(
            "This file is not a PDF (its content does not start with a PDF header). Export the resume as PDF.",
            "NotAPdf",
        )
    if b"%%EOF" not in pdf[-2048:]:
        raise ExtractionError(
            "The PDF is truncated (it has no end-of-file marker); the upload or download was probably "
            "interrupted. Upload the complete file again.",
            "TruncatedPdf",
        )


def _pages(doc: pymupdf.Document) -> list[pymupdf.Page]:
    return [doc[n] for n in range(doc.page_count)]


def _layout_warnings(pages: list[pymupdf.Page], text_chars: int) -> list[str]:
    warnings: list[str] = []
    if text_chars < _LITTLE_TEXT_CHARS:
        warnings.append(f"Very little text was found ({text_chars} characters); check that nothing is missing.")
    columns = [n + 1 for n, page in enumerate(pages) if _looks_multi_column(page)]
    if columns:
        numbers = ", ".join(map(str, columns))
        warnings.append(
            f"Multi-column layout detected (page {numbers}): reading order may mix columns; an ATS may too. "
            "A single-column resume is safer."
        )
    if any(page.get_images() for page in pages) and text_chars < _LITTLE_TEXT_CHARS * 2:
        warnings.append("Some content may be inside images; text in images is not read.")
    return warnings


def _looks_multi_column(page: pymupdf.Page) -> bool:
    """Two or more text blocks side by side (overlapping vertically, disjoint horizontally), repeatedly."""
    blocks = [b for b in page.get_text("blocks") if b[6] == 0 and len(b[4].strip()) > 15]
    width = page.rect.width
    side_by_side = 0
    for i, a in enumerate(blocks):
        for b in blocks[i + 1 :]:
            overlap_y = min(a[3], b[3]) - max(a[1], b[1])
            apart_x = a[2] < b[0] or b[2] < a[0]
            if overlap_y > 10 and apart_x and abs(a[0] - b[0]) > width * 0.25:
                side_by_side += 1
    return side_by_side >= 3


class ExtractActivities:
    def __init__(self, settings: Settings, store: Store) -> None:
        self._store = store
        self._limits = ExtractLimits(max_bytes=settings.max_pdf_bytes, max_pages=settings.max_pdf_pages)
        self._timeout = settings.extract_timeout_seconds

    @activity.defn(name="extract_resume_text")
    async def extract_resume_text(self, input: ExtractInput) -> ExtractResult:
        pdf = self._store.get_blob(input.resume_sha256)
        if pdf is None:
            raise ApplicationError(
                f"Resume {input.resume_sha256[:12]} is not in the store; upload it again.",
                type="ResumeNotFound",
                non_retryable=True,
            )
        async with heartbeating():
            try:
                result = await asyncio.wait_for(asyncio.to_thread(extract_markdown, pdf, self._limits), self._timeout)
            except TimeoutError:
                raise ExtractionError(
                    f"Reading the PDF took longer than {self._timeout:.0f} s (TAILOR_EXTRACT_TIMEOUT_SECONDS); "
                    "the file may be malformed or unusually complex.",
                    "ExtractTimeout",
                ) from None
        result.attempt = current_attempt()
        log_stage(
            "Extracted %d page(s), %d characters, %d warning(s)",
            result.page_count,
            result.char_count,
            len(result.warnings),
        )
        return result
