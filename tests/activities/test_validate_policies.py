"""The validate stage's policies on one fabricated resume: strip removes, warn keeps, reject fails the activity
without retries; and the keyword coverage the report carries.
"""

from __future__ import annotations

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.validate import validate_against_original
from resume_tailor.contracts import ClaimKind, SkillGroup, ValidateInput, ValidationPolicy
from tests.helpers.validation_samples import BETA, FAITHFUL, JOB, ORIGINAL, acme, flagged, tailored, validate

FABRICATED = tailored(
    skills=[SkillGroup(items=["Python", "Kubernetes"])],
    experience=[acme(company="Google"), BETA.model_copy(update={"title": "Staff Engineer"})],
)
FABRICATED_CLAIMS = {
    (ClaimKind.SKILL, "Kubernetes", "skills[0].items[1]"),
    (ClaimKind.EMPLOYER, "Google", "experience[0].company"),
    (ClaimKind.TITLE, "Staff Engineer", "experience[1].title"),
}


def test_strip_policy_removes_and_lists_every_claim() -> None:
    result = validate(FABRICATED, ValidationPolicy.STRIP)

    assert flagged(result) == FABRICATED_CLAIMS
    assert {c.action for c in result.report.unsupported} == {"removed"}
    assert not result.report.passed
    assert result.resume.skills == [SkillGroup(items=["Python"])]
    assert [(job.company, job.title) for job in result.resume.experience] == [("Beta Systems, Inc.", None)]


def test_warn_policy_keeps_the_resume_and_lists_every_claim() -> None:
    result = validate(FABRICATED, ValidationPolicy.WARN)

    assert flagged(result) == FABRICATED_CLAIMS
    assert {c.action for c in result.report.unsupported} == {"reported"}
    assert not result.report.passed
    assert result.resume == FABRICATED


def test_reject_policy_reports_without_raising_from_the_pure_function() -> None:
    result = validate(FABRICATED, ValidationPolicy.REJECT)

    assert flagged(result) == FABRICATED_CLAIMS
    assert {c.action for c in result.report.unsupported} == {"rejected"}
    assert result.resume == FABRICATED


async def test_reject_policy_fails_the_activity_without_retries() -> None:
    request = ValidateInput(original_markdown=ORIGINAL, resume=FABRICATED, job=JOB, policy=ValidationPolicy.REJECT)

    with pytest.raises(ApplicationError) as raised:
        await ActivityEnvironment().run(validate_against_original, request)

    error = raised.value
    assert error.type == "ValidationRejected"
    assert error.non_retryable
    assert error.message.startswith("The tailored resume makes 3 claims the original does not support: ")
    assert "employer 'Google' (experience[0].company)" in error.message
    report = error.details[0]
    assert report["passed"] is False
    assert {(c["kind"], c["value"], c["location"]) for c in report["unsupported"]} == {
        (kind.value, value, location) for kind, value, location in FABRICATED_CLAIMS
    }


async def test_activity_returns_the_result_with_its_attempt() -> None:
    request = ValidateInput(original_markdown=ORIGINAL, resume=FAITHFUL, job=JOB, policy=ValidationPolicy.REJECT)

    result = await ActivityEnvironment().run(validate_against_original, request)

    assert result.report.passed
    assert result.attempt == 1
    assert result.resume == FAITHFUL


async def test_activity_strips_under_the_default_policy() -> None:
    request = ValidateInput(original_markdown=ORIGINAL, resume=FABRICATED, job=JOB)

    result = await ActivityEnvironment().run(validate_against_original, request)

    assert {c.action for c in result.report.unsupported} == {"removed"}
    assert [job.company for job in result.resume.experience] == ["Beta Systems, Inc."]


def test_keyword_coverage_counts_only_terms_the_original_supports() -> None:
    """Kubernetes is in the posting and (fabricated) in the tailored resume: missing, never surfaced."""
    resume = tailored(skills=[SkillGroup(items=["Python", "Kubernetes"])])

    for policy in ValidationPolicy:
        coverage = validate(resume, policy).report.coverage

        assert {"kubernetes", "terraform", "helm", "python", "postgresql", "aws"} <= set(coverage.posting_terms)
        assert {"python", "postgresql", "aws"} <= set(coverage.covered_by_original)
        assert {"kubernetes", "terraform", "helm"} <= set(coverage.missing_from_original)
        assert set(coverage.covered_by_original) | set(coverage.missing_from_original) == set(coverage.posting_terms)
        assert not set(coverage.covered_by_original) & set(coverage.missing_from_original)
        assert "kubernetes" not in coverage.surfaced_in_tailored
        assert {"python", "postgresql", "aws"} <= set(coverage.surfaced_in_tailored)
        assert set(coverage.surfaced_in_tailored) <= set(coverage.covered_by_original)


def test_keyword_coverage_is_computed_on_the_stripped_resume() -> None:
    """AWS is covered by the original; once the only entry mentioning it is stripped, it is no longer surfaced."""
    resume = tailored(
        summary=None,
        certifications=[],
        skills=[],
        experience=[acme(company="Google"), BETA],
    )

    stripped = validate(resume, ValidationPolicy.STRIP).report.coverage
    warned = validate(resume, ValidationPolicy.WARN).report.coverage

    assert "aws" in stripped.covered_by_original
    assert "aws" not in stripped.surfaced_in_tailored
    assert "aws" in warned.surfaced_in_tailored
