"""Tailored resumes for the render tests, and independent views of the text the renderer reads back.

`sample_resume` is tuned to the checks: non-ASCII names, words that would form ligatures ("efficient", "office",
"fluent") and exactly six bullets.
"""

from __future__ import annotations

from resume_tailor.contracts.resume import (
    Contact,
    Education,
    Experience,
    ExtraSection,
    Project,
    SkillGroup,
    TailoredResume,
)


def sample_resume() -> TailoredResume:
    return TailoredResume(
        name="José Müller",
        headline="Senior Data Engineer",
        contact=Contact(
            email="jose.mueller@example.com",
            phone="+49 30 1234 5678",
            location="Berlin, Germany",
            links=["linkedin.com/in/josemueller", "github.com/jmueller"],
        ),
        summary=(
            "Data engineer with eight years of experience building efficient, reliable pipelines on Python "
            "and Apache Spark. Fluent in German, English and Spanish."
        ),
        skills=[
            SkillGroup(category="Languages", items=["Python", "SQL", "Scala"]),
            SkillGroup(category="Data", items=["Apache Spark", "Airflow", "dbt", "Kafka"]),
        ],
        experience=[
            Experience(
                company="Zalando SE",
                title="Senior Data Engineer",
                location="Berlin, Germany",
                start="Mar 2020",
                end="Present",
                bullets=[
                    "Designed an efficient workflow orchestration layer on Airflow that cut nightly batch "
                    "runtime from 6 hours to 90 minutes.",
                    "Led migration of 40 TB of office analytics data from Hadoop to S3, reducing storage costs by 35%.",
                    "Mentored four engineers and introduced a fluent on-call rotation.",
                ],
            ),
            Experience(
                company="Société Générale",
                title="Data Engineer",
                location="Paris, France",
                start="Jan 2016",
                end="Feb 2020",
                bullets=[
                    "Built Kafka-based streaming ingestion for 2 million trade events per day.",
                    "Automated regulatory reporting with Python and SQL, saving 120 hours per quarter.",
                ],
            ),
        ],
        education=[
            Education(
                institution="Technische Universität München",
                degree="M.Sc. Informatics",
                start="2013",
                end="2015",
                details=["Thesis: scalable stream processing for fraud detection."],
            )
        ],
        certifications=["AWS Certified Data Analytics – Specialty"],
        projects=[
            Project(
                name="open-flow-lint",
                description="Open-source linter for Airflow DAGs.",
                bullets=["Reached 1,200 GitHub stars; adopted by three companies in production."],
            )
        ],
        extra_sections=[ExtraSection(title="Languages", items=["German (native)", "English (fluent)"])],
    )


def long_resume(jobs: int) -> TailoredResume:
    experience = [
        Experience(
            company=f"Company {j}",
            title="Software Engineer",
            start=f"{2000 + j}",
            end=f"{2001 + j}",
            bullets=[
                f"Job {j} bullet {b}: improved the efficient office workflow of team {b} by refactoring "
                f"services, writing tests and documenting the deployment process for {b + 2} colleagues."
                for b in range(8)
            ],
        )
        for j in range(jobs)
    ]
    return sample_resume().model_copy(update={"experience": experience})


def flat(text: str) -> str:
    """Read-back text with markdown emphasis removed and whitespace collapsed (an independent, simple view)."""
    return " ".join(text.replace("**", "").split())


def assert_in_order(haystack: str, needles: list[str]) -> None:
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        assert found >= 0, f"{needle!r} not found after position {position}"
        position = found + len(needle)
