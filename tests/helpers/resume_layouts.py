"""Resumes in layouts other than the example's, as the parser tests feed them in."""

from __future__ import annotations

from pathlib import Path

import pymupdf

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


def plain_text_pdf(path: Path) -> Path:
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


def htmlbox_pdf(path: Path) -> Path:
    doc = pymupdf.open()
    doc.new_page().insert_htmlbox(pymupdf.Rect(56, 50, 556, 800), HTMLBOX_RESUME, css="* {font-size: 10pt}")
    doc.save(path)
    return path
