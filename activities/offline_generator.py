"""The offline generator: tailoring without a model, by choosing and ordering the resume's own words.

Deliberate divergence from the model generators: it never writes a sentence. Every string it emits is a string
`parse_resume_markdown` copied from the original (decoration removed, whitespace collapsed); tailoring is only
selection and order. So it cannot fabricate, and it is deterministic: same resume and posting, same output.

Relevance of a piece of text to the posting is the weighted count of the posting's key terms it contains
(`posting_key_terms`, earlier terms weigh more) plus a little for every other word it shares with the posting.
Ties keep the original order (all sorts are stable), so an irrelevant posting leaves the resume as it was.
Where the contract caps a list, the least relevant items are the ones dropped; a string too long for its field is
dropped whole, never cut mid-word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from activities.parsed_resume import ParsedEducation, ParsedJob, ParsedProject, ParsedResume
from activities.resume_parser import parse_resume_markdown
from activities.terms import STOPWORDS, contains_phrase, normalize, posting_key_terms, tokens
from resume_tailor.contracts.resume import (
    Contact,
    Education,
    Experience,
    ExtraSection,
    Project,
    SkillGroup,
    TailoredResume,
)
from resume_tailor.contracts.stages import JobPosting

T = TypeVar("T")

# Field caps of `TailoredResume` (see resume_tailor/contracts/resume.py).
SHORT, LONG, BULLET = 200, 1200, 600
MAX_BULLETS_PER_JOB = 6  # a tailored resume leads with what matters; the rest of a long job history is noise
MAX_KEY_TERMS = 40
_OVERLAP_WEIGHT = 0.1
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


class Relevance:
    """Scores text against one posting."""

    def __init__(self, job: JobPosting) -> None:
        posting = f"{job.title}\n{job.text}"
        terms = posting_key_terms(posting, limit=MAX_KEY_TERMS)
        self._weights = {term: 1.0 + (len(terms) - rank) / len(terms) for rank, term in enumerate(terms)}
        self._words = {t for t in tokens(posting) if t not in STOPWORDS and len(t) > 1}

    def __call__(self, text: str) -> float:
        norm = normalize(text)
        matched = [term for term in self._weights if contains_phrase(norm, term)]
        shared = (set(tokens(text)) & self._words).difference(*(term.split() for term in matched))
        return sum(self._weights[term] for term in matched) + _OVERLAP_WEIGHT * len(shared)

    def rank(self, items: Iterable[T], text: Callable[[T], str]) -> list[T]:
        """`items` most relevant first; equally relevant items keep their original order."""
        return sorted(items, key=lambda item: -self(text(item)))


def generate_offline(resume_markdown: str, job: JobPosting) -> TailoredResume:
    """A `TailoredResume` built only from `resume_markdown`'s own content, ordered by relevance to `job`."""
    parsed = parse_resume_markdown(resume_markdown)
    relevance = Relevance(job)
    return TailoredResume(
        name=_fit(parsed.name, SHORT) or "",
        headline=_fit(parsed.headline, SHORT),
        contact=Contact(
            email=_fit(parsed.contact.email, SHORT),
            phone=_fit(parsed.contact.phone, SHORT),
            location=_fit(parsed.contact.location, SHORT),
            links=_fitting(parsed.contact.links, SHORT)[:10],
        ),
        summary=_summary(parsed.summary, relevance),
        skills=_skills(parsed, relevance),
        experience=[_experience(job, relevance) for job in parsed.experience[:30]],
        education=[_education(school) for school in parsed.education[:10]],
        certifications=relevance.rank(_fitting(parsed.certifications, SHORT), str)[:30],
        projects=_projects(parsed.projects, relevance),
        extra_sections=_extra_sections(parsed),
    )


def _fit(text: str | None, limit: int) -> str | None:
    """`text` if it fits its field, else None: dropped whole rather than cut mid-word."""
    return text if text is not None and 0 < len(text.strip()) <= limit else None


def _fitting(texts: Iterable[str], limit: int) -> list[str]:
    return [text for text in texts if _fit(text, limit)]


def _summary(paragraphs: Sequence[str], relevance: Relevance) -> str | None:
    """The summary's sentences, the opening one first (it says who the person is), the rest by relevance."""
    sentences = [s for paragraph in paragraphs for s in _SENTENCE_END.split(paragraph) if s.strip()]
    if not sentences:
        return None
    ordered = [sentences[0], *relevance.rank(sentences[1:], str)]
    chosen: list[str] = []
    for sentence in ordered:
        if len(" ".join([*chosen, sentence])) <= LONG:
            chosen.append(sentence)
    return " ".join(chosen) or None


def _skills(parsed: ParsedResume, relevance: Relevance) -> list[SkillGroup]:
    groups: list[tuple[float, SkillGroup]] = []
    for group in parsed.skills:
        items = relevance.rank(_fitting(group.items, SHORT), str)[:60]
        if items:
            score = max(relevance(item) for item in items)
            groups.append((score, SkillGroup(category=_fit(group.category, SHORT), items=items)))
    # Stable sort: groups with no posting term keep their original order after the relevant ones.
    return [group for _, group in sorted(groups, key=lambda pair: -pair[0])][:20]


def _experience(job: ParsedJob, relevance: Relevance) -> Experience:
    bullets = relevance.rank(_fitting(job.bullets, BULLET), str)[:MAX_BULLETS_PER_JOB]
    return Experience(
        # The contract requires a company; a resume line the parser could not attribute has none to give.
        company=_fit(job.company, SHORT) or "",
        title=_fit(job.title, SHORT),
        location=_fit(job.location, SHORT),
        start=_fit(job.start, SHORT),
        end=_fit(job.end, SHORT),
        bullets=bullets,
    )


def _education(school: ParsedEducation) -> Education:
    return Education(
        institution=_fit(school.institution, SHORT) or "",
        degree=_fit(school.degree, SHORT),
        start=_fit(school.start, SHORT),
        end=_fit(school.end, SHORT),
        details=_fitting(school.details, BULLET)[:10],
    )


def _projects(projects: Sequence[ParsedProject], relevance: Relevance) -> list[Project]:
    def whole(project: ParsedProject) -> str:
        return " ".join([project.name, *project.description, *project.bullets])

    out: list[Project] = []
    for project in relevance.rank((p for p in projects if _fit(p.name, SHORT)), whole)[:15]:
        description: list[str] = []
        for line in _fitting(project.description, LONG):
            if len(" ".join([*description, line])) <= LONG:
                description.append(line)
        out.append(
            Project(
                name=project.name,
                description=" ".join(description) or None,
                bullets=relevance.rank(_fitting(project.bullets, BULLET), str)[:10],
            )
        )
    return out


def _extra_sections(parsed: ParsedResume) -> list[ExtraSection]:
    # Untitled leftovers (header lines the parser could not place) are left out: omitting is safe, and giving
    # them a made-up heading would put words on the resume its owner never wrote.
    sections = [s for s in parsed.extra_sections if _fit(s.title, SHORT)]
    return [ExtraSection(title=s.title, items=_fitting(s.lines, BULLET)[:30]) for s in sections][:10]
