"""`generate_offline`: a valid `TailoredResume`, made only of the original's words, ordered by the posting."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from activities.offline_generator import MAX_BULLETS_PER_JOB, generate_offline
from activities.terms import normalize
from resume_tailor.contracts.resume import TailoredResume
from resume_tailor.contracts.stages import JobPosting
from resume_tailor.job_file import load_job_posting
from tests.helpers.executables import PROJECT
from tests.helpers.resume_markdown import example_markdown, undecorated


@pytest.fixture(scope="module")
def markdown(tmp_path_factory: pytest.TempPathFactory) -> str:
    return example_markdown(tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="module")
def example_job() -> JobPosting:
    return load_job_posting(PROJECT / "examples" / "job_posting.md")


def _posting(text: str, title: str = "Data Engineer") -> JobPosting:
    return JobPosting(title=title, company="Acme", text=text)


def _emitted_strings(resume: TailoredResume) -> list[str]:
    """Every claim-bearing string of the output (the summary is checked sentence by sentence elsewhere)."""
    out = [resume.name, resume.headline, resume.contact.email, resume.contact.phone, resume.contact.location]
    out += resume.contact.links + resume.certifications
    for group in resume.skills:
        out += [group.category, *group.items]
    for job in resume.experience:
        out += [job.company, job.title, job.location, job.start, job.end, *job.bullets]
    for school in resume.education:
        out += [school.institution, school.degree, school.start, school.end, *school.details]
    for project in resume.projects:
        out += [project.name, project.description, *project.bullets]
    for section in resume.extra_sections:
        out += [section.title, *section.items]
    return [text for text in out if text]


def test_example_output_is_a_valid_tailored_resume(markdown: str, example_job: JobPosting) -> None:
    resume = generate_offline(markdown, example_job)
    assert TailoredResume.model_validate_json(resume.model_dump_json()) == resume
    assert resume.name == "Ana Lúcia Ferreira"
    assert [job.company for job in resume.experience] == [
        "Northwind Analytics",
        "Bluefin Logistics",
        "Quillmark Software",
    ]
    assert [len(job.bullets) for job in resume.experience] == [5, 4, 3]
    assert len(resume.bullets()) == 14  # 12 job bullets and the project's 2: none dropped, none added


def test_every_emitted_string_occurs_in_the_original(markdown: str, example_job: JobPosting) -> None:
    original = undecorated(markdown)
    resume = generate_offline(markdown, example_job)
    strings = _emitted_strings(resume)
    assert len(strings) > 40
    assert [s for s in strings if normalize(s) not in original] == []
    assert resume.summary is not None
    sentences = [s for s in resume.summary.split(". ") if s]
    assert len(sentences) == 4 and all(normalize(s.rstrip(".")) in original for s in sentences)


def test_posting_terms_the_candidate_lacks_are_not_added(markdown: str, example_job: JobPosting) -> None:
    """The example posting asks for Kubernetes, Scala, Flink and Helm; the resume has none of them."""
    assert all(term in example_job.text for term in ("Kubernetes", "Scala", "Flink", "Helm"))
    dumped = generate_offline(markdown, example_job).model_dump_json().casefold()
    assert [t for t in ("kubernetes", "scala", "flink", "helm", "hipaa") if t in dumped] == []


def test_headline_is_the_originals_not_the_postings(markdown: str) -> None:
    resume = generate_offline(markdown, _posting("Terraform and Kafka.", title="Staff Platform Engineer"))
    assert resume.headline == "Senior Data Engineer"


def test_relevant_bullets_come_first(markdown: str) -> None:
    neutral = generate_offline(markdown, _posting("We bake sourdough bread every morning.", title="Baker"))
    infra = generate_offline(
        markdown,
        _posting("Automate our infrastructure with Terraform and GitHub Actions. Reduce AWS compute spend on EMR."),
    )
    northwind, bluefin = neutral.experience[0].bullets, neutral.experience[1].bullets
    assert northwind[0].startswith("Led the migration") and bluefin[0].startswith("Designed 80+ Airflow DAGs")
    assert infra.experience[1].bullets[0].startswith("Automated infrastructure with Terraform and GitHub Actions")
    assert infra.experience[0].bullets[0].startswith("Reduced AWS compute spend by $410K")
    assert sorted(infra.experience[0].bullets) == sorted(northwind)  # reordered, nothing lost
    assert [job.company for job in infra.experience] == [job.company for job in neutral.experience]


def test_relevant_skills_and_groups_come_first(markdown: str) -> None:
    neutral = generate_offline(markdown, _posting("We bake sourdough bread every morning.", title="Baker"))
    # Earlier posting terms weigh more: Docker > Terraform > TypeScript.
    tailored = generate_offline(markdown, _posting("You know Docker, Terraform and TypeScript.", title="Developer"))
    assert [g.category for g in neutral.skills] == ["Languages", "Data", "Cloud", "Practices"]
    assert [g.category for g in tailored.skills] == ["Cloud", "Languages", "Data", "Practices"]
    assert tailored.skills[0].items[:2] == ["Docker", "Terraform"]
    assert tailored.skills[1].items == ["TypeScript", "Python", "SQL", "Go", "Bash"]


def test_summary_keeps_its_opening_sentence_and_moves_relevant_ones_up(markdown: str) -> None:
    resume = generate_offline(markdown, _posting("Mentor engineers; partner with analytics and product teams."))
    assert resume.summary is not None
    assert resume.summary.startswith("Senior data engineer with 9 years")
    assert resume.summary.index("Mentors engineers") < resume.summary.index("Designs Python and SQL")


def test_deterministic_across_processes(markdown: str, example_job: JobPosting) -> None:
    """Same input, same output, whatever the hash seed (no set iteration order leaks into the result)."""
    script = (
        "import sys, json; from activities.offline_generator import generate_offline;"
        "from resume_tailor.contracts.stages import JobPosting; data = json.load(sys.stdin);"
        "print(generate_offline(data['md'], JobPosting(**data['job'])).model_dump_json())"
    )
    payload = json.dumps({"md": markdown, "job": example_job.model_dump()})
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            input=payload,
            capture_output=True,
            text=True,
            check=True,
            cwd=PROJECT,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert outputs == {generate_offline(markdown, example_job).model_dump_json() + "\n"}


def test_caps_drop_whole_items_never_cut_strings() -> None:
    long_bullet = "Kafka " + "word " * 130 + "end."  # over the 600-character bullet cap
    bullets = [f"- Did task number {i} with Go." for i in range(9)]
    markdown = "\n".join(
        [
            "# Sam Lee",
            "## Skills",
            "Tools: " + ", ".join(f"tool{i}" for i in range(80)),
            "## Experience",
            "### Developer — Widget Labs",
            "2020 - 2022",
            f"- {long_bullet}",
            *bullets[:4],
            "- Built Kafka consumers in Go.",
            *bullets[4:],
        ]
    )
    resume = generate_offline(markdown, _posting("Kafka experience required."))
    [job] = resume.experience
    assert len(job.bullets) == MAX_BULLETS_PER_JOB
    assert job.bullets[0] == "Built Kafka consumers in Go."
    assert all(b in markdown for b in job.bullets)
    assert len(resume.skills[0].items) == 60 and resume.skills[0].items[:2] == ["tool0", "tool1"]


def test_unstructured_resume_still_yields_a_valid_resume() -> None:
    text = "Chris Park\nI have done many things over many years in many places and I liked most of them.\n"
    resume = generate_offline(text, _posting("Python."))
    assert resume.name == "Chris Park"
    assert resume.summary == "I have done many things over many years in many places and I liked most of them."
    assert resume.experience == [] and resume.skills == []
