"""Recover a resume's structure from its extracted markdown, for the offline generator.

Heuristic by necessity: a resume PDF carries no semantics, only text and styling. The parser is built to degrade
rather than guess: sections are found by their conventional names, entries by their header lines, and anything it
cannot place (an unknown section, a stray line, a header fragment that fits no field) is kept verbatim in an extra
section or an entry's `extra`. It never writes text the input does not contain.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from activities.parsed_resume import ParsedContact, ParsedResume, ParsedSection, ParsedSkillGroup
from activities.resume_entries import read_education, read_job, read_project, split_blocks
from activities.resume_lines import (
    INLINE_BULLET,
    Line,
    find_date_range,
    is_continuation,
    is_location,
    plain,
    read_lines,
    split_fields,
)

_SECTION_NAMES = {
    "summary": "summary|professional summary|profile|professional profile|about|about me|objective|"
    "career objective|career summary|overview|executive summary|personal statement",
    "skills": "skills|technical skills|core skills|key skills|skills and tools|tools|technologies|tech stack|"
    "core competencies|competencies|skills and technologies|technical proficiencies|areas of expertise|expertise",
    "experience": "experience|work experience|professional experience|employment|employment history|"
    "work history|career history|relevant experience|professional background",
    "education": "education|academic background|education and training|academic history",
    "certifications": "certifications|certificates|certification|licenses|licenses and certifications|"
    "certifications and licenses|licenses and certificates",
    "projects": "projects|personal projects|selected projects|side projects|open source|open source projects|"
    "key projects",
}
_KNOWN = {name: kind for kind, names in _SECTION_NAMES.items() for name in names.split("|")}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_URL = re.compile(
    r"(?:https?://|www\.)[^\s|,;]+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/[^\s|,;]*"
    r"|^[\w-]+(?:\.[\w-]+)*\.(?:com|dev|io|org|net|me|app|page|site|tech|ai|co)$"
)
_PHONE = re.compile(r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d[\d\s.-]{5,}\d")
_DOCUMENT_TITLE = re.compile(r"^(?:r[ée]sum[ée]|curriculum vitae|cv)$", re.IGNORECASE)
_LABEL = re.compile(r"^(?:e-?mail|phone|tel|mobile|cell|linkedin|github|web(?:site)?|portfolio|address)\s*:?\s*$", re.I)


def parse_resume_markdown(markdown: str) -> ParsedResume:
    """The structure of a resume, from the markdown the extract stage produced."""
    lines = read_lines(markdown)
    resume = ParsedResume()
    header, sections = _split_sections(lines)
    _read_header(header, resume)
    readers: dict[str, Callable[[str, list[Line], ParsedResume], None]] = {
        "summary": _read_summary,
        "skills": _read_skills,
        "experience": _read_experience,
        "education": _read_education,
        "certifications": _read_certifications,
        "projects": _read_projects,
    }
    for kind, title, body in sections:
        reader = readers.get(kind)
        if reader is None:
            resume.extra_sections.append(ParsedSection(title, [line.text for line in body]))
        else:
            reader(title, body, resume)
    return resume


def section_kind(text: str) -> str | None:
    """The known section a heading names ("Work Experience" -> "experience"), or None."""
    key = " ".join(re.sub(r"[&+]", " and ", plain(text).casefold().replace("-", " ").rstrip(": ")).split())
    return _KNOWN.get(key)


def _heading_kind(line: Line) -> str | None:
    return None if line.bullet or line.words > 5 else section_kind(line.text)


def _split_sections(lines: list[Line]) -> tuple[list[Line], list[tuple[str, str, list[Line]]]]:
    known = [line for line in lines if _heading_kind(line)]
    styles = {line.style() for line in known if line.level or line.marked or line.upper}
    top_level = min((line.level for line in known if line.level), default=0)
    header: list[Line] = []
    sections: list[tuple[str, str, list[Line]]] = []
    for line in lines:
        kind = _heading_kind(line)
        if kind is None and sections and _is_unknown_heading(line, styles, top_level):
            kind = "extra"
        if kind is not None:
            sections.append((kind, line.text.rstrip(": "), []))
        elif sections:
            sections[-1][2].append(line)
        else:
            header.append(line)
    return header, sections


def _is_unknown_heading(line: Line, styles: set[tuple[int, bool, bool, bool]], top_level: int) -> bool:
    """A line styled like the document's known section headings, e.g. "## Volunteering" next to "## Skills"."""
    if line.bullet or line.words > 6 or line.text.endswith(".") or find_date_range(line.text):
        return False
    if len(split_fields(line.text)) != 1:
        return False
    return line.style() in styles or 0 < line.level <= top_level


def _read_header(header: list[Line], resume: ParsedResume) -> None:
    leftovers = ParsedSection("")
    for line in header:
        contact_parts = _read_contact(line.text, resume.contact)
        if contact_parts is not None:
            leftovers.lines.extend(contact_parts)
        elif _DOCUMENT_TITLE.match(line.text):
            leftovers.lines.append(line.text)  # "Resume", "Curriculum Vitae": a title, not the name
        elif resume.name is None and not resume.summary and line.words <= 8:
            resume.name = line.text
        elif resume.contact.location is None and is_location(line.text):
            resume.contact.location = line.text
        elif resume.headline is None and line.words <= 12 and not line.text.endswith("."):
            resume.headline = line.text
        elif line.words > 12:
            resume.summary.append(line.text)  # an untitled profile paragraph under the name
        else:
            leftovers.lines.append(line.text)
    if leftovers.lines:
        resume.extra_sections.append(leftovers)


