"""Read a job posting from a markdown file into a `JobPosting`.

The file may open with a front-matter block giving the fields the posting text does not state reliably:

    ---
    title: Senior Data Platform Engineer
    company: Harborlight Health
    url: https://careers.example.org/...
    ---
    (the posting text)

Without front matter the title is the first markdown heading (or the first non-empty line) and the whole file is
the posting text. This is deliberately not a YAML parser: only flat `key: value` lines are read, so a posting never
needs PyYAML and an odd line can never execute or nest anything.
"""

from __future__ import annotations

import re
from pathlib import Path

from resume_tailor.contracts.stages import MAX_POSTING_CHARS, JobPosting

_FENCE = re.compile(r"^\s*---\s*$")
_FIELD = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*:\s*(.*?)\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_TITLE_MAX = 200


def load_job_posting(path: Path) -> JobPosting:
    """Read `path` (UTF-8 markdown, optional front matter) as a `JobPosting`."""
    return parse_job_posting(path.read_text(encoding="utf-8"), source=str(path))


def parse_job_posting(text: str, source: str = "the job posting") -> JobPosting:
    """Parse posting text as `load_job_posting` does; `source` names the input in error messages."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ValueError(f"{source} is empty; paste the job posting's text (title on the first line).")
    fields, body = _split_front_matter(text, source)
    body = body.strip("\n")
    if not body.strip():
        raise ValueError(f"{source} has a front-matter block but no posting text after it.")
    if len(body) > MAX_POSTING_CHARS:
        raise ValueError(
            f"{source} is {len(body):,} characters; the limit is {MAX_POSTING_CHARS:,}. "
            "Keep the role description and requirements and drop boilerplate such as benefits or legal text."
        )
    title = fields.get("title") or _title_from_body(body)
    if not title:
        raise ValueError(f"{source} has no title: add a 'title:' front-matter line or a '# Title' heading.")
    return JobPosting(
        title=_clip_words(title, _TITLE_MAX),
        company=_clip_words(fields.get("company", ""), _TITLE_MAX),
        text=body,
        url=fields.get("url") or None,
    )


def _split_front_matter(text: str, source: str) -> tuple[dict[str, str], str]:
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not _FENCE.match(lines[first]):
        return {}, text
    for end in range(first + 1, len(lines)):
        if _FENCE.match(lines[end]):
            break
    else:
        raise ValueError(f"{source} opens a front-matter block with '---' but never closes it with '---'.")
    fields: dict[str, str] = {}
    for line in lines[first + 1 : end]:
        match = _FIELD.match(line)
        if match:
            fields[match.group(1).casefold()] = _unquote(match.group(2))
        elif line.strip() and not line.lstrip().startswith("#"):
            raise ValueError(f"{source}: front-matter line {line.strip()!r} is not 'key: value'.")
    return fields, "\n".join(lines[end + 1 :])


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value


def _title_from_body(body: str) -> str:
    lines = [line for line in body.splitlines() if line.strip()]
    for line in lines:
        match = _HEADING.match(line)
        if match:
            return _plain(match.group(1))
    return _plain(lines[0]) if lines else ""


def _plain(text: str) -> str:
    """Drop markdown emphasis and a leading bullet so a title reads as text."""
    text = re.sub(r"(\*\*|__|\*|_|`)", "", text)
    return " ".join(text.lstrip("-*• ").split())


def _clip_words(text: str, limit: int) -> str:
    """Shorten to `limit` characters at a word boundary (a title is a label, so clipping loses nothing vital)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
