"""Read a rendered PDF back the way an applicant-tracking system would, and check every bullet survived.

The extractor is the pipeline's own (`pymupdf4llm.to_markdown`), so "what the ATS sees" means what our extract
stage would see. Matching is deliberately loose about layout and strict about content: it ignores whitespace,
line wraps, hyphens, soft hyphens and markdown decoration, and requires each bullet's remaining characters to
appear, in order, after the previous bullet.
"""

from __future__ import annotations

import re
import threading

import pymupdf
import pymupdf4llm
from pydantic import BaseModel
from temporalio.exceptions import ApplicationError

from activities.terms import normalize
from resume_tailor.contracts.resume import TailoredResume

# MuPDF keeps per-context state and PyMuPDF does not support concurrent calls from several threads; activities
# run this in `asyncio.to_thread`, so calls are serialised. Any other stage using PyMuPDF in threads should share
# this lock.
PYMUPDF_LOCK = threading.Lock()

# Markdown decoration and list markers pymupdf4llm adds, whitespace, and every kind of hyphen: a line may wrap
# after a hyphen ("scikit-\nlearn"), and the same character is removed from both sides of the comparison.
_IGNORED = re.compile(r"[\s*_`#>\\|•\-\u00ad\u200b]+")


class ReadBack(BaseModel):
    """What the read-back found: the PDF's page count, how many bullets were verified, the extracted text."""

    page_count: int
    bullets_checked: int
    text: str


def extract_markdown(pdf: bytes) -> tuple[str, int]:
    """The PDF's text as the pipeline's extractor produces it, and its page count."""
    with PYMUPDF_LOCK, pymupdf.open(stream=pdf, filetype="pdf") as doc:
        # OCR is off: the text layer is what we check, and OCR (RapidOCR) is not installed anyway.
        text = pymupdf4llm.to_markdown(doc, use_ocr=False)
        return str(text), int(doc.page_count)


def skeleton(text: str) -> str:
    """`text` reduced to what must survive rendering: normalised characters without layout or decoration."""
    return _IGNORED.sub("", normalize(text))


def check_readback(pdf: bytes, resume: TailoredResume) -> ReadBack:
    """Verify every bullet of `resume` reads back from `pdf`, in order; raise a non-retryable error if not."""
    text, page_count = extract_markdown(pdf)
    haystack = skeleton(text)
    cursor = 0
    bullets = resume.bullets()
    for index, bullet in enumerate(bullets, start=1):
        needle = skeleton(bullet)
        found = haystack.find(needle, cursor)
        if found < 0:
            where = "out of order" if needle in haystack else "missing"
            raise ApplicationError(
                f"The rendered PDF does not read back bullet {index} of {len(bullets)} ({where}): "
                f"{_preview(bullet)!r}. An applicant-tracking system would not see it as written; "
                "this is a rendering defect, not a problem with your resume.",
                type="RenderReadbackMismatch",
                non_retryable=True,
            )
        cursor = found + len(needle)
    return ReadBack(page_count=page_count, bullets_checked=len(bullets), text=text)


def _preview(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
