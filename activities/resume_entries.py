"""Entries of the experience, education and projects sections: where one ends, and which fragment is which.

An entry is a run of header lines (a heading, a bold line, a line with a date range, or a short line) followed by
its body (bullets and sentences). Which header fragment is the title and which the company is decided by
vocabulary ("Engineer", "Manager" vs "Inc", "Labs", "University"), falling back to position (title first, the
common "Title — Company" layout). A fragment that fits no field is kept in the entry's `extra`, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from activities.parsed_resume import ParsedEducation, ParsedJob, ParsedProject
from activities.resume_lines import (
    INLINE_BULLET,
    SINGLE_DATE,
    Line,
    find_date_range,
    is_continuation,
    is_location,
    split_fields,
)


def _vocabulary(words: str) -> frozenset[str]:
    return frozenset(words.split())


_TITLE_WORDS = _vocabulary(
    """engineer developer manager analyst scientist lead director architect consultant intern specialist
    administrator designer officer head vp president associate researcher programmer technician coordinator
    owner founder co-founder cofounder cto ceo cio cfo principal staff sre devops advisor instructor teacher
    professor assistant fellow contractor freelancer partner strategist editor writer accountant executive
    supervisor representative trainee apprentice"""
)
_COMPANY_WORDS = _vocabulary(
    """inc inc. llc ltd ltd. corp corp. corporation co co. company gmbh ag sa s.a. plc bv group labs lab
    technologies technology tech software systems analytics logistics health healthcare bank solutions partners
    consulting studio studios media networks capital ventures holdings industries foundation agency institute
    government university hospital pharma games insurance financial services"""
)
_LEGAL_SUFFIXES = _vocabulary("inc inc. llc ltd ltd. corp corp. gmbh ag plc bv s.a.")
_INSTITUTION_WORDS = re.compile(
    r"\b(?:University|Universidade|Universidad|Université|Universität|Università|College|Institute|Instituto|"
    r"School|Academy|Polytechnic|Politécnico|Faculdade|Escola|Conservatory|Bootcamp)\b",
    re.IGNORECASE,
)
_DEGREE_WORDS = re.compile(
    r"(?:^|\b)(?:B\.?\s?S\.?c?|M\.?\s?S\.?c?|B\.?\s?A\.?|M\.?\s?A\.?|Ph\.?\s?D\.?|MBA|M\.?Eng|B\.?Eng|BSc|MSc|"
    r"Bachelor|Master|Doctor|Doctorate|Associate|Diploma|Licenciatura|Bacharelado|Mestrado|Certificate)(?=\W|$)"
)
_LABEL_LINE = re.compile(r"^[\w][\w &/-]{0,24}:\s")  # "Tech: Python, Go" is body, not a new entry's header


@dataclass
class _Block:
    head: list[Line] = field(default_factory=list)
    body: list[str] = field(default_factory=list)  # bullets and sentences, wrapped lines re-joined
    bullets: list[bool] = field(default_factory=list)  # body[i] came from a bullet


def split_blocks(lines: list[Line], dated: bool = False) -> tuple[list[_Block], list[str]]:
    """Group a section's lines into entries; lines before the first entry header are returned as orphans.

    With `dated` (jobs: every real one has dates), a would-be entry with neither dates nor a styled header line
    is a short, unpunctuated body line ("Led a team of 5") and its block is folded back into the entry above.
    """
    blocks, orphans = _split(lines)
    if not dated:
        return blocks, orphans
    merged: list[_Block] = []
    for block in blocks:
        if merged and not any(line.styled or find_date_range(line.text) for line in block.head):
            merged[-1].body.extend([line.text for line in block.head] + block.body)
            merged[-1].bullets.extend([False] * len(block.head) + block.bullets)
        else:
            merged.append(block)
    return merged, orphans


def _split(lines: list[Line]) -> tuple[list[_Block], list[str]]:
    blocks: list[_Block] = []
    orphans: list[str] = []
    for line in lines:
        current = blocks[-1] if blocks else None
        if _is_header(line):
            if current is None or _starts_new_entry(current, line):
                blocks.append(_Block())
            blocks[-1].head.append(line)
        elif current is None:
            orphans.append(line.text)
        elif not line.bullet and current.body and _continues(current, line.text):
            current.body[-1] = f"{current.body[-1]} {line.text}"
        else:
            for item in INLINE_BULLET.split(line.text):
                current.body.append(item)
                current.bullets.append(line.bullet)
    return blocks, orphans


def _continues(block: _Block, text: str) -> bool:
    """A plain line after a bullet that has not ended its sentence, or one starting lower-case, is wrapped text."""
    return is_continuation(text) or (block.bullets[-1] and not block.body[-1].endswith((".", "!", "?")))


def _is_header(line: Line) -> bool:
    if line.bullet:
        return False
    if line.level or line.bold or find_date_range(line.text):
        return True
    short = line.words <= 10 and not line.text.endswith((".", ";", ":"))
    return short and not is_continuation(line.text) and not _LABEL_LINE.match(line.text)


def _starts_new_entry(block: _Block, line: Line) -> bool:
    if block.body:
        return True
    dated = [h for h in block.head if find_date_range(h.text)]
    if dated and find_date_range(line.text):
        return True
    # A line styled like the entry's first header line, after more header lines: entries without bodies in a row
    # (education is often just "Degree — School" over "2013 – 2015").
    return line.styled and line.style() == block.head[0].style() and len(block.head) >= 2


def _fragments(block: _Block, single_dates: bool) -> tuple[list[str], str | None, str | None, str | None]:
    """(fragments, start, end, location) of the block's header lines."""
    start = end = location = None
    fragments: list[str] = []
    for line in block.head:
        text = line.text
        found = find_date_range(text)
        if found and start is None:
            start, end, text = found
        elif single_dates and end is None and (single := SINGLE_DATE.search(text)):
            end, text = single.group(0), f"{text[: single.start()]} | {text[single.end() :]}"
        for part in split_fields(text):
            if location is None and is_location(part):
                location = part
            elif location is None and (tail := _trailing_location(part)):
                fragments.append(part[: -len(tail)].rstrip(" ,"))
                location = tail
            else:
                fragments.append(part)
    if len(fragments) == 1 and (pair := re.split(r"\s+(?:at|@)\s+|\s*,\s+", fragments[0])) and len(pair) == 2:
        fragments = pair  # "Title at Company", "**Title**, Company", "Company, Title"
    return fragments, start, end, location


