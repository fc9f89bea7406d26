"""`parse_resume_markdown` on the example PDF as extracted, on other layouts, and on text it cannot understand."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from weasyprint.urls import FatalURLFetchingError

from activities.parsed_resume import ParsedResume
from activities.resume_lines import find_date_range
from activities.resume_parser import parse_resume_markdown, section_kind
from activities.terms import normalize
from examples.build_example import build_example_pdf
from tests.helpers.resume_layouts import LEGACY_MARKDOWN, htmlbox_pdf, plain_text_pdf
from tests.helpers.resume_markdown import example_markdown, extract_markdown, word_bag


@pytest.fixture(scope="module")
def markdown(tmp_path_factory: pytest.TempPathFactory) -> str:
    return example_markdown(tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="module")
def parsed(markdown: str) -> ParsedResume:
    return parse_resume_markdown(markdown)


def _lost_words(markdown: str, parsed: ParsedResume) -> list[str]:
    """Words of `markdown` missing from the parse; known section headings are represented by the structure."""
    content = [line for line in markdown.splitlines() if not section_kind(line.strip(" #*"))]
    missing = word_bag(content) - word_bag(parsed.texts())
    return sorted(missing.elements())


def test_example_pdf_builds_clean_text(tmp_path: Path) -> None:
    pdf = build_example_pdf(tmp_path / "out" / "resume.pdf")
    with pymupdf.open(pdf) as doc:
        assert 1 <= doc.page_count <= 2
        text = "".join(page.get_text() for page in doc)
    assert "Ana Lúcia Ferreira" in text
    assert not any("\ufb00" <= c <= "\ufb06" for c in text), "ligatures must be disabled"
    assert "Senior Data Engineer — Northwind Analytics" in text


def test_example_build_refuses_remote_resources(tmp_path: Path) -> None:
    source = tmp_path / "resume.html"
    source.write_text('<link rel="stylesheet" href="https://example.com/x.css"><h1>Jo</h1>')
    with pytest.raises(FatalURLFetchingError, match=r"https://example\.com/x\.css"):
        build_example_pdf(tmp_path / "resume.pdf", source)


def test_example_header(parsed: ParsedResume) -> None:
    assert parsed.name == "Ana Lúcia Ferreira"
    assert parsed.headline == "Senior Data Engineer"
    assert parsed.contact.email == "ana.ferreira@example.com"
    assert parsed.contact.phone == "+1 (617) 555-0142"
    assert parsed.contact.location == "Boston, MA"
    assert parsed.contact.links == ["linkedin.example.com/in/aferreira", "github.example.com/aferreira"]
    assert parsed.summary and parsed.summary[0].startswith("Senior data engineer with 9 years")
    assert parsed.summary[-1].endswith("reliable data products.")


def test_example_experience(parsed: ParsedResume) -> None:
    got = [(j.title, j.company, j.location, j.start, j.end, len(j.bullets)) for j in parsed.experience]
    assert got == [
        ("Senior Data Engineer", "Northwind Analytics", "Boston, MA", "Mar 2021", "Present", 5),
        ("Data Engineer", "Bluefin Logistics", "Providence, RI", "Jun 2018", "Feb 2021", 4),
        ("Software Engineer", "Quillmark Software", "Worcester, MA", "Aug 2015", "May 2018", 3),
    ]
    first = parsed.experience[0].bullets[0]
    assert first.startswith("Led the migration of a 40 TB Hadoop warehouse") and first.endswith("15 minutes.")
    assert all(not job.extra for job in parsed.experience)


def test_example_skills(parsed: ParsedResume) -> None:
    groups = {group.category: group.items for group in parsed.skills}
    assert list(groups) == ["Languages", "Data", "Cloud", "Practices"]
    assert groups["Languages"] == ["Python", "SQL", "Go", "Bash", "TypeScript"]
    assert groups["Cloud"][0] == "AWS (S3, Glue, Lambda, EMR, Kinesis)"
    assert len(groups["Data"]) == 8


def test_example_education_certifications_projects(parsed: ParsedResume) -> None:
    schools = [(e.degree, e.institution, e.start, e.end) for e in parsed.education]
    assert schools == [
        ("M.S. Computer Science", "Northeastern University", "2013", "2015"),
        ("B.S. Computer Engineering", "Universidade Federal de Minas Gerais", "2008", "2013"),
    ]
    assert parsed.certifications == [
        "AWS Certified Data Analytics – Specialty (2022)",
        "Snowflake SnowPro Core Certification (2021)",
    ]
    [project] = parsed.projects
    assert project.name == "tidewater"
    assert project.description == [
        "Open-source Python library for incremental backfills of partitioned tables in Airflow."
    ]
    assert len(project.bullets) == 2
    assert parsed.extra_sections == []


def test_example_loses_no_words(markdown: str, parsed: ParsedResume) -> None:
    assert _lost_words(markdown, parsed) == []


def test_legacy_layout_bold_headings_wrapped_and_unmarked_bullets() -> None:
    """pymupdf4llm's non-layout mode: bold ruled headings, wrapped lines, lost or merged bullet marks."""
    parsed = parse_resume_markdown(LEGACY_MARKDOWN)
    assert parsed.name == "Ana Lúcia Ferreira" and parsed.headline == "Senior Data Engineer"
    assert parsed.contact.links == ["linkedin.example.com/in/aferreira", "github.example.com/aferreira"]
    northwind, quillmark = parsed.experience
    assert (northwind.title, northwind.company, northwind.start) == (
        "Senior Data Engineer",
        "Northwind Analytics",
        "Mar 2021",
    )
    assert northwind.bullets == [
        "Led the migration of a 40 TB Hadoop warehouse to Snowflake and dbt, reducing nightly reporting latency "
        "from 24 hours to 15 minutes.",
        "Built a Kafka and Spark Structured Streaming pipeline ingesting 2.3 billion clickstream events per day "
        "with 99.95% uptime.",
    ]
    assert len(quillmark.bullets) == 3
    assert quillmark.bullets[2].endswith("processing 5 million records nightly.")
    assert [e.institution for e in parsed.education] == [
        "Northeastern University",
        "Universidade Federal de Minas Gerais",
    ]
    assert _lost_words(LEGACY_MARKDOWN, parsed) == []


