"""The original resume, job posting and faithful tailoring the validate tests share, with builders that change
one thing at a time and a shortcut to run the validator on them.
"""

from __future__ import annotations

from activities.validate import validate_resume
from resume_tailor.contracts import (
    ClaimKind,
    Contact,
    Education,
    Experience,
    JobPosting,
    SkillGroup,
    TailoredResume,
    ValidateResult,
    ValidationPolicy,
)

# What pymupdf4llm makes of a typical one-page PDF: bold headings, a ligature, a word hyphenated across a line
# break, a skills table as markdown pipes.
ORIGINAL = """# **José Müller**

Berlin, Germany · jose.muller@example.com · +49 30 1234 5678 · github.com/josemuller · linkedin.com/in/jose-muller

## **Summary**

Backend engineer with eight years of experience building data-intensive services in Python.

## **Experience**

**Senior Software Engineer** , Acme Analytics GmbH — Mar 2020 – Present

- Reduced API latency by 30% by redesigning the caching layer in Python and PostgreSQL, serving 2M requests
per day.
- Led a team of 5 engineers through the migration from a monolith to event-driven micro-
services on AWS.
- Cut infrastructure cost by $120,000 per year with autoscaling.

**Software Engineer** , Beta Systems Inc. — Jun 2017 – Feb 2020

- Built ﬁnancial reporting pipelines processing 1,200 reports a day.
- Introduced code review guidelines adopted by 3 teams.

## **Education**

B.Sc. Computer Science, Technische Universität München, 2013 – 2017

## **Certifications**

AWS Certified Solutions Architect – Associate (2021)

## **Skills**

| Languages | Python, SQL, Bash |
|---|---|
| Data | PostgreSQL, Redis, Kafka |
"""

JOB = JobPosting(
    title="Senior Platform Engineer",
    company="Orbital Robotics",
    text="""About Orbital Robotics
We build the software that runs warehouse robots.

What you'll do:
- Design and operate services on Kubernetes and Terraform.
- Own our Python and PostgreSQL data layer.

Requirements:
- 5+ years of experience with Python
- Experience with Kubernetes, Helm and AWS
""",
)

ACME = Experience(
    company="Acme Analytics",
    title="Senior Software Engineer",
    start="2020-03",
    end="present",
    bullets=[
        "Led a team of 5 engineers through the migration to event-driven microservices on AWS.",
        "Reduced API latency by 30% by redesigning the caching layer in Python and PostgreSQL.",
        "Cut infrastructure cost by $120K per year with autoscaling.",
    ],
)
BETA = Experience(
    company="Beta Systems, Inc.",
    title="software engineer",
    start="06/2017",
    end="February 2020",
    bullets=[
        "Built financial reporting pipelines processing 1,200 reports a day.",
        "Introduced code review guidelines adopted by three teams.",
    ],
)

# Reordered bullets, other date formats, other case, abbreviations, "$120K" for "$120,000", no accents.
FAITHFUL = TailoredResume(
    name="JOSÉ MÜLLER",
    headline="Sr. Software Engineer",
    contact=Contact(
        email="Jose.Muller@Example.com",
        phone="+49 (30) 1234-5678",
        location="Berlin, Germany",
        links=["https://www.github.com/josemuller/", "linkedin.com/in/jose-muller"],
    ),
    summary="Backend engineer building data-intensive services in Python. Experienced with PostgreSQL and Kafka.",
    skills=[
        SkillGroup(category="Languages", items=["python", "SQL"]),
        SkillGroup(category="Data", items=["PostgreSQL", "Kafka", "Redis"]),
    ],
    experience=[ACME, BETA],
    education=[
        Education(
            institution="Technische Universitat Munchen",
            degree="Bachelor of Science in Computer Science",
            start="2013",
            end="2017",
        )
    ],
    certifications=["AWS Certified Solutions Architect - Associate"],
)


def tailored(**changes: object) -> TailoredResume:
    return FAITHFUL.model_copy(update=changes, deep=True)


def acme(**changes: object) -> Experience:
    return ACME.model_copy(update=changes, deep=True)


def validate(resume: TailoredResume, policy: ValidationPolicy = ValidationPolicy.STRIP) -> ValidateResult:
    return validate_resume(ORIGINAL, resume, JOB, policy)


def flagged(result: ValidateResult) -> set[tuple[ClaimKind, str, str]]:
    return {(c.kind, c.value, c.location) for c in result.report.unsupported}
