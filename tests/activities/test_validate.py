"""The validate stage: a faithful tailoring passes, and each kind of fabricated claim is caught.

The policies (strip / warn / reject), the activity and keyword coverage are in `test_validate_policies.py`.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

import pytest

from activities.validate import validate_resume
from resume_tailor.contracts import ClaimKind, Contact, SkillGroup, ValidationPolicy
from tests.helpers.validation_samples import ACME, BETA, FAITHFUL, JOB, ORIGINAL, acme, flagged, tailored, validate


def test_faithful_tailoring_passes_unchanged() -> None:
    result = validate(tailored(experience=[acme(bullets=list(reversed(ACME.bullets))), BETA]))

    assert flagged(result) == set()
    assert result.report.passed
    # Name, headline, 4 contact details, skills, employers, titles, dates, numbers, degree, certification...
    assert result.report.checked_claims >= 30
    assert result.resume.experience[0].bullets == list(reversed(ACME.bullets))
    assert result.resume.education == FAITHFUL.education


def test_every_claim_is_counted() -> None:
    baseline = validate(FAITHFUL).report.checked_claims
    # Two claims: the number and the technology; ordinary words are not claims.
    extra_bullet = acme(bullets=[*ACME.bullets, "Cut database load by 30% on AWS."])

    assert validate(tailored(experience=[extra_bullet, BETA])).report.checked_claims == baseline + 2


def test_invented_employer_removes_the_whole_entry() -> None:
    result = validate(tailored(experience=[acme(company="Google"), BETA]))

    assert flagged(result) == {(ClaimKind.EMPLOYER, "Google", "experience[0].company")}
    assert [job.company for job in result.resume.experience] == ["Beta Systems, Inc."]


def test_invented_title_is_set_to_none() -> None:
    result = validate(tailored(experience=[acme(title="Engineering Manager"), BETA]))

    assert flagged(result) == {(ClaimKind.TITLE, "Engineering Manager", "experience[0].title")}
    assert result.resume.experience[0].title is None
    assert result.resume.experience[0].bullets == ACME.bullets


def test_title_borrowed_from_another_job_is_flagged() -> None:
    """A promotion invented by moving Acme's "Senior" title to the Beta job."""
    result = validate(tailored(experience=[ACME, BETA.model_copy(update={"title": "Senior Software Engineer"})]))

    assert flagged(result) == {(ClaimKind.TITLE, "Senior Software Engineer", "experience[1].title")}


def test_invented_degree_is_flagged() -> None:
    school = FAITHFUL.education[0].model_copy(update={"degree": "M.S. Computer Science"})
    result = validate(tailored(education=[school]))

    assert flagged(result) == {(ClaimKind.DEGREE, "M.S. Computer Science", "education[0].degree")}
    assert result.resume.education[0].degree is None
    assert result.resume.education[0].institution == "Technische Universitat Munchen"


def test_inflated_number_removes_the_bullet() -> None:
    inflated = "Reduced API latency by 45% by redesigning the caching layer in Python and PostgreSQL."
    result = validate(tailored(experience=[acme(bullets=[ACME.bullets[0], inflated]), BETA]))

    assert flagged(result) == {(ClaimKind.NUMBER, "45%", "experience[0].bullets[1]")}
    assert result.resume.experience[0].bullets == [ACME.bullets[0]]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Grew a team of 12 engineers.", "12"),
        ("Cut infrastructure cost by $1.2M per year.", "$1.2M"),
        ("Led a team of seven engineers.", "seven"),
        ("Served 2 billion requests per day.", "2 billion"),  # the original's "2M" supports 2, not 2 billion
        ("Cut cost by 49% with autoscaling.", "49%"),  # 49 is only in the phone number "+49 30 ..."
    ],
)
def test_numbers_absent_from_the_original_are_flagged(text: str, value: str) -> None:
    result = validate(tailored(experience=[acme(bullets=[text]), BETA]))

    assert flagged(result) == {(ClaimKind.NUMBER, value, "experience[0].bullets[0]")}


