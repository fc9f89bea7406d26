"""The example resume as the parser sees it, and the checks that parsed or generated text came from the input."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pymupdf
import pymupdf4llm

from activities.terms import STOPWORDS, normalize, tokens
from examples.build_example import build_example_pdf


def extract_markdown(pdf: Path) -> str:
    """The extract stage's call: pymupdf4llm's layout mode without OCR (no stdout noise, no OCR engine needed)."""
    with pymupdf.open(pdf) as doc:
        return str(pymupdf4llm.to_markdown(doc, use_ocr=False))


def example_markdown(directory: Path) -> str:
    return extract_markdown(build_example_pdf(directory / "resume.pdf"))


def undecorated(markdown: str) -> str:
    """`markdown` normalised with its markup gone (headings, bold, <mark>, list marks): the text a reader sees."""
    text = re.sub(r"</?[a-z]+>", " ", markdown)
    text = re.sub(r"^\s*(?:#{1,6}|[-*•])\s+", "", text, flags=re.MULTILINE)
    return normalize(text.replace("**", ""))


def word_bag(texts: Iterable[str]) -> Counter[str]:
    """Content words with their counts; separators and stopwords ("at", "to") are what the parser may drop."""
    return Counter(t for text in texts for t in tokens(undecorated(text)) if t not in STOPWORDS)
