"""The `TailoredResume` contract: the JSON every generator (model CLI, custom command, offline) must produce.

Field names are the interface with external model CLIs; keep them stable. Every string and list is bounded so a
runaway model cannot produce a megabyte resume: pydantic rejects the output and the generate stage retries.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1200)]
Bullet = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Contact(_Strict):
    email: ShortText | None = None
    phone: ShortText | None = None
    location: ShortText | None = None
    links: list[ShortText] = Field(default_factory=list, max_length=10)


class SkillGroup(_Strict):
    category: ShortText | None = None
    items: list[ShortText] = Field(default_factory=list, max_length=60)


class Experience(_Strict):
    company: ShortText
    title: ShortText | None = None
    location: ShortText | None = None
    start: ShortText | None = None
    end: ShortText | None = None
    bullets: list[Bullet] = Field(default_factory=list, max_length=20)


class Education(_Strict):
    institution: ShortText
    degree: ShortText | None = None
    start: ShortText | None = None
    end: ShortText | None = None
    details: list[Bullet] = Field(default_factory=list, max_length=10)


class Project(_Strict):
    name: ShortText
    description: LongText | None = None
    bullets: list[Bullet] = Field(default_factory=list, max_length=10)


class ExtraSection(_Strict):
    title: ShortText
    items: list[Bullet] = Field(default_factory=list, max_length=30)


class TailoredResume(_Strict):
    name: ShortText
    headline: ShortText | None = None
    contact: Contact = Field(default_factory=Contact)
    summary: LongText | None = None
    skills: list[SkillGroup] = Field(default_factory=list, max_length=20)
    experience: list[Experience] = Field(default_factory=list, max_length=30)
    education: list[Education] = Field(default_factory=list, max_length=10)
    certifications: list[ShortText] = Field(default_factory=list, max_length=30)
    projects: list[Project] = Field(default_factory=list, max_length=15)
    extra_sections: list[ExtraSection] = Field(default_factory=list, max_length=10)

    def bullets(self) -> list[str]:
        """Every bullet in reading order: what the ATS read-back must find, in this order."""
        out: list[str] = []
        for job in self.experience:
            out.extend(job.bullets)
        for project in self.projects:
            out.extend(project.bullets)
        return out


def tailored_resume_json_schema() -> dict[str, Any]:
    """The JSON Schema handed to model CLIs (`claude --json-schema`)."""
    return TailoredResume.model_json_schema()
