"""The render stage: template -> PDF -> ATS read-back, determinism and the activity.

The URL-fetch lockdown against untrusted model output is in `test_render_security.py`.
"""

from __future__ import annotations

import hashlib
import itertools
from typing import Any

import pymupdf
import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.render import RenderActivities, check_readback, html_to_pdf, render_html, render_pdf
from activities.terms import normalize
from resume_tailor.contracts.stages import RenderInput
from resume_tailor.store import Store, sha256_hex
from tests.helpers.render import assert_in_order, flat, long_resume, sample_resume

SECTION_HEADINGS = ["Summary", "Skills", "Experience", "Education", "Certifications", "Projects", "Languages"]


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
