"""The original resume as evidence: everything a tailored claim may be traced back to.

Phrases are compared as sequences of canonical tokens. Both sides are canonicalised the same way: accents folded
(a PDF may lose them), connecting words ("and", "&", "of", "in", "the", "at") dropped, hyphens and slashes split,
common abbreviations expanded ("Sr." = "senior", "B.S." = "bachelor of science", "K8s" = "kubernetes"), plurals
reduced. That makes matching more forgiving on purpose: a claim is flagged for what it says, not for how it is
spelled.

Titles, degrees and dates can be checked *near* an anchor (the employer's or institution's mentions), within
`WINDOW` characters, so a title or date borrowed from another job is caught. Dates fall back to the whole text when
the layout puts no date near the anchor at all (some two-column PDFs extract dates far from the company).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence

from activities.claims import (
    EMAIL_RE,
    PRESENT,
    URL_RE,
    Date,
    Number,
    find_dates,
    find_numbers,
    find_phones,
    link_key,
    phone_digits,
)
from activities.terms import STOPWORDS, TOKEN_RE, normalize

WINDOW = 300  # characters of normalised text; a resume entry's header lines fit well within it

_BS, _BA = ("bachelor", "of", "science"), ("bachelor", "of", "arts")
_MS, _MA = ("master", "of", "science"), ("master", "of", "arts")
_PHD, _MBA = ("doctor", "of", "philosophy"), ("master", "of", "business", "administration")
_BENG, _MENG = ("bachelor", "of", "engineering"), ("master", "of", "engineering")
_EXPAND: dict[str, tuple[str, ...]] = {
    "sr": ("senior",), "jr": ("junior",), "mgr": ("manager",), "dept": ("department",), "univ": ("university",),
    "corp": ("corporation",), "intl": ("international",), "assoc": ("associate",), "asst": ("assistant",),
    "vp": ("vice", "president"), "svp": ("senior", "vice", "president"),
    "b.s": _BS, "bs": _BS, "b.sc": _BS, "bsc": _BS, "b.a": _BA, "ba": _BA, "m.s": _MS, "ms": _MS, "m.sc": _MS,
    "msc": _MS, "m.a": _MA, "ph.d": _PHD, "phd": _PHD, "mba": _MBA, "m.b.a": _MBA, "b.eng": _BENG, "beng": _BENG,
    "m.eng": _MENG, "meng": _MENG,
    "k8s": ("kubernetes",), "postgres": ("postgresql",), "golang": ("go",), "js": ("javascript",),
    "node.js": ("node",), "nodejs": ("node",), "react.js": ("react",), "reactjs": ("react",), "vue.js": ("vue",),
    "vuejs": ("vue",), "aws": ("amazon", "web", "services"), "gcp": ("google", "cloud", "platform"),
    "ml": ("machine", "learning"), "ai": ("artificial", "intelligence"), "nlp": ("natural", "language", "processing"),
}  # fmt: skip
# Connecting words a rephrasing adds or drops: "B.Sc. Computer Science" = "Bachelor of Science in Computer Science".
_FILLER = frozenset({"and", "in", "of", "the", "at"})
# Letters NFKD does not decompose into a base letter plus accent.
_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"})


def fold(text: str) -> str:
    """`normalize`, then strip accents: "José Müller" and "Jose Muller" compare equal."""
    decomposed = unicodedata.normalize("NFKD", normalize(text).translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def canonical_tokens(folded: str) -> list[tuple[str, int]]:
    """Canonical tokens of already-folded text, each with the offset of the word it came from."""
    return [(tok, m.start()) for m in TOKEN_RE.finditer(folded) for tok in _canonical(m.group())]


def _canonical(token: str) -> list[str]:
    token = token.removesuffix("'s").strip("'")
    parts = _EXPAND.get(token) or tuple(p for p in re.split(r"[-/&']", token) if p)
    out: list[str] = []
    for part in parts:
        out.extend(_EXPAND.get(part, (part,)))
    return [_singular(t) for t in out if t not in _FILLER]


def _singular(token: str) -> str:
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


def _dehyphenate(markdown: str) -> str:
    """The text plus, if PDF line breaks split words ("infra-\\nstructure"), a copy with them joined."""
    joined = re.sub(r"(\w)-\n\s*(\w)", r"\1\2", markdown)
    return markdown if joined == markdown else f"{markdown}\n\n{joined}"


def _near(offset: int, anchors: Sequence[int]) -> bool:
    """Whether `offset` is within `WINDOW` of one of the ascending `anchors` (as `find` returns them)."""
    i = bisect_left(anchors, offset - WINDOW)
    return i < len(anchors) and anchors[i] <= offset + WINDOW


class Evidence:
    """An index of one text (the original resume) answering "does it support this claim?"."""

    def __init__(self, markdown: str) -> None:
        self.text = fold(_dehyphenate(markdown))
        toks = canonical_tokens(self.text)
        self._hay = " " + " ".join(t for t, _ in toks) + " "
        self._offset_at: dict[int, int] = {}  # position in _hay -> offset of the source word in self.text
        pos = 1
        for tok, offset in toks:
            self._offset_at[pos] = offset
            pos += len(tok) + 1
        words = [t for t, _ in toks]
        # Spelling variants without separators: "fullstack" vs "full-stack", "Postgre SQL" vs "PostgreSQL".
        self._compact = {"".join(words[i : i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1)}
        self._dates = [(d, m.start()) for d, m in find_dates(self.text, present=True)]
        self._emails = {e.casefold() for e in EMAIL_RE.findall(self.text)}
        self._links = {link_key(u) for u in URL_RE.findall(self.text)}
        self._phones = {phone_digits(m.group()) for m in find_phones(self.text)}
        # Line-broken URLs and emails: compare against the text with spaces and link prefixes removed.
        self._squeezed = re.sub(r"https?://|www\.|mailto:|\s", "", self.text)
        self._values, self._scaled = self._numbers()
        self._segments = _numbered_segments(self.text)

    def _numbers(self) -> tuple[set[float], set[float]]:
        # Phone digits, emails, links and numeric dates are not quantities: "+49 30 ..." must not support "30%".
        text = _blanked(self.text, [*EMAIL_RE.finditer(self.text), *URL_RE.finditer(self.text)])
        text = _blanked(text, find_phones(text))
        numeric_dates = [m for d, m in find_dates(text) if d.month and not re.search(r"[a-z]", m.group())]
        numbers = [n for n, _ in find_numbers(_blanked(text, numeric_dates))]
        years = {float(d.year) for d, _ in self._dates if d.year}
        return {round(n.value, 6) for n in numbers} | years, {n.scaled for n in numbers} | years

    def find(self, phrase: str) -> list[int]:
        """Ascending offsets in `self.text` where `phrase` occurs, compared canonically on word boundaries."""
        needle = " ".join(t for t, _ in canonical_tokens(fold(phrase)))
        found: list[int] = []
        start = self._hay.find(f" {needle} ") if needle else -1
        while start >= 0:
            found.append(self._offset_at[start + 1])
            start = self._hay.find(f" {needle} ", start + 1)
        return found

    def has_phrase(self, phrase: str, near: Sequence[int] | None = None) -> bool:
        """Whether the phrase occurs (within `WINDOW` of an anchor offset, if given). Empty phrases claim nothing."""
        needle = [t for t, _ in canonical_tokens(fold(phrase))]
        if not needle:
            return True
        offsets = self.find(phrase)
        if near:
            return any(_near(o, near) for o in offsets)
        return bool(offsets) or "".join(needle) in self._compact

    def has_date(self, date: Date, near: Sequence[int] | None = None) -> bool:
        """Month-year needs that month and year; a bare year needs the year; "Present" needs an ongoing entry."""
        candidates = [d for d, o in self._dates if near and _near(o, near)] or [d for d, _ in self._dates]
        if date == PRESENT:
            return PRESENT in candidates
        if date.month is None:
            return any(d.year == date.year for d in candidates)
        return date in candidates

    def has_number(self, number: Number) -> bool:
        """ "$2M" needs 2,000,000 in some form; "40%" or "40" need 40 written as a number."""
        if number.scale != 1.0:
            return number.scaled in self._scaled
        return round(number.value, 6) in self._values or number.scaled in self._scaled

    def has_number_in_context(self, number: Number, context: str) -> bool:
        """The number appears in a line or sentence of the original that shares words with `context`.

        A number is a claim about something: "cut latency by 45%" is not supported by "grew revenue 45%" elsewhere
        in the resume. Years are exempt (they come from the dates beside a job, checked as dates).
        """
        if number.scale == 1.0 and number.value.is_integer() and 1950 <= number.value <= 2100:
            return self.has_number(number)
        if not self.has_number(number):
            return False
        words = _content_words(fold(context))
        if len(words) < 2:  # "Saved $120K.": too little context to tell which fact it restates
            return True
        need = 1 if len(words) <= 3 else 2  # a short bullet shares few words with its source however faithful

        def written(values: set[float], scaled: set[float]) -> bool:
            if number.scale != 1.0:  # "2 billion" needs 2,000,000,000, not any 2
                return number.scaled in scaled
            return round(number.value, 6) in values or number.scaled in scaled

        return any(
            written(values, scaled) and len(words & segment_words) >= need
            for segment_words, values, scaled in self._segments
        )

    def has_email(self, email: str) -> bool:
        key = normalize(email).removeprefix("mailto:")
        return key in self._emails or _in_squeezed(key, self._squeezed)

    def has_link(self, url: str) -> bool:
        key = link_key(url)
        return key in self._links or _in_squeezed(key, self._squeezed)

    def has_phone(self, phone: str) -> bool:
        digits = phone_digits(phone)
        # The same number with or without a country code: one ends with the other.
        return len(digits) >= 7 and any(
            min(len(p), len(digits)) >= 7 and (p.endswith(digits) or digits.endswith(p)) for p in self._phones
        )


def _content_words(folded: str) -> frozenset[str]:
    """Word stems (first four letters) that carry meaning: "served" and "serving" share "serv"."""
    return frozenset(
        t[:4]
        for t, _ in canonical_tokens(folded)
        if len(t) > 2 and t not in STOPWORDS and not any(c.isdigit() for c in t)
    )


def _numbered_segments(text: str) -> list[tuple[frozenset[str], set[float], set[float]]]:
    """The original's lines and sentences that hold numbers: their content words and their numbers."""
    segments = []
    # A bullet or paragraph wraps over several lines: split at list items, headings and blank lines, then sentences.
    blocks = re.split(r"\n\s*\n|\n(?=\s*(?:[-*\u2022]|#|\d+\.)\s)", text)
    for piece in (sentence for block in blocks for sentence in re.split(r"(?<=[.;])\s+", block)):
        numbers = [n for n, _ in find_numbers(piece)]
        if numbers:
            values = {round(n.value, 6) for n in numbers}
            segments.append((_content_words(piece), values, {n.scaled for n in numbers}))
    return segments


def _blanked(text: str, matches: Sequence[re.Match[str]]) -> str:
    chars = list(text)
    for m in matches:
        chars[m.start() : m.end()] = " " * (m.end() - m.start())
    return "".join(chars)


def _in_squeezed(key: str, squeezed: str) -> bool:
    """`key` in the squeezed text as a whole address: "github.com/jo" is not "github.com/josé", "jo@x.io" is not
    "mojo@x.io"."""
    return bool(key) and re.search(r"(?<![\w.+-])" + re.escape(key) + r"(?![\w/-])", squeezed) is not None
