"""Build the example resume PDF from `examples/resume.html` with WeasyPrint.

Usage: `python examples/build_example.py [OUT.pdf]` (default: `examples/resume.pdf`). The PDF is not committed;
`make` builds it from this source so the example and the HTML can never drift apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

EXAMPLES_DIR = Path(__file__).resolve().parent
SOURCE_HTML = EXAMPLES_DIR / "resume.html"
DEFAULT_PDF = EXAMPLES_DIR / "resume.pdf"


def build_example_pdf(out: Path = DEFAULT_PDF, source: Path = SOURCE_HTML) -> Path:
    """Render `source` (the example resume HTML) to `out` and return `out`."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Local files only, and a missing one is an error: the example must build offline and the same everywhere.
    fetcher = URLFetcher(allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    HTML(filename=str(source), base_url=str(source.parent), url_fetcher=fetcher).write_pdf(str(out))
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else DEFAULT_PDF
    print(build_example_pdf(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
