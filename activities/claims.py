"""Claims inside text: dates, numbers, contact details, links and technical terms.

The same parsers read both sides: the original resume (what it supports) and each tailored field (what it claims).
Deliberate divergence from "flag every word the original lacks": a generator is expected to rephrase, so ordinary
words are free. Only words that state a fact are claims: anything shaped like a technology (digits, + # . inside,
camelCase, ALLCAPS), a capitalised word mid-sentence (a proper noun), a known technology name in any case, and every
term the job posting writes like a proper noun, since the posting is where fabricated keywords come from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from activities.terms import STOPWORDS, TOKEN_RE, clean, normalize
from activities.vocabulary import AMBIGUOUS_TECH, ORDINARY, TECH_TERMS, words


@dataclass(frozen=True)
class Date:
    year: int | None  # None: ongoing ("Present", "Current", "Now")
    month: int | None = None


PRESENT = Date(None)

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
_MONTH += r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATE_RE = re.compile(
    rf"\b{_MONTH}\.?,?\s*(\d{{4}}|'\d{{2}})\b"  # Mar 2020, March 2020, Mar. '20
    r"|\b(\d{1,2})\s*[/.]\s*(\d{4})\b"  # 03/2020, 3/2020, 03.2020
    r"|\b(\d{4})\s*[-/.]\s*(\d{1,2})(?:[-/.]\d{1,2})?\b(?![-/.]?\d)"  # 2020-03, 2020-03-15
    r"|\b(?:spring|summer|fall|autumn|winter)\s+(\d{4})\b"
    r"|\b((?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_PRESENT_RE = re.compile(r"\b(?:present|current(?:ly)?|now|today|ongoing|to date)\b", re.IGNORECASE)


def find_dates(text: str, *, present: bool = False) -> list[tuple[Date, re.Match[str]]]:
    """Dates in `text` with their matches; "Present" and friends only when `present` (in prose they are words)."""
    found: list[tuple[Date, re.Match[str]]] = []
    for m in _DATE_RE.finditer(text):
        name, yy, num_m, num_y, iso_y, iso_m, season_y, year = m.groups()
        if name:
            found.append((Date(_year(yy), _MONTHS.index(name[:3].lower()) + 1), m))
        elif num_y or iso_y:
            y, mo = int(num_y or iso_y), int(num_m or iso_m)
            found.append((Date(y, mo) if 1 <= mo <= 12 else Date(y), m))
        else:
            found.append((Date(int(season_y or year)), m))
    if present:
        found.extend((PRESENT, m) for m in _PRESENT_RE.finditer(text))
    return found


def _year(text: str) -> int:
    if text.startswith("'"):
        yy = int(text[1:])
        return 2000 + yy if yy < 70 else 1900 + yy
    return int(text)


@dataclass(frozen=True)
class Number:
    text: str
    value: float  # as written: "$2M" -> 2
    scale: float = 1.0  # "$2M" -> 1e6

    @property
    def scaled(self) -> float:
        return round(self.value * self.scale, 6)


_SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}
_WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_WORD_NUMBERS |= {"eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "fifty": 50}
# Not after a letter or dot: "K8s", "S3", "v2" are terms, and "3.11" is one number. Units stay with the number.
_NUMBER_RE = re.compile(
    r"(?<![\w.])[$€£¥]?(?P<digits>\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?P<decimals>\.\d+)?"
    r"(?:\s?(?P<scale>thousand|million|billion|mm|bn|k|m|b)|st|nd|rd|th|x|%|\+"
    r"|\s?(?:ms|s|secs?|mins?|h|hrs?|[kmgtp]b|[kmg]bps|rps|qps|tps))?(?!\w)"
    rf"|\b(?P<word>{'|'.join(_WORD_NUMBERS)})\b",
    re.IGNORECASE,
)


def find_numbers(text: str) -> list[tuple[Number, re.Match[str]]]:
    found: list[tuple[Number, re.Match[str]]] = []
    for m in _NUMBER_RE.finditer(text):
        digits, decimals, scale, word = m.group("digits", "decimals", "scale", "word")
        if word:
            found.append((Number(m.group(), float(_WORD_NUMBERS[word.lower()])), m))
        else:
            value = float(digits.replace(",", "") + (decimals or ""))
            found.append((Number(m.group().strip(), value, _SCALES[scale.lower()] if scale else 1.0), m))
    return found


EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A URL in prose needs a scheme, "www." or a common personal-site TLD, so "Node.js" or "ASP.NET" are not links.
URL_RE = re.compile(
    r"\b(?:https?://|www\.)[^\s<>()\[\]|\"']+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|io|dev|ai|app|co|me|info|tech)\b(?:/[^\s<>()\[\]|\"']*)?",
    re.IGNORECASE,
)
_PHONE_RE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]{6,20}\d(?!\w)")  # bounded: no quadratic scans


def find_phones(text: str) -> list[re.Match[str]]:
    """Runs of 9+ digits with phone punctuation; year ranges ("2017 - 2020 2021") are not phones."""
    phones = []
    for m in _PHONE_RE.finditer(text):
        groups = re.findall(r"\d+", m.group())
        if len(phone_digits(m.group())) >= 9 and not all(re.fullmatch(r"(?:19|20)\d\d", g) for g in groups):
            phones.append(m)
    return phones


def phone_digits(text: str) -> str:
    # Leading zeros are trunk prefixes: "+44 20 ..." and "020 ..." are the same number.
    return re.sub(r"\D", "", text).lstrip("0")


def link_key(url: str) -> str:
    """A link compared ignoring case, scheme, "www.", "mailto:" and a trailing slash."""
    key = re.sub(r"^(?:https?://|mailto:)?(?:www\.)?", "", normalize(url).strip(".,;:"))
    return key.rstrip("/")


@dataclass
class TextClaims:
    emails: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    dates: list[tuple[str, Date]] = field(default_factory=list)
    numbers: list[Number] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)


def text_claims(text: str, posting_terms: frozenset[str]) -> TextClaims:
    """The checkable claims in one piece of prose. Each kind is blanked once found so it is not read twice."""
    raw = clean(text)
    found = TextClaims()
    for m in list(EMAIL_RE.finditer(raw)):
        found.emails.append(m.group())
        raw = _blank(raw, m)
    for m in list(URL_RE.finditer(raw)):
        found.links.append(m.group().rstrip(".,;:"))
        raw = _blank(raw, m)
    for m in find_phones(raw):
        found.phones.append(m.group())
        raw = _blank(raw, m)
    for date, m in find_dates(raw):
        if not re.fullmatch(r"\d{4}", m.group()):  # a bare year is checked as a number below
            found.dates.append((m.group(), date))
            raw = _blank(raw, m)
    for number, m in find_numbers(raw):
        found.numbers.append(number)
        raw = _blank(raw, m)
    found.terms = _claim_terms(raw, posting_terms)
    return found


def _blank(text: str, m: re.Match[str]) -> str:
    # Same length, so later offsets hold; the comma keeps "Kafka 3 Kubernetes" from joining into one phrase.
    return text[: m.start()] + "," + " " * (m.end() - m.start() - 1) + text[m.end() :]


def _claim_terms(raw: str, posting_terms: frozenset[str]) -> list[str]:
    """Claim terms; adjacent ones are joined into one phrase ("Google Cloud"), each phrase listed once."""
    phrases: list[str] = []
    start = end = -1
    for m in TOKEN_RE.finditer(raw):
        if not is_claim_term(m.group(), at_sentence_start(raw, m.start()), posting_terms):
            continue
        if start >= 0 and not raw[end : m.start()].strip():
            end = m.end()
            continue
        if start >= 0:
            phrases.append(raw[start:end])
        start, end = m.start(), m.end()
    if start >= 0:
        phrases.append(raw[start:end])
    return list(dict.fromkeys(phrases))


def is_claim_term(token: str, at_start: bool, posting_terms: frozenset[str]) -> bool:
    """Whether a word states a fact; `at_start` words are capitalised for grammar, not because they are names."""
    low = normalize(token)
    if len(low) < 2 or low in STOPWORDS or low in ORDINARY:
        return False
    if technical_shape(token):
        return True
    if low in AMBIGUOUS_TECH:
        return token[0].isupper()
    if low in posting_terms or low in TECH_TERMS:
        return True
    return token[0].isupper() and not at_start


def technical_shape(token: str) -> bool:
    """C++, C#, Node.js, K8s, EC2, PostgreSQL, iOS, AWS, CI/CD."""
    letters = [c for c in token if c.isalpha()]
    if not letters:
        return False  # "5+" is a number
    return (
        bool(re.search(r"[+#]|\w\.\w", token))
        or any(c.isdigit() for c in token)
        or any(a.islower() and b.isupper() for a, b in pairwise(token))
        or (len(letters) >= 2 and all(c.isupper() for c in letters))
    )