def _trailing_location(part: str) -> str | None:
    """ "Northwind Analytics, Boston, MA" -> "Boston, MA"."""
    pieces = part.split(", ")
    for cut in (2, 1):
        if len(pieces) > cut:
            tail = ", ".join(pieces[-cut:])
            if is_location(tail):
                return tail
    return None


def _score(text: str, vocabulary: frozenset[str], strong: Callable[[list[str]], bool]) -> int:
    words = [w.strip(",()").casefold() for w in text.split()]
    return (2 if strong(words) else 0) + sum(w in vocabulary for w in words)


def _title_score(text: str) -> int:
    return _score(text, _TITLE_WORDS, lambda w: bool(w) and w[-1] in _TITLE_WORDS)


def _company_score(text: str) -> int:
    return _score(text, _COMPANY_WORDS, lambda w: bool(w) and w[-1] in _LEGAL_SUFFIXES)


def _pick(fragments: list[str], score: Callable[[str], int]) -> str | None:
    """The best-scoring fragment (first on ties) if any scores above zero."""
    best = max(fragments, key=score, default=None)
    return best if best is not None and score(best) > 0 else None


def read_job(block: _Block) -> ParsedJob:
    fragments, start, end, location = _fragments(block, single_dates=False)
    job = ParsedJob(start=start, end=end, location=location)
    rest = list(fragments)
    job.title = _pick(rest, lambda f: _title_score(f) - _company_score(f))
    if job.title is None and len(rest) >= 2:
        company_like = _pick(rest, _company_score)
        job.title = rest[1] if company_like == rest[0] else rest[0]
    if job.title is not None:
        rest.remove(job.title)
    job.company = _pick(rest, _company_score) or (rest[0] if rest else None)
    if job.company is not None:
        rest.remove(job.company)
    job.extra = rest
    job.bullets = list(block.body)
    return job


def read_education(block: _Block) -> ParsedEducation:
    fragments, start, end, location = _fragments(block, single_dates=True)
    school = ParsedEducation(start=start, end=end)
    rest = list(fragments)
    school.institution = next((f for f in rest if _INSTITUTION_WORDS.search(f)), None)
    if school.institution is not None:
        rest.remove(school.institution)
    school.degree = next((f for f in rest if _DEGREE_WORDS.search(f)), None)
    if school.degree is not None:
        rest.remove(school.degree)
    if school.institution is None and rest:
        school.institution = rest.pop(0)
    if school.degree is None and rest and len(block.head) == 1:
        school.degree = rest.pop(0)
    school.extra = rest + ([location] if location else [])
    school.details = list(block.body)
    return school


def read_project(block: _Block) -> ParsedProject:
    fragments, start, end, location = _fragments(block, single_dates=True)
    name, *rest = fragments or [block.head[0].text]
    project = ParsedProject(name=name, description=rest)
    project.extra = [value for value in (start, end, location) if value]
    for text, from_bullet in zip(block.body, block.bullets, strict=True):
        (project.bullets if from_bullet else project.description).append(text)
    return project
