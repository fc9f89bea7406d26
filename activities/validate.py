"""The validate stage: nothing in the tailored resume may go beyond what the original resume says.

Every employer, title, date, degree, institution, certification, number, skill, link, contact detail and the name
is traced back to the original (`activities.evidence`); prose is searched for numbers, dates and technical or
proper-noun terms (`activities.claims`). The job posting only contributes keywords to report coverage for, never
evidence. What happens to an unsupported claim is the policy's call: `strip` removes it before rendering, `warn`
keeps it, `reject` fails the run with a message naming every claim.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Sequence
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.claims import find_dates, posting_technical_terms, split_sentences, text_claims
from activities.evidence import Evidence
from activities.heartbeat import current_attempt, heartbeating, log_stage
from activities.terms import posting_key_terms
from activities.vocabulary import words
from resume_tailor.contracts import (
    ClaimKind,
    Contact,
    Education,
    Experience,
    ExtraSection,
    JobPosting,
    KeywordCoverage,
    Project,
    SkillGroup,
    TailoredResume,
    UnsupportedClaim,
    ValidateInput,
    ValidateResult,
    ValidationPolicy,
    ValidationReport,
)

_ACTIONS = {ValidationPolicy.STRIP: "removed", ValidationPolicy.WARN: "reported", ValidationPolicy.REJECT: "rejected"}
_MAX_REPORTED = 500  # ValidationReport.unsupported's bound
_CORPORATE = words("inc incorporated corp corporation llc l.l.c ltd limited co company gmbh plc ag sa s.a pty bv")
# Where a compound value splits into separately checkable parts: "Python (Django, Flask)", "AWS SA | 2021".
_PARTS = re.compile(r"[,;|()\[\]•·]|\s[-/]\s")


class _Checker:
    """Walks a tailored resume, records every claim it checks, and builds the stripped copy as it goes."""

    def __init__(self, original_markdown: str, job: JobPosting, policy: ValidationPolicy) -> None:
        self.evidence = Evidence(original_markdown)
        self.posting_terms = posting_technical_terms(job.text)
        self.policy = policy
        self.unsupported: list[UnsupportedClaim] = []
        self._seen: set[tuple[ClaimKind, str, str]] = set()
        self.checked = 0

    def claim(self, kind: ClaimKind, value: str, location: str, supported: bool, removable: bool = True) -> bool:
        self.checked += 1
        if not supported:
            # The name cannot be removed from a resume: under `strip` it is kept and reported.
            action = "reported" if self.policy == ValidationPolicy.STRIP and not removable else _ACTIONS[self.policy]
            if (kind, value, location) not in self._seen:
                self._seen.add((kind, value, location))
                self.unsupported.append(UnsupportedClaim(kind=kind, value=value, location=location, action=action))
        return supported

    def optional(self, kind: ClaimKind, value: str | None, location: str, check: Callable[[str], bool]) -> str | None:
        """The value when supported (or absent), else None."""
        if not value:
            return value
        return value if self.claim(kind, value, location, check(value)) else None

    def phrase(self, text: str, near: Sequence[int] | None = None) -> bool:
        """The whole phrase occurs in the original, or else each of its parts does."""
        if self.evidence.has_phrase(text, near):
            return True
        parts = [p.strip() for p in _PARTS.split(text) if p.strip()]
        return len(parts) > 1 and all(self._part(p, near) for p in parts)

    def _part(self, part: str, near: Sequence[int] | None) -> bool:
        dates = find_dates(part, present=True)
        rest = part
        for _, m in dates:
            rest = rest.replace(m.group(), " ")
        if dates and not re.search(r"\w", rest):
            return all(self.evidence.has_date(d, near) for d, _ in dates)
        return self.evidence.has_phrase(part, near)

    def date(self, value: str, near: Sequence[int] | None = None) -> bool:
        dates = find_dates(value, present=True)
        if not dates:
            return self.evidence.has_phrase(value)
        return all(self.evidence.has_date(d, near) for d, _ in dates)

    def text(self, text: str, location: str) -> bool:
        """Whether every claim in a piece of prose is supported; each one is counted and recorded."""
        found = text_claims(text, self.posting_terms)
        ev = self.evidence
        checks = [(ClaimKind.CONTACT, e, ev.has_email(e)) for e in found.emails]
        checks += [(ClaimKind.CONTACT, p, ev.has_phone(p)) for p in found.phones]
        checks += [(ClaimKind.LINK, u, ev.has_link(u)) for u in found.links]
        checks += [(ClaimKind.DATE, raw, ev.has_date(d)) for raw, d in found.dates]
        checks += [(ClaimKind.NUMBER, n.text, ev.has_number_in_context(n, text)) for n in found.numbers]
        checks += [(ClaimKind.TERM, t, self._term(t)) for t in found.terms]
        return all([self.claim(kind, value, location, ok) for kind, value, ok in checks])  # a list: count all

    def _term(self, phrase: str) -> bool:
        # "Python Django" is fine when the original lists "Python, Django".
        return self.evidence.has_phrase(phrase) or all(self.evidence.has_phrase(w) for w in phrase.split())

    def prose(self, text: str | None, location: str) -> str | None:
        """Long text keeps its supported sentences."""
        if not text:
            return text
        sentences = split_sentences(text)
        kept = [s for s in sentences if self.text(s, location)]
        if len(kept) == len(sentences):
            return text
        return " ".join(kept) or None

    def resume(self, resume: TailoredResume) -> TailoredResume:
        """The resume with every unsupported claim removed (and, as a side effect, the full report)."""
        self.claim(ClaimKind.NAME, resume.name, "name", self.phrase(resume.name), removable=False)
        return TailoredResume(
            name=resume.name,
            headline=self.optional(ClaimKind.HEADLINE, resume.headline, "headline", self.phrase),
            contact=self.contact(resume.contact),
            summary=self.prose(resume.summary, "summary"),
            skills=[g for i, group in enumerate(resume.skills) if (g := self.skill_group(i, group))],
            experience=[e for i, job in enumerate(resume.experience) if (e := self.experience(i, job))],
            education=[s for i, school in enumerate(resume.education) if (s := self.education(i, school))],
            certifications=[
                cert
                for i, cert in enumerate(resume.certifications)
                if self.claim(ClaimKind.CERTIFICATION, cert, f"certifications[{i}]", self.phrase(cert))
            ],
            projects=[p for i, project in enumerate(resume.projects) if (p := self.project(i, project))],
            extra_sections=[x for i, section in enumerate(resume.extra_sections) if (x := self.extra(i, section))],
        )

    def contact(self, contact: Contact) -> Contact:
        ev = self.evidence
        return Contact(
            email=self.optional(ClaimKind.CONTACT, contact.email, "contact.email", ev.has_email),
            phone=self.optional(ClaimKind.CONTACT, contact.phone, "contact.phone", ev.has_phone),
            location=self.optional(ClaimKind.CONTACT, contact.location, "contact.location", self.phrase),
            links=[
                link
                for i, link in enumerate(contact.links)
                if self.claim(ClaimKind.LINK, link, f"contact.links[{i}]", ev.has_link(link))
            ],
        )

    def skill_group(self, g: int, group: SkillGroup) -> SkillGroup | None:
        items = [
            item
            for i, item in enumerate(group.items)
            if self.claim(ClaimKind.SKILL, item, f"skills[{g}].items[{i}]", self.phrase(item))
        ]
        return SkillGroup(category=group.category, items=items) if items else None

    def experience(self, i: int, job: Experience) -> Experience | None:
        at = f"experience[{i}]"
        company = _without_corporate_suffix(job.company)
        employed = self.claim(ClaimKind.EMPLOYER, job.company, f"{at}.company", self.phrase(company))
        near = self.evidence.find(company)  # titles and dates must sit next to this employer in the original
        entry = Experience(
            company=job.company,
            title=self.optional(ClaimKind.TITLE, job.title, f"{at}.title", lambda v: self.phrase(v, near)),
            location=self.optional(ClaimKind.TERM, job.location, f"{at}.location", self.phrase),
            start=self.optional(ClaimKind.DATE, job.start, f"{at}.start", lambda v: self.date(v, near)),
            end=self.optional(ClaimKind.DATE, job.end, f"{at}.end", lambda v: self.date(v, near)),
            bullets=[b for j, b in enumerate(job.bullets) if self.text(b, f"{at}.bullets[{j}]")],
        )
        return entry if employed else None

    def education(self, i: int, school: Education) -> Education | None:
        at = f"education[{i}]"
        attended = self.claim(
            ClaimKind.INSTITUTION, school.institution, f"{at}.institution", self.phrase(school.institution)
        )
        near = self.evidence.find(school.institution)
        entry = Education(
            institution=school.institution,
            degree=self.optional(ClaimKind.DEGREE, school.degree, f"{at}.degree", lambda v: self.phrase(v, near)),
            start=self.optional(ClaimKind.DATE, school.start, f"{at}.start", lambda v: self.date(v, near)),
            end=self.optional(ClaimKind.DATE, school.end, f"{at}.end", lambda v: self.date(v, near)),
            details=[d for j, d in enumerate(school.details) if self.text(d, f"{at}.details[{j}]")],
        )
        return entry if attended else None

    def project(self, i: int, project: Project) -> Project | None:
        at = f"projects[{i}]"
        named = self.claim(ClaimKind.TERM, project.name, f"{at}.name", self.phrase(project.name))
        entry = Project(
            name=project.name,
            description=self.prose(project.description, f"{at}.description"),
            bullets=[b for j, b in enumerate(project.bullets) if self.text(b, f"{at}.bullets[{j}]")],
        )
        return entry if named else None

    def extra(self, i: int, section: ExtraSection) -> ExtraSection | None:
        items = [x for j, x in enumerate(section.items) if self.text(x, f"extra_sections[{i}].items[{j}]")]
        return ExtraSection(title=section.title, items=items) if items else None


def _without_corporate_suffix(company: str) -> str:
    """ "Acme Corp." and "Acme, Inc." both claim "Acme": the legal suffix is not the claim."""
    words_ = company.split()
    while len(words_) > 1 and words_[-1].strip(".,").casefold() in _CORPORATE:
        words_.pop()
    return " ".join(words_).rstrip(",")


def _resume_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return "\n".join(_resume_text(v) for v in value)
    return ""


def keyword_coverage(evidence: Evidence, job: JobPosting, resume: TailoredResume) -> KeywordCoverage:
    """The posting's key terms the original covers and the tailored resume surfaces; missing ones never count."""
    terms = posting_key_terms(f"{job.text}\n{job.title}")
    covered = [t for t in terms if evidence.has_phrase(t)]
    tailored = Evidence(_resume_text(resume.model_dump()))
    return KeywordCoverage(
        posting_terms=terms,
        covered_by_original=covered,
        missing_from_original=[t for t in terms if t not in covered],
        surfaced_in_tailored=[t for t in covered if tailored.has_phrase(t)],
    )


