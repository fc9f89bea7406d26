"""Line-level reading of extracted resume markdown: decoration, bullets, headings, dates and locations.

Extractors disagree on how they mark structure (pymupdf4llm's layout mode writes `##` headings and `- ` bullets,
its legacy mode writes `**bold**` lines and wraps long bullets onto plain lines, and a rule under a heading comes
out as `<mark>`), so each line is reduced to its text plus the few style facts the parser needs.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_TAGS = re.compile(r"</?(?:mark|u|b|i|strong|em|span|sup|sub|br|p|font)\b[^>]*>", re.IGNORECASE)
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*(?:[-*+•·◦▪▫●○■□‣⁃➢►▶✓✔–]|\d{1,2}[.)])(?:\s+|$)")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_EMPHASIS = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|(?<!\w)_(?=\S)|(?<=\S)_(?!\w)|`")
# A bullet glyph inside a line: two list items the extractor ran together.
INLINE_BULLET = re.compile(r"\s+[•▪●■‣]\s+")

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = rf"(?:{_MONTH},?\s+\d{{4}}|\d{{1,2}}/\d{{4}}|\d{{4}}[-/.]\d{{1,2}}(?!\d)|(?:19|20)\d{{2}})"
_END = rf"(?:{_DATE}|Present|Current|Now|Today|Ongoing)"
DATE_RANGE = re.compile(
    rf"(?<![\w/])(?P<start>{_DATE})\s*(?:[-–—]+|\bto\b|\buntil\b)\s*(?P<end>{_END})(?![\w/])", re.IGNORECASE
)
SINGLE_DATE = re.compile(rf"(?<![\w/])(?:{_MONTH}\s+\d{{4}}|\d{{1,2}}/\d{{4}}|(?:19|20)\d{{2}})(?![\w/])")

# US state and Canadian province codes: "Boston, MA".
_US_STATE = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|"
    "OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|ON|QC|BC|AB"
)
_COUNTRIES = (
    "USA|US|U\\.S\\.|UK|United States|United Kingdom|Canada|Brazil|Brasil|Portugal|Spain|France|Germany|Italy|"
    "Ireland|Netherlands|Poland|India|Australia|Mexico|Argentina|Chile|Colombia|Japan|Singapore|Sweden|Denmark|"
    "Norway|Finland|Switzerland|Austria|Belgium|Israel|Nigeria|Kenya|South Africa|New Zealand|Remote"
)
_PLACE = r"[^\W\d_][\w.'’-]*(?:\s[^\W\d_][\w.'’-]*){0,3}"
LOCATION = re.compile(
    rf"^(?:{_PLACE},\s(?:{_US_STATE}|{_COUNTRIES})(?:,\s(?:{_COUNTRIES}))?|Remote|Hybrid)"
    r"(?:\s\((?:Remote|Hybrid|On-?site)\))?$"
)
# Strong separators between the fields of a header line. A spaced hyphen counts; a hyphen inside a word does not.
SEPARATORS = re.compile(r"\s+[|·•—–]\s+|\s+-\s+|\t+|\s{3,}|\s+\|$|^\|\s+")


@dataclass(frozen=True)
class Line:
    """One non-empty markdown line, reduced to plain text and style facts."""

    text: str  # plain text: no markdown or HTML decoration, whitespace collapsed
    md: str  # the line without heading/bullet marks but with ** kept, for bold labels such as "**Data:**"
    level: int = 0  # markdown heading level, 0 for body text
    bullet: bool = False
    bold: bool = False  # the whole line is bold
    marked: bool = False  # wrapped in <mark>: pymupdf4llm's rendering of a ruled heading

    @property
    def upper(self) -> bool:
        letters = [c for c in self.text if c.isalpha()]
        return len(letters) >= 3 and all(c.isupper() for c in letters)

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def styled(self) -> bool:
        """Visibly set apart the way headings are: a markdown heading, a bold or ruled line, or all capitals."""
        return self.level > 0 or self.bold or self.marked or self.upper

    def style(self) -> tuple[int, bool, bool, bool]:
        return (self.level, self.bold, self.marked, self.upper)


def plain(text: str) -> str:
    """Markdown/HTML decoration removed and whitespace collapsed: how every parsed string is stored."""
    text = _TAGS.sub("", text)
    text = _LINK.sub(_link_text, text)
    text = _EMPHASIS.sub("", text)
    text = _ESCAPE.sub(r"\1", text)
    return " ".join(html.unescape(text).split())


def _link_text(match: re.Match[str]) -> str:
    label, url = match.group(1), match.group(2)
    bare = re.sub(r"^(?:https?://)?(?:www\.)?|/$", "", url)
    if not label.strip() or bare.casefold() in label.casefold():
        return label or url
    return f"{label} ({url})"


def read_line(raw: str) -> Line | None:
    """`raw` as a `Line`, or None when it has no text (blank lines, empty bullets, bare rules)."""
    marked = "<mark" in raw.casefold()
    body = _TAGS.sub("", raw).strip()
    level = 0
    heading = _HEADING.match(body)
    if heading:
        level, body = len(heading.group(1)), heading.group(2)
    bullet = False
    marker = _BULLET.match(body)
    if marker and not body.startswith("**"):
        bullet, body = True, body[marker.end() :]
    body = body.strip()
    text = plain(body)
    if not text or re.fullmatch(r"[-_*=•·|~\s]+", text):
        return None
    bold = bool(re.fullmatch(r"(\*\*|__)(?:(?!\1).)+\1:?", body))
    return Line(text=text, md=body, level=level, bullet=bullet, bold=bold, marked=marked)


def read_lines(markdown: str) -> list[Line]:
    lines = (read_line(raw) for raw in markdown.splitlines())
    return [line for line in lines if line is not None]


def split_fields(text: str) -> list[str]:
    """A header line's fields, split on strong separators; empty fields dropped."""
    return [part.strip(" ,;|") for part in SEPARATORS.split(text) if part.strip(" ,;|")]


def is_location(text: str) -> bool:
    return bool(LOCATION.match(text.strip()))


def find_date_range(text: str) -> tuple[str, str, str] | None:
    """(start, end, text with the range and its separators removed), or None when `text` has no date range."""
    match = DATE_RANGE.search(text)
    if match is None:
        return None
    before, after = text[: match.start()].rstrip(), text[match.end() :].lstrip()
    if before.endswith(("(", "[")) and after.startswith((")", "]")):
        before, after = before[:-1], after[1:]  # "Engineer at Acme (2019 - 2021)"
    return match.group("start"), match.group("end"), f"{before} | {after}".strip()


def is_continuation(text: str) -> bool:
    """A wrapped line of the previous item: starts lower-case or with closing punctuation."""
    return bool(re.match(r"[a-z0-9(),.;:%&)\]]", text)) and not re.match(r"\d{1,2}[.)]\s", text)