def test_equivalent_amounts_are_supported() -> None:
    """ "2M" in the original supports "2 million" and "2,000,000"; "$120,000" supports "$120K"."""
    bullets = ["Served 2 million requests per day.", "Served 2,000,000 requests a day.", "Saved $120K."]
    result = validate(tailored(experience=[acme(bullets=bullets), BETA]))

    assert flagged(result) == set()


def test_skill_from_the_posting_is_caught_in_the_skills_list_and_in_lowercase_prose() -> None:
    skills = [SkillGroup(category="Platform", items=["Python", "Kubernetes"]), SkillGroup(items=["Terraform"])]
    bullet = "Deployed the caching layer on kubernetes."
    result = validate(tailored(skills=skills, experience=[acme(bullets=[*ACME.bullets, bullet]), BETA]))

    assert flagged(result) == {
        (ClaimKind.SKILL, "Kubernetes", "skills[0].items[1]"),
        (ClaimKind.SKILL, "Terraform", "skills[1].items[0]"),
        (ClaimKind.TERM, "kubernetes", "experience[0].bullets[3]"),
    }
    assert [g.items for g in result.resume.skills] == [["Python"]]  # the emptied group is dropped
    assert result.resume.experience[0].bullets == ACME.bullets


def test_technical_and_proper_noun_terms_in_prose_are_caught() -> None:
    bullets = [
        "Moved the pipelines to Node.js and K8s.",
        "Partnered with Stripe on payments.",
        "Reported weekly to the CTO.",
    ]
    result = validate(tailored(experience=[acme(bullets=bullets), BETA]))

    assert flagged(result) == {
        (ClaimKind.TERM, "Node.js", "experience[0].bullets[0]"),
        (ClaimKind.TERM, "K8s", "experience[0].bullets[0]"),
        (ClaimKind.TERM, "Stripe", "experience[0].bullets[1]"),
        (ClaimKind.TERM, "CTO", "experience[0].bullets[2]"),
    }


def test_capitalised_sentence_starts_are_not_claims() -> None:
    """Regression: ordinary words capitalised only because they open a sentence or bullet were flagged."""
    summary = "Pragmatic backend engineer. Enjoys building data-intensive services in Python. Comfortable mentoring."
    bullets = ["Championed code review guidelines; Mentored engineers.", "Rebuilt the caching layer - Shipped it."]
    result = validate(tailored(summary=summary, experience=[acme(bullets=bullets), BETA]))

    assert flagged(result) == set()
    assert result.resume.summary == summary


def test_unsupported_summary_sentence_is_removed() -> None:
    summary = "Backend engineer building services in Python. Certified Scrum Master with Terraform expertise."
    result = validate(tailored(summary=summary))

    assert flagged(result) == {
        (ClaimKind.TERM, "Scrum Master", "summary"),
        (ClaimKind.TERM, "Terraform", "summary"),
    }
    assert result.resume.summary == "Backend engineer building services in Python."


@pytest.mark.parametrize(
    ("field", "value"),
    [("start", "Jan 2019"), ("start", "Jun 2017"), ("end", "Dec 2023")],
    ids=["invented", "borrowed-from-another-job", "invented-end"],
)
def test_changed_date_is_set_to_none(field: str, value: str) -> None:
    result = validate(tailored(experience=[acme(**{field: value}), BETA]))

    assert flagged(result) == {(ClaimKind.DATE, value, f"experience[0].{field}")}
    assert getattr(result.resume.experience[0], field) is None


@pytest.mark.parametrize(("start", "end"), [("Mar 2020", "Current"), ("03/2020", "Now"), ("3/2020", "PRESENT")])
def test_date_formats_are_equivalent(start: str, end: str) -> None:
    assert validate(tailored(experience=[acme(start=start, end=end), BETA])).report.passed


def test_month_added_to_a_year_only_date_is_flagged() -> None:
    school = FAITHFUL.education[0].model_copy(update={"end": "July 2017"})
    result = validate(tailored(education=[school]))

    assert flagged(result) == {(ClaimKind.DATE, "July 2017", "education[0].end")}


