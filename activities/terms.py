"""Text normalisation and key-term extraction shared by the offline generator and the validator.

Matching must survive what PDFs and models do to text: Unicode variants (NFKC), ligatures, curly quotes, dash
variants, invisible characters (soft hyphens, zero-width spaces), case, and punctuation around words.
`contains_phrase` matches on word boundaries over normalised text. Tokens are Unicode-aware: "José" is one token,
not "jos", so non-Latin names and words are compared rather than silently dropped.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63"), "-")
_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032"), "'") | dict.fromkeys(
    map(ord, "\u201c\u201d\u201e\u201f\u2033"), '"'
)
# Removed before NFKC: invisible characters PDFs leave inside words, and an acute accent used as an apostrophe
# (NFKC would turn it into a space plus a combining mark).
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None) | {ord("\u00b4"): "'"}
# A token keeps inner + # . / - & ' (C++, C#, Node.js, CI/CD, scikit-learn, R&D) but not trailing punctuation.
# Letters and digits of any script count; combining marks stay inside a token for text NFKC cannot compose.
_CHAR = r"(?:[^\W_]|[\u0300-\u036f+#])"
TOKEN_RE = re.compile(rf"[^\W_]{_CHAR}*(?:[./&'-]{_CHAR}+)*[+#]*")

# A name, not a literal, is split so ruff's SIM905 fix does not explode this into a 250-line list.
_STOPWORD_TEXT = """a about above after again all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each etc few for from further get had has have having he
her here hers him his how i if in into is it its itself just like make more most must my no nor not of off on once
only or other our ours out over own per plus same she should so some such than that the their theirs them then there
these they this those through to too under until up us very via was we well were what when where which while who
whom why will with within without would you your yours able ability across ad along among around based best
building build candidate candidates company day days deep degree desired environment equal etc excellent
experience experienced familiarity fast help ideal ideally including join looking new nice opportunity
passion passionate plus preferred proven qualifications related required requirements responsibilities role
skills strong team teams understanding us using work working world year years you'll we're who'll strong
solid great good knowledge hands-on hands on apply benefits salary remote hybrid office employer employment
etc e.g i.e time full part across other others one two three four five six seven eight nine ten within make
ensure own owning drive driving support supporting will what's your we'll it's let's want need needs"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def clean(text: str) -> str:
    """NFKC, unify dashes and quotes, drop invisible characters; case and line breaks are kept."""
    text = unicodedata.normalize("NFKC", text.translate(_INVISIBLE))
    return text.translate(_DASHES).translate(_QUOTES)


def normalize(text: str) -> str:
    """`clean`, then casefold and collapse whitespace."""
    return " ".join(clean(text).casefold().split())


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(normalize(text))


def contains_phrase(haystack_norm: str, phrase: str) -> bool:
    """True when `phrase` occurs in already-normalised `haystack_norm` on word boundaries."""
    needle = " ".join(tokens(phrase))
    if not needle:
        return True
    hay = " " + " ".join(TOKEN_RE.findall(haystack_norm)) + " "
    return f" {needle} " in hay


def posting_key_terms(posting: str, limit: int = 30) -> list[str]:
    """The posting's salient terms: non-stopword tokens and two-word phrases, by frequency, first seen first.

    Technical-looking tokens (digits, + # . inside, or written with capitals in the posting) get a bonus, since
    those are what applicant-tracking systems match on.
    """
    raw_words = re.findall(r"[^\W_][\w+#./&-]*[\w+#]|[^\W_]", clean(posting))
    capitalised = {normalize(w) for w in raw_words if any(c.isupper() for c in w[1:]) or w[0].isupper()}
    toks = [t for t in tokens(posting) if t not in STOPWORDS and len(t) > 1 and any(c.isalpha() for c in t)]
    scores: dict[str, float] = {}
    order: dict[str, int] = {}
    for i, tok in enumerate(toks):
        bonus = 1.5 if (re.search(r"[0-9+#./]", tok) or tok in capitalised) else 1.0
        scores[tok] = scores.get(tok, 0.0) + bonus
        order.setdefault(tok, i)
    # Two-word phrases only where both words are adjacent in the same clause and both are capitalised.
    for clause in re.split(r"[,;:()\n]|\.\s|\band\b|\bor\b", posting):
        words = tokens(clause)
        for a, b in pairwise(words):
            if a in capitalised and b in capitalised and not {a, b} & STOPWORDS:
                phrase = f"{a} {b}"
                scores[phrase] = scores.get(phrase, 0.0) + 2.0
                order.setdefault(phrase, len(order))
    ranked = sorted(scores, key=lambda t: (-scores[t], order[t]))
    return ranked[:limit]