def test_plain_text_layout_company_first_and_numeric_dates(tmp_path: Path) -> None:
    markdown = extract_markdown(plain_text_pdf(tmp_path / "plain.pdf"))
    parsed = parse_resume_markdown(markdown)
    assert parsed.name == "Jordan O'Neill-Kim"
    assert (parsed.contact.email, parsed.contact.phone) == ("jordan.kim@example.net", "(206) 555-0199")
    assert parsed.contact.location == "Seattle, WA"
    assert parsed.summary == [
        "Platform engineer who builds internal developer tools and keeps CI fast for 200 engineers."
    ]
    got = [(j.company, j.title, j.location, j.start, j.end, len(j.bullets)) for j in parsed.experience]
    assert got == [
        ("Cobalt Freight Inc.", "Platform Engineer", "Seattle, WA", "03/2020", "05/2022", 2),
        ("Lumen Rail Labs", "Junior Developer", "Portland, OR", "2017", "2020", 3),
    ]
    [school] = parsed.education
    assert (school.institution, school.degree, school.start, school.end) == (
        "Portland State University",
        "B.S. Computer Science",
        "2013",
        "2017",
    )
    assert [(s.title, s.lines) for s in parsed.extra_sections] == [
        ("VOLUNTEERING", ["Code for Portland mentor, 2018 - 2021"])
    ]
    assert _lost_words(markdown, parsed) == []


def test_htmlbox_layout_bold_title_comma_company_and_title_at_company(tmp_path: Path) -> None:
    markdown = extract_markdown(htmlbox_pdf(tmp_path / "htmlbox.pdf"))
    parsed = parse_resume_markdown(markdown)
    assert (parsed.name, parsed.headline) == ("Søren Åberg", "Machine Learning Engineer")
    assert parsed.contact.location == "Stockholm, Sweden" and parsed.contact.phone == "+46 70 555 01 23"
    assert [g.items for g in parsed.skills] == [
        ["Python", "PyTorch", "scikit-learn", "SQL"],
        ["Docker", "Kubernetes", "GCP"],
    ]
    got = [(j.title, j.company, j.start, j.end, len(j.bullets)) for j in parsed.experience]
    assert got == [
        ("Machine Learning Engineer", "Fjordline Media AB", "Jan 2020", "Present", 2),
        ("Data Scientist", "Nordvik Bank", "Sep 2016", "Dec 2019", 1),
    ]
    [school] = parsed.education
    assert (school.institution, school.degree, school.end) == (
        "KTH Royal Institute of Technology",
        "M.Sc. Machine Learning",
        "2016",
    )
    # Spoken languages are not a section the parser models: kept as an extra section, verbatim.
    assert [(s.title, s.lines) for s in parsed.extra_sections] == [
        ("Languages", ["Swedish (native), English (fluent), German (basic)"])
    ]
    assert _lost_words(markdown, parsed) == []