def test_fabricated_links_and_contact_details_are_removed() -> None:
    contact = Contact(
        email="jose@gmail.com",
        phone="+49 30 9999 0000",
        location="Munich, Germany",
        links=["github.com/josemuller", "https://github.com/jose", "josemuller.dev"],
    )
    result = validate(tailored(contact=contact))

    assert flagged(result) == {
        (ClaimKind.CONTACT, "jose@gmail.com", "contact.email"),
        (ClaimKind.CONTACT, "+49 30 9999 0000", "contact.phone"),
        (ClaimKind.CONTACT, "Munich, Germany", "contact.location"),
        (ClaimKind.LINK, "https://github.com/jose", "contact.links[1]"),
        (ClaimKind.LINK, "josemuller.dev", "contact.links[2]"),
    }
    assert result.resume.contact == Contact(links=["github.com/josemuller"])


@pytest.mark.parametrize("link", ["http://GitHub.com/JoseMuller", "www.linkedin.com/in/jose-muller/"])
def test_links_compare_without_scheme_www_case_or_trailing_slash(link: str) -> None:
    assert validate(tailored(contact=Contact(links=[link]))).report.passed


def test_part_of_an_address_is_not_the_address() -> None:
    contact = Contact(email="muller@example.com", links=["github.com/josemull"])
    result = validate(tailored(contact=contact))

    assert flagged(result) == {
        (ClaimKind.CONTACT, "muller@example.com", "contact.email"),
        (ClaimKind.LINK, "github.com/josemull", "contact.links[0]"),
    }


def test_invented_certification_is_removed() -> None:
    certifications = ["AWS Certified Solutions Architect – Associate (2021)", "Certified Kubernetes Administrator"]
    result = validate(tailored(certifications=certifications))

    assert flagged(result) == {(ClaimKind.CERTIFICATION, "Certified Kubernetes Administrator", "certifications[1]")}
    assert result.resume.certifications == certifications[:1]


def test_headline_copied_from_the_posting_is_removed() -> None:
    result = validate(tailored(headline="Senior Platform Engineer"))

    assert flagged(result) == {(ClaimKind.HEADLINE, "Senior Platform Engineer", "headline")}
    assert result.resume.headline is None


@pytest.mark.parametrize("name", ["José Müller", "Zoë Łukasiewicz", "Ngọc Trần"])
@pytest.mark.parametrize(("original_form", "tailored_form"), [("NFC", "NFD"), ("NFD", "NFC")])
def test_non_ascii_names_match_across_unicode_forms(
    name: str, original_form: Literal["NFC", "NFD"], tailored_form: Literal["NFC", "NFD"]
) -> None:
    original = ORIGINAL.replace("José Müller", unicodedata.normalize(original_form, name.upper()))
    resume = tailored(name=unicodedata.normalize(tailored_form, name))

    result = validate_resume(original, resume, JOB, ValidationPolicy.STRIP)

    assert flagged(result) == set()


def test_a_different_non_ascii_name_is_reported_and_kept() -> None:
    result = validate(tailored(name="José Müllerová"))

    assert flagged(result) == {(ClaimKind.NAME, "José Müllerová", "name")}
    assert [c.action for c in result.report.unsupported] == ["reported"]  # a resume cannot lose its name
    assert result.resume.name == "José Müllerová"


def test_ligatures_and_line_break_hyphens_in_the_original_match() -> None:
    """The original has "ﬁnancial" (U+FB01) and "micro-\\nservices" across a line break."""
    assert "ﬁnancial" in ORIGINAL and "micro-\nservices" in ORIGINAL
    skills = [SkillGroup(items=["Event-driven microservices", "Financial reporting"])]

    assert validate(tailored(skills=skills)).report.passed


def test_a_number_must_come_from_the_fact_it_restates() -> None:
    """Regression guard: "5 engineers" in one bullet must not support "reduced latency by 5%" in another. Each
    number is checked against the original lines that share its bullet's words, not the whole resume."""
    moved = "Reduced API latency by 5% by redesigning the caching layer in Python and PostgreSQL."
    faithful = "Led a team of 5 engineers through the migration to event-driven microservices on AWS."
    result = validate(tailored(experience=[acme(bullets=[moved, faithful]), BETA]))

    assert flagged(result) == {(ClaimKind.NUMBER, "5%", "experience[0].bullets[0]")}