def _read_contact(text: str, contact: ParsedContact) -> list[str] | None:
    """Fill `contact` from a contact line; the fragments that are no contact detail, or None if it has none."""
    # A bare-domain-with-path match in a long line is prose ("Node.js/TypeScript services"), not a contact line.
    if not (_EMAIL.search(text) or _is_phone(text) or (_URL.search(text) and len(text.split()) <= 12)):
        return None
    unplaced: list[str] = []
    for part in split_fields(text):
        rest = part
        if (email := _EMAIL.search(rest)) and contact.email is None:
            contact.email, rest = email.group(0), rest.replace(email.group(0), " ")
        for url in _URL.findall(rest):
            if len(contact.links) < 10:
                contact.links.append(url.rstrip("."))
                rest = rest.replace(url, " ")
        if (phone := _PHONE.search(rest)) and _is_phone(phone.group(0)) and contact.phone is None:
            contact.phone, rest = phone.group(0).strip(), rest.replace(phone.group(0), " ")
        rest = " ".join(rest.split()).strip(" :,")
        if rest and contact.location is None and is_location(rest):
            contact.location = rest
        elif rest and not _LABEL.match(rest):
            unplaced.append(rest)
    return unplaced


def _is_phone(text: str) -> bool:
    match = _PHONE.search(text)
    return match is not None and 7 <= sum(c.isdigit() for c in match.group(0)) <= 15


def _read_summary(title: str, lines: list[Line], resume: ParsedResume) -> None:
    paragraph: list[str] = []
    for line in lines:
        if line.bullet:
            resume.summary.extend(filter(None, [" ".join(paragraph), line.text]))
            paragraph = []
        else:
            paragraph.append(line.text)
    if paragraph:
        resume.summary.append(" ".join(paragraph))


_BOLD_LABEL = re.compile(r"\*\*([^*]+?):\s*\*\*|\*\*([^*]+?)\*\*\s*:")
_PLAIN_LABEL = re.compile(r"^([^:,()]{1,40}?):\s+(?=\S)")


def _labelled(md: str) -> list[tuple[str | None, str]]:
    """'**Languages:** Python, Go **Data:** dbt' -> [("Languages", "Python, Go"), ("Data", "dbt")]."""
    parts = _BOLD_LABEL.split(md)
    pairs: list[tuple[str | None, str]] = []
    if plain(parts[0]):
        pairs.append((None, plain(parts[0])))
    for i in range(1, len(parts) - 2, 3):
        label = plain(parts[i] or parts[i + 1] or "")
        pairs.append((label, plain(parts[i + 2])))
    if len(pairs) == 1 and pairs[0][0] is None and (match := _PLAIN_LABEL.match(pairs[0][1])):
        pairs = [(match.group(1).strip(), pairs[0][1][match.end() :])]
    return pairs


def split_items(text: str) -> list[str]:
    """Comma/semicolon/pipe separated items, keeping parenthesised lists whole: "AWS (S3, Glue)" is one item."""
    items: list[str] = []
    depth, current = 0, ""
    for char in text:
        depth += (char in "([") - (char in ")]")
        if depth <= 0 and char in ",;|•·":
            items.append(current)
            current, depth = "", 0
        else:
            current += char
    items.append(current)
    return [item.strip().rstrip(".").strip() for item in items if item.strip(" .")]


def _read_skills(title: str, lines: list[Line], resume: ParsedResume) -> None:
    pending: str | None = None  # a category line ("**Cloud**", "Languages:") whose items follow on later lines
    wraps = False  # the previous line ended mid-list ("..., Redshift,"), so this one continues its group
    for line in lines:
        pairs = _labelled(line.md)
        label_only = len(pairs) == 1 and pairs[0][0] is not None and not pairs[0][1]
        if not pairs or label_only or ((line.level or line.bold) and pairs[0][0] is None):
            pending = pairs[0][0] if label_only else line.text.rstrip(":")
            wraps = False
            continue
        if any(label for label, _ in pairs):
            pending = None  # "Data: Spark" starts its own category; the heading above no longer applies
        for label, text in pairs:
            last = resume.skills[-1] if resume.skills else None
            if label is None and last is not None and (wraps or (pending and last.category == pending)):
                last.items.extend(split_items(text))
            else:
                resume.skills.append(ParsedSkillGroup(label or pending, split_items(text)))
        wraps = line.text.endswith((",", ";"))


def _read_experience(title: str, lines: list[Line], resume: ParsedResume) -> None:
    blocks, orphans = split_blocks(lines, dated=True)
    resume.experience.extend(read_job(block) for block in blocks)
    _keep_orphans(title, orphans, resume)


def _read_education(title: str, lines: list[Line], resume: ParsedResume) -> None:
    blocks, orphans = split_blocks(lines)
    resume.education.extend(read_education(block) for block in blocks)
    _keep_orphans(title, orphans, resume)


def _read_projects(title: str, lines: list[Line], resume: ParsedResume) -> None:
    blocks, orphans = split_blocks(lines)
    resume.projects.extend(read_project(block) for block in blocks)
    _keep_orphans(title, orphans, resume)


def _read_certifications(title: str, lines: list[Line], resume: ParsedResume) -> None:
    for line in lines:
        items = INLINE_BULLET.split(line.text)
        if resume.certifications and not line.bullet and is_continuation(line.text):
            resume.certifications[-1] = f"{resume.certifications[-1]} {items.pop(0)}"
        resume.certifications.extend(items)


def _keep_orphans(title: str, orphans: list[str], resume: ParsedResume) -> None:
    if orphans:
        resume.extra_sections.append(ParsedSection(title, orphans))