@pytest.mark.parametrize(
    ("header", "title", "company", "location"),
    [
        (
            "### Staff Engineer — Acme Robotics Inc.\nAustin, TX | 2019 - 2021",
            "Staff Engineer",
            "Acme Robotics Inc.",
            "Austin, TX",
        ),
        (
            "**Acme Robotics** | Austin, TX\nStaff Engineer\n2019 - 2021",
            "Staff Engineer",
            "Acme Robotics",
            "Austin, TX",
        ),
        ("**Staff Engineer**, Acme Robotics    2019 - 2021", "Staff Engineer", "Acme Robotics", None),
        ("Acme Robotics, Staff Engineer\n2019 - 2021", "Staff Engineer", "Acme Robotics", None),
        ("Staff Engineer at Acme Robotics (2019 - 2021)", "Staff Engineer", "Acme Robotics", None),
        ("Acme Robotics, Austin, TX — Staff Engineer — 2019 - 2021", "Staff Engineer", "Acme Robotics", "Austin, TX"),
    ],
)
def test_experience_header_layouts(header: str, title: str, company: str, location: str | None) -> None:
    parsed = parse_resume_markdown(f"# Jo Doe\n\n## Experience\n\n{header}\n\n- Shipped the robot arm firmware.\n")
    [job] = parsed.experience
    assert (job.title, job.company, job.location) == (title, company, location)
    assert (job.start, job.end, job.bullets) == ("2019", "2021", ["Shipped the robot arm firmware."])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Boston, MA | Mar 2021 – Present", ("Mar 2021", "Present")),
        ("2019 - 2021", ("2019", "2021")),
        ("03/2020 - 05/2022", ("03/2020", "05/2022")),
        ("January 2018 to May 2019", ("January 2018", "May 2019")),
        ("Sept. 2017—Current", ("Sept. 2017", "Current")),
        ("2020-03 – 2021-11", ("2020-03", "2021-11")),
        ("Cut latency from 850 ms to 190 ms", None),
        ("Python 3.11, $410K saved, 1,200 trucks", None),
        ("Ran 2019-era systems", None),
    ],
)
def test_date_ranges(text: str, expected: tuple[str, str] | None) -> None:
    found = find_date_range(text)
    assert (found[:2] if found else None) == expected


UNSTRUCTURED = """\
Some notes I wrote about myself
I like building things that last.

Worked on compilers, then on databases; enjoyed both.
| Year | Thing |
|------|-------|
| 2019 | Moved to Lisbon |
Favourite tools → vim, make, awk
   * a lonely bullet
42
"""


def test_unstructured_text_keeps_every_line() -> None:
    parsed = parse_resume_markdown(UNSTRUCTURED)
    everything = normalize(" ".join(parsed.texts()))
    for line in UNSTRUCTURED.splitlines():
        content = normalize(line.strip(" *"))
        if any(c.isalnum() for c in content):
            assert content in everything, line
    assert parsed.experience == [] and parsed.skills == [] and parsed.education == []


def test_unplaceable_lines_inside_known_sections_are_kept() -> None:
    markdown = (
        "Pat Q\n\n## Experience\n\n- A bullet before any employer line at all.\n\n## Skills\n\n"
        "**Languages:** Python, Go **Data:** dbt; Airflow\n\n## Hobbies\n\nClimbing\n\nChess\n"
    )
    parsed = parse_resume_markdown(markdown)
    assert [(s.title, s.lines) for s in parsed.extra_sections] == [
        ("Experience", ["A bullet before any employer line at all."]),
        ("Hobbies", ["Climbing", "Chess"]),
    ]
    assert [(g.category, g.items) for g in parsed.skills] == [
        ("Languages", ["Python", "Go"]),
        ("Data", ["dbt", "Airflow"]),
    ]
    assert _lost_words(markdown, parsed) == []


def test_document_title_line_is_not_the_name() -> None:
    parsed = parse_resume_markdown("# Résumé\n\nDana Kowalski\n\ndana@example.com · 555-010-7788\n")
    assert parsed.name == "Dana Kowalski" and parsed.contact.phone == "555-010-7788"
    assert [(s.title, s.lines) for s in parsed.extra_sections] == [("", ["Résumé"])]


def test_short_unpunctuated_body_line_stays_in_its_job() -> None:
    """A plain line without dates or styling after a job's bullets is that job's text, not a new employer."""
    markdown = (
        "# Jo Doe\n\n## Experience\n\n### Developer — Widget Labs\n2020 - 2022\n\n- Shipped the billing API.\n\n"
        "Led a team of 5\n\n- Cut build time by half.\n\n### Intern — Gadget Co\n2019 - 2020\n\n- Wrote tests.\n"
    )
    widget, gadget = parse_resume_markdown(markdown).experience
    assert widget.bullets == ["Shipped the billing API.", "Led a team of 5", "Cut build time by half."]
    assert (gadget.title, gadget.company, gadget.bullets) == ("Intern", "Gadget Co", ["Wrote tests."])


def test_skills_category_lines_and_wrapped_lists() -> None:
    markdown = (
        "# Jo Doe\n\n## Technical Skills\n\n**Cloud**\n\nAWS (S3, IAM), GCP\n\nTerraform\n\n"
        "Data: Spark, Kafka,\nFlink, dbt\n\n- Linux, Git\n"
    )
    groups = [(g.category, g.items) for g in parse_resume_markdown(markdown).skills]
    assert groups == [
        ("Cloud", ["AWS (S3, IAM)", "GCP", "Terraform"]),
        ("Data", ["Spark", "Kafka", "Flink", "dbt"]),
        (None, ["Linux", "Git"]),
    ]


def test_untitled_profile_paragraph_is_the_summary_not_a_contact_line() -> None:
    profile = "Backend engineer who has shipped Node.js/TypeScript services and PostgreSQL schemas for eight years now."
    parsed = parse_resume_markdown(f"Lee Chan\n\ngithub.example.com/lchan\n\n{profile}\n\n## Skills\n\nGo, Rust\n")
    assert (parsed.name, parsed.contact.links, parsed.summary) == ("Lee Chan", ["github.example.com/lchan"], [profile])