def validate_resume(
    original_markdown: str, resume: TailoredResume, job: JobPosting, policy: ValidationPolicy
) -> ValidateResult:
    """Check every claim; under `strip` the returned resume has the unsupported ones removed. Never raises."""
    checker = _Checker(original_markdown, job, policy)
    stripped = checker.resume(resume)
    final = stripped if policy == ValidationPolicy.STRIP else resume
    report = ValidationReport(
        policy=policy,
        passed=not checker.unsupported,
        unsupported=checker.unsupported[:_MAX_REPORTED],
        checked_claims=checker.checked,
        coverage=keyword_coverage(checker.evidence, job, final),
    )
    return ValidateResult(report=report, resume=final)


def rejection_message(report: ValidationReport) -> str:
    claims = report.unsupported
    listed = ", ".join(f"{c.kind.value} '{c.value}' ({c.location})" for c in claims[:10])
    more = f", and {len(claims) - 10} more" if len(claims) > 10 else ""
    noun = "claim" if len(claims) == 1 else "claims"
    return (
        f"The tailored resume makes {len(claims)} {noun} the original does not support: {listed}{more}. "
        "Regenerate it, add the facts to the original resume if they are true, or use the 'strip' policy."
    )


@activity.defn(name="validate_against_original")
async def validate_against_original(input: ValidateInput) -> ValidateResult:
    async with heartbeating():
        result = await asyncio.to_thread(
            validate_resume, input.original_markdown, input.resume, input.job, input.policy
        )
    result = result.model_copy(update={"attempt": current_attempt()})
    report = result.report
    log_stage(
        "Checked %d claims: %d unsupported (%s policy)",
        report.checked_claims,
        len(report.unsupported),
        report.policy.value,
    )
    if input.policy == ValidationPolicy.REJECT and not result.report.passed:
        # Regenerating is the workflow's decision; retrying the same input would fail the same way.
        raise ApplicationError(
            rejection_message(result.report),
            result.report.model_dump(mode="json"),
            type="ValidationRejected",
            non_retryable=True,
        )
    return result
