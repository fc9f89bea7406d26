"""The structure `parse_resume_markdown` recovers from an extracted resume.

Every string here is copied from the source markdown (decoration removed, whitespace collapsed); nothing is
paraphrased or inferred. Fields the parser could not fill stay `None`, and lines it could not place are kept in
`extra` lists or `ParsedResume.extra_sections`, so `ParsedResume.texts()` accounts for all of the input.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class ParsedContact:
    email: str | None = None
    phone: str | None = None
    location: str | None = None
    links: list[str] = field(default_factory=list)


@dataclass
class ParsedSkillGroup:
    category: str | None
    items: list[str] = field(default_factory=list)


@dataclass
class ParsedJob:
    company: str | None = None
    title: str | None = None
    location: str | None = None
    start: str | None = None
    end: str | None = None
    bullets: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)  # header fragments that fit no field


@dataclass
class ParsedEducation:
    institution: str | None = None
    degree: str | None = None
    start: str | None = None
    end: str | None = None
    details: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)


@dataclass
class ParsedProject:
    name: str
    description: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)


@dataclass
class ParsedSection:
    """A section the parser has no model for (or lines it could not place), kept line by line."""

    title: str
    lines: list[str] = field(default_factory=list)


@dataclass
class ParsedResume:
    name: str | None = None
    headline: str | None = None
    contact: ParsedContact = field(default_factory=ParsedContact)
    summary: list[str] = field(default_factory=list)
    skills: list[ParsedSkillGroup] = field(default_factory=list)
    experience: list[ParsedJob] = field(default_factory=list)
    education: list[ParsedEducation] = field(default_factory=list)
    certifications: list[str] = field(default_factory=list)
    projects: list[ParsedProject] = field(default_factory=list)
    extra_sections: list[ParsedSection] = field(default_factory=list)

    def texts(self) -> Iterator[str]:
        """Every string the parse holds, in reading order: what "nothing lost" is checked against."""
        yield from _present(self.name, self.headline, self.contact.email, self.contact.phone)
        yield from _present(self.contact.location, *self.contact.links, *self.summary)
        for group in self.skills:
            yield from _present(group.category, *group.items)
        for job in self.experience:
            yield from _present(job.title, job.company, job.location, job.start, job.end)
            yield from (*job.bullets, *job.extra)
        for school in self.education:
            yield from _present(school.degree, school.institution, school.start, school.end)
            yield from (*school.details, *school.extra)
        yield from self.certifications
        for project in self.projects:
            yield from (project.name, *project.description, *project.bullets, *project.extra)
        for section in self.extra_sections:
            yield from (section.title, *section.lines)


def _present(*values: str | None) -> Iterator[str]:
    return (value for value in values if value)
