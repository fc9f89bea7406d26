"""A word-level diff of the original resume (its extracted markdown) against the tailored one, as escaped HTML.

Both sides are turned into plain words first: the markdown's markup (`#`, `**`, list markers, table pipes, link
syntax) and the tailored resume's structure are layout, not content, and would drown the real changes. The diff is
over word tokens with line breaks kept as tokens of their own, so it reads like the resume. Every word is escaped;
the only markup in the output is our own `<ins>` and `<del>`.
"""

from __future__ import annotations

import difflib
import re

from markupsafe import Markup, escape

from resume_tailor.contracts import TailoredResume

# SequenceMatcher is quadratic in the worst case; a resume is a few hundred words, the extraction cap is far more.
MAX_TOKENS = 6000

_TOKEN = re.compile(r"\n|[^\s]+")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE)
_LIST_MARKER = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+", re.MULTILINE)
_TABLE_RULE = re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$", re.MULTILINE)
# Inline tags the extractor emits for highlighted or styled text (`<mark>Summary</mark>`).
_INLINE_TAG = re.compile(r"</?(?:mark|b|i|u|em|strong|sup|sub|span|br)\b[^>]*>", re.IGNORECASE)
_EMPHASIS = re.compile(r"(\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w))")


def markdown_text(markdown: str) -> str:
    """The words of extracted markdown without its markup."""
    text = _LINK.sub(lambda m: m.group(1) if m.group(1) else m.group(2), markdown)
    text = _TABLE_RULE.sub("", text)
    text = _HEADING.sub("", text)
    text = _LIST_MARKER.sub("", text)
    text = _INLINE_TAG.sub(" ", text).replace("|", " ")
    return _EMPHASIS.sub("", text)


def resume_text(resume: TailoredResume) -> str:
    """The tailored resume as plain text, in the order the PDF shows it."""
    lines: list[str] = [resume.name]
    if resume.headline:
        lines.append(resume.headline)
    contact = resume.contact
    details = [d for d in (contact.email, contact.phone, contact.location, *contact.links) if d]
    if details:
        lines.append("  ".join(details))
    if resume.summary:
        lines += ["Summary", resume.summary]
    if resume.skills:
        lines.append("Skills")
        for group in resume.skills:
            items = ", ".join(group.items)
            lines.append(f"{group.category}: {items}" if group.category else items)
    if resume.experience:
        lines.append("Experience")
        for job in resume.experience:
            lines.append(" — ".join(p for p in (job.title, job.company) if p))
            lines.append("  ".join(p for p in (job.location, _dates(job.start, job.end)) if p))
            lines += job.bullets
    if resume.education:
        lines.append("Education")
        for school in resume.education:
            lines.append(
                " ".join(p for p in (school.degree, school.institution, _dates(school.start, school.end)) if p)
            )
            lines += school.details
    if resume.certifications:
        lines += ["Certifications", *resume.certifications]
    if resume.projects:
        lines.append("Projects")
        for project in resume.projects:
            lines.append(project.name)
            if project.description:
                lines.append(project.description)
            lines += project.bullets
    for section in resume.extra_sections:
        lines += [section.title, *section.items]
    return "\n".join(lines)


def _dates(start: str | None, end: str | None) -> str:
    return " – ".join(d for d in (start, end) if d)


def tokens(text: str) -> list[str]:
    """Words and line breaks; runs of blank lines count as one break."""
    out: list[str] = []
    for token in _TOKEN.findall(text):
        if token == "\n" and (not out or out[-1] == "\n"):
            continue
        out.append(token)
    return out


def word_diff(original: str, tailored: str) -> Markup:
    """`<del>` for words only the original has, `<ins>` for words only the tailored version has; escaped."""
    old, new = tokens(original)[:MAX_TOKENS], tokens(tailored)[:MAX_TOKENS]
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    parts: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(_join(old[i1:i2]))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{_join(old[i1:i2])}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{_join(new[j1:j2])}</ins>")
    return Markup(_join_parts(parts))


def _join(words: list[str]) -> str:
    return _join_parts([str(escape(w)) for w in words])


def _join_parts(parts: list[str]) -> str:
    """Space-separated, except next to a line break (the page shows the result with `white-space: pre-wrap`)."""
    out = ""
    for part in parts:
        if out and not out.endswith(("\n", "\n</del>", "\n</ins>")) and not _starts_with_break(part):
            out += " "
        out += part
    return out


def _starts_with_break(part: str) -> bool:
    return part.startswith("\n") or part.startswith("<del>\n") or part.startswith("<ins>\n")
