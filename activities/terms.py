"""Text normalisation and key-term extraction shared by the offline generator and the validator.

Matching must survive what PDFs and models do to text: Unicode variants (NFKC), ligatures, curly quotes, dash
variants, case, and punctuation around words. `contains_phrase` matches on word boundaries over normalised text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_QUOTES = {ord("\u2018"): "'", ord("\u2019"): "'", ord("\u201c"): '"', ord("\u201d"): '"'}
# A token keeps inner + # . / - & (C++, C#, Node.js, CI/CD, scikit-learn, R&D) but not trailing punctuation.
_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#]*(?:[./&'-][a-z0-9+#]+)*[+#]*")

STOPWORDS = frozenset(
    """a about above after again all also am an and any are as at be because been before being below between both
    but by can could did do does doing down during each etc few for from further get had has have having he her here
    hers him his how i if in into is it its itself just like make more most must my no nor not of off on once only
    or other our ours out over own per plus same she should so some such than that the their theirs them then there
    these they this those through to too under until up us very via was we well were what when where which while who
    whom why will with within without would you your yours able ability across ad along among around based best
    building build candidate candidates company day days deep degree desired environment equal etc excellent
    experience experienced familiarity fast help ideal ideally including join looking new nice opportunity
    passion passionate plus preferred proven qualifications related required requirements responsibilities role
    skills strong team teams understanding us using work working world year years you'll we're who'll strong
    solid great good knowledge hands-on hands on apply benefits salary remote hybrid office employer employment
    etc e.g i.e time full part across other others one two three four five six seven eight nine ten within make
    ensure own owning drive driving support supporting will what's your we'll it's let's want need needs""".split()
)


def normalize(text: str) -> str:
    """NFKC, casefold, unify dashes and quotes, collapse whitespace."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).translate(_QUOTES)
    return " ".join(text.casefold().split())


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(normalize(text))


def contains_phrase(haystack_norm: str, phrase: str) -> bool:
    """True when `phrase` occurs in already-normalised `haystack_norm` on word boundaries."""
    needle = " ".join(tokens(phrase))
    if not needle:
        return True
    hay = " " + " ".join(_TOKEN.findall(haystack_norm)) + " "
    return f" {needle} " in hay


def posting_key_terms(posting: str, limit: int = 30) -> list[str]:
    """The posting's salient terms: non-stopword tokens and two-word phrases, by frequency, first seen first.

    Technical-looking tokens (digits, + # . inside, or written with capitals in the posting) get a bonus, since
    those are what applicant-tracking systems match on.
    """
    raw_words = re.findall(r"[A-Za-z0-9][A-Za-z0-9+#./&-]*[A-Za-z0-9+#]|[A-Za-z]", posting)
    capitalised = {normalize(w) for w in raw_words if any(c.isupper() for c in w[1:]) or w[0].isupper()}
    toks = [t for t in tokens(posting) if t not in STOPWORDS and len(t) > 1 and not t.isdigit()]
    scores: Counter[str] = Counter()
    order: dict[str, int] = {}
    for i, tok in enumerate(toks):
        bonus = 1.5 if (re.search(r"[0-9+#./]", tok) or tok in capitalised) else 1.0
        scores[tok] += bonus
        order.setdefault(tok, i)
    # Two-word phrases only where both words are adjacent in the same clause and both are capitalised.
    for clause in re.split(r"[,;:()\n]|\.\s|\band\b|\bor\b", posting):
        words = tokens(clause)
        for a, b in zip(words, words[1:], strict=False):
            if a in capitalised and b in capitalised and not {a, b} & STOPWORDS:
                phrase = f"{a} {b}"
                scores[phrase] += 2.0
                order.setdefault(phrase, len(order))
    ranked = sorted(scores, key=lambda t: (-scores[t], order[t]))
    return ranked[:limit]
