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


LEGACY_MARKDOWN = """\
# **Ana Lúcia Ferreira**

Senior Data Engineer

ana.ferreira@example.com | +1 (617) 555-0142 | Boston, MA | linkedin.example.com/in/aferreira |
github.example.com/aferreira

**<mark>Experience</mark>**

**Senior Data Engineer — Northwind Analytics**
Boston, MA | Mar 2021 – Present

Led the migration of a 40 TB Hadoop warehouse to Snowflake and dbt, reducing nightly reporting latency
from 24 hours to 15 minutes.
Built a Kafka and Spark Structured Streaming pipeline ingesting 2.3 billion clickstream events per day with
99.95% uptime.

**Software Engineer — Quillmark Software**
Worcester, MA | Aug 2015 – May 2018

 - Developed REST APIs in Python and Go for a document-workflow product serving 300 enterprise customers.

 - Cut p95 API latency from 850 ms to 190 ms by adding Redis caching and rewriting hot PostgreSQL queries. \
• Wrote the event export service that fed the first company data warehouse, processing 5 million records

nightly.

 -

**<mark>Education</mark>**

**M.S. Computer Science — Northeastern University**
2013 – 2015

**B.S. Computer Engineering — Universidade Federal de Minas Gerais**
2008 – 2013
"""


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


def _plain_text_pdf(path: Path) -> Path:
    """Capitalised headings, "Company, Title" order, numeric dates, one line at a time with insert_text."""
    doc = pymupdf.open()
    page = doc.new_page()
    lines = [
        ("Jordan O'Neill-Kim", 18, 0),
        ("Seattle, WA · jordan.kim@example.net · (206) 555-0199 · https://jordan.example.dev/", 9, 0),
        ("PROFILE", 12, 0),
        ("Platform engineer who builds internal developer tools and keeps CI fast for 200 engineers.", 10, 0),
        ("WORK EXPERIENCE", 12, 0),
        ("Cobalt Freight Inc., Platform Engineer", 10, 0),
        ("Seattle, WA   03/2020 - 05/2022", 10, 0),
        ("• Cut CI pipeline time from 40 to 12 minutes by caching builds in Bazel.", 10, 10),
        ("• Built a self-service deploy tool used by 35 services.", 10, 10),
        ("Lumen Rail Labs, Junior Developer", 10, 0),
        ("Portland, OR   2017 - 2020", 10, 0),
        ("• Wrote Ruby on Rails features for the ticketing site.", 10, 10),
        ("• Added end-to-end tests that caught 90% of regressions before release.", 10, 10),
        ("• Migrated background jobs from cron to Sidekiq.", 10, 10),
        ("EDUCATION", 12, 0),
        ("Portland State University, B.S. Computer Science, 2013 - 2017", 10, 0),
        ("VOLUNTEERING", 12, 0),
        ("Code for Portland mentor, 2018 - 2021", 10, 0),
    ]
    y = 60.0
    for text, size, indent in lines:
        y += 10 if size > 10 else 0
        page.insert_text((56 + indent, y), text, fontsize=size, fontname="helv")
        y += size + 6
    doc.save(path)
    return path


def test_plain_text_layout_company_first_and_numeric_dates(tmp_path: Path) -> None:
    markdown = extract_markdown(_plain_text_pdf(tmp_path / "plain.pdf"))
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


HTMLBOX_RESUME = """
<h1>Søren Åberg</h1>
<p>Machine Learning Engineer</p>
<p>soren.aberg@example.org | +46 70 555 01 23 | Stockholm, Sweden | github.example.org/saberg</p>
<h2>Technical Skills</h2>
<ul><li>Python, PyTorch, scikit-learn, SQL</li><li>Docker, Kubernetes, GCP</li></ul>
<h2>Professional Experience</h2>
<p><b>Machine Learning Engineer</b>, Fjordline Media AB</p>
<p>Jan 2020 – Present</p>
<ul><li>Shipped a recommendation model that raised click-through by 14%.</li>
<li>Reduced training cost by 35% with mixed-precision training on GCP.</li></ul>
<p><b>Data Scientist at Nordvik Bank</b></p>
<p>Sep 2016 – Dec 2019</p>
<ul><li>Built fraud-scoring features in SQL and Python used on 2 million transactions a day.</li></ul>
<h2>Education</h2>
<p><b>KTH Royal Institute of Technology</b></p>
<p>M.Sc. Machine Learning, 2014 – 2016</p>
<h2>Languages</h2>
<p>Swedish (native), English (fluent), German (basic)</p>
"""


def test_htmlbox_layout_bold_title_comma_company_and_title_at_company(tmp_path: Path) -> None:
    doc = pymupdf.open()
    doc.new_page().insert_htmlbox(pymupdf.Rect(56, 50, 556, 800), HTMLBOX_RESUME, css="* {font-size: 10pt}")
    doc.save(tmp_path / "htmlbox.pdf")
    markdown = extract_markdown(tmp_path / "htmlbox.pdf")
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
