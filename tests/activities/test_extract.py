"""Extract: PDFs made here (single column, two columns, tables, non-ASCII) and every bad input, with its message."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.extract import ExtractActivities, ExtractionError, ExtractLimits, extract_markdown
from resume_tailor.contracts import ExtractInput
from resume_tailor.settings import Settings
from resume_tailor.store import Store
from tests.helpers.pdfs import encrypted_pdf, html_pdf, scanned_pdf, two_column_pdf

RESUME_HTML = (
    "<h1>José Müller-Łukasiewicz</h1><p>jose@example.com · +49 30 1234567 · Berlin</p>"
    "<h2>Experience</h2><p><b>Senior Data Engineer</b> — Nordlicht Analytics GmbH, Mar 2020 – Present</p>"
    "<ul><li>Reduced pipeline latency by 30% across 14 services</li><li>Led a team of 5 engineers</li></ul>"
    "<h2>Education</h2><p>M.Sc. Informatik, Technische Universität München, 2014 – 2016</p>"
)


def _error(pdf: bytes, limits: ExtractLimits | None = None) -> ExtractionError:
    with pytest.raises(ExtractionError) as caught:
        extract_markdown(pdf, limits or ExtractLimits())
    assert caught.value.non_retryable
    return caught.value


def test_single_column_with_non_ascii_names() -> None:
    result = extract_markdown(html_pdf(RESUME_HTML))
    assert "José Müller-Łukasiewicz" in result.markdown
    assert "Technische Universität München" in result.markdown
    assert "Reduced pipeline latency by 30%" in result.markdown
    assert result.page_count == 1
    assert result.char_count == len(result.markdown)


def test_example_resume(example_pdf: bytes) -> None:
    result = extract_markdown(example_pdf)
    assert result.page_count >= 1
    assert len(result.markdown) > 1500
    assert not any("Multi-column" in w for w in result.warnings)


def test_two_column_layout_is_read_and_flagged() -> None:
    left = "<h2>Skills</h2>" + "".join(f"<p>Skill number {i} with some detail</p>" for i in range(8))
    right = "<h2>Experience</h2>" + "".join(f"<p>Did important thing {i} at Acme Corp</p>" for i in range(8))
    result = extract_markdown(two_column_pdf(left, right))
    assert "Skill number 7" in result.markdown and "important thing 7" in result.markdown
    assert any("Multi-column layout detected" in w for w in result.warnings)


def test_table_content_is_extracted() -> None:
    table = (
        "<h2>Skills</h2><table border='1'><tr><th>Area</th><th>Tools</th></tr>"
        "<tr><td>Languages</td><td>Python, Go</td></tr><tr><td>Data</td><td>PostgreSQL, Kafka</td></tr></table>"
    )
    result = extract_markdown(html_pdf(RESUME_HTML + table))
    for word in ("Languages", "Python", "PostgreSQL", "Kafka"):
        assert word in result.markdown


def test_multi_page() -> None:
    result = extract_markdown(html_pdf(RESUME_HTML, pages=3))
    assert result.page_count == 3


def test_little_text_warns() -> None:
    result = extract_markdown(html_pdf("<h1>Jane Doe</h1><p>Engineer at Acme since 2019.</p>"))
    assert any("Very little text" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("pdf", "error_type", "phrase"),
    [
        (b"", "EmptyFile", "empty"),
        (b"PK\x03\x04 this is a zip file, named resume.pdf", "NotAPdf", "not a PDF"),
        (b"%PDF-1.7\n1 0 obj garbage", "TruncatedPdf", "truncated"),
    ],
)
def test_bad_bytes(pdf: bytes, error_type: str, phrase: str) -> None:
    error = _error(pdf)
    assert error.type == error_type
    assert phrase in error.message


def test_truncated_real_pdf() -> None:
    pdf = html_pdf(RESUME_HTML)
    assert _error(pdf[: len(pdf) // 2]).type == "TruncatedPdf"


def test_corrupt_pdf_with_markers() -> None:
    error = _error(b"%PDF-1.7\n" + b"\x00garbage" * 100 + b"\n%%EOF\n")
    assert error.type in ("CorruptPdf", "EmptyPdf", "NoTextLayer")


def test_password_protected() -> None:
    error = _error(encrypted_pdf(html_pdf(RESUME_HTML)))
    assert error.type == "EncryptedPdf"
    assert "password" in error.message


def test_scanned_without_text_layer() -> None:
    error = _error(scanned_pdf())
    assert error.type == "NoTextLayer"
    assert "OCR" in error.message


def test_too_large_and_too_many_pages() -> None:
    pdf = html_pdf(RESUME_HTML, pages=3)
    assert _error(pdf, ExtractLimits(max_bytes=100)).type == "FileTooLarge"
    error = _error(pdf, ExtractLimits(max_pages=2))
    assert error.type == "TooManyPages"
    assert "TAILOR_MAX_PDF_PAGES" in error.message


async def test_activity_reads_from_store_and_reports_attempt(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    store = Store(settings.store_path)
    digest = store.put_blob(html_pdf(RESUME_HTML))
    result = await ActivityEnvironment().run(
        ExtractActivities(settings, store).extract_resume_text, ExtractInput(resume_sha256=digest)
    )
    assert "Nordlicht Analytics GmbH" in result.markdown
    assert result.attempt == 1


async def test_activity_unknown_digest_is_not_retryable(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    activities = ExtractActivities(settings, Store(settings.store_path))
    with pytest.raises(ApplicationError) as caught:
        await ActivityEnvironment().run(activities.extract_resume_text, ExtractInput(resume_sha256="0" * 64))
    assert caught.value.type == "ResumeNotFound" and caught.value.non_retryable