# A capital after these starts a sentence or list item; "(" is deliberately absent: "(Kafka)" is mid-sentence.
_BOUNDARY = frozenset(".!?:;|•*>-\"'")


def at_sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in _BOUNDARY


def posting_technical_terms(posting: str) -> frozenset[str]:
    """Posting words that look technical or are written like proper nouns mid-sentence, outside headings.

    A word capitalised only somewhere is dropped when the posting also writes it in lowercase ("our Platform team"
    and "platform"), unless it is a known technology.
    """
    shaped: set[str] = set()
    capitalised: set[str] = set()
    lowercase: set[str] = set()
    for line in clean(posting).splitlines():
        heading = _is_heading(line)
        for m in TOKEN_RE.finditer(line):
            token, low = m.group(), normalize(m.group())
            if len(low) < 2 or low in STOPWORDS or low in ORDINARY:
                continue
            if token == low:
                lowercase.add(low)
            if technical_shape(token):
                shaped.add(low)
            elif token[0].isupper() and not heading and not at_sentence_start(line, m.start()):
                capitalised.add(low)
    return frozenset(shaped | {t for t in capitalised if t not in lowercase or t in TECH_TERMS})


def _is_heading(line: str) -> bool:
    text = line.strip().strip("*_").strip()
    if not text or line.lstrip().startswith("#") or text.endswith(":"):
        return True
    if line.lstrip()[:1] in {"-", "*", "•"} or "," in text or text.endswith("."):
        return False
    # A short Title Case line ("About Orbital Robotics", "Nice To Have") capitalises words that are not names.
    alphabetic = [w for w in TOKEN_RE.findall(text) if w.isalpha()]
    return len(alphabetic) <= 6 and all(w[0].isupper() or w in STOPWORDS for w in alphabetic)


def split_sentences(text: str) -> list[str]:
    """Sentences of a summary or description, not split after "e.g.", "Inc." and similar abbreviations."""
    sentences: list[str] = []
    start = 0
    for m in re.finditer(r"[.!?]+(?=\s|$)", text):
        last_word = re.findall(r"[\w.]+$", text[start : m.start()])
        if last_word and last_word[0].lower().rstrip(".") in _ABBREVIATIONS:
            continue
        sentences.append(text[start : m.end()].strip())
        start = m.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


_ABBREVIATIONS = words("e.g i.e etc vs inc ltd co corp sr jr dr mr ms mrs st no approx")
