"""`load_job_posting`: front matter, fallbacks for the title, and errors a user can act on."""

from __future__ import annotations

from pathlib import Path

import pytest

from resume_tailor.job_file import load_job_posting, parse_job_posting
from tests.helpers.executables import PROJECT


def test_example_posting_front_matter() -> None:
    job = load_job_posting(PROJECT / "examples" / "job_posting.md")
    assert (job.title, job.company) == ("Senior Data Platform Engineer", "Harborlight Health")
    assert job.url == "https://careers.example.org/harborlight/senior-data-platform-engineer"
    assert job.text.startswith("# Senior Data Platform Engineer") and "---" not in job.text
    assert "Kubernetes" in job.text


def test_quoted_values_and_file_path_in_errors(tmp_path: Path) -> None:
    path = tmp_path / "job.md"
    path.write_text("\ufeff---\ntitle: \"Data Engineer: Platform\"\ncompany: 'Acme'\n---\nBuild pipelines.\n")
    job = load_job_posting(path)
    assert (job.title, job.company, job.url, job.text) == ("Data Engineer: Platform", "Acme", None, "Build pipelines.")
    path.write_text("  \n\n")
    with pytest.raises(ValueError, match=rf"{path.name} is empty"):
        load_job_posting(path)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Intro line\n\n## **Backend Engineer**\n\nWe use Go.", "Backend Engineer"),
        ("Backend Engineer at Acme\nWe use Go.", "Backend Engineer at Acme"),
        ("- **Backend Engineer**\nWe use Go.", "Backend Engineer"),
    ],
)
def test_title_without_front_matter(text: str, title: str) -> None:
    job = parse_job_posting(text)
    assert (job.title, job.company, job.text) == (title, "", text)


def test_long_first_line_title_is_clipped_at_a_word() -> None:
    job = parse_job_posting("word " * 60 + "\nbody")
    assert len(job.title) <= 200 and job.title.endswith("word")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("---\ntitle: X\n", "never closes"),
        ("---\ntitle: X\n---\n\n", "no posting text"),
        ("---\njust words\n---\nBody", "is not 'key: value'"),
        ("---\ncompany: Acme\n---\n" + "x" * 50_001, "the limit is 50,000"),
    ],
)
def test_errors_say_what_to_fix(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_job_posting(text)
