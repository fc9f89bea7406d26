"""The Jinja environment of the HTML pages: autoescaped everywhere, strict about undefined names.

Pages and the fragments streamed over SSE render from the same templates, so the first server render of a run and
the updates that follow are the same HTML.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

TEMPLATES_DIR = Path(__file__).parent / "templates"

env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def when(value: str | datetime | None) -> str:
    """`2026-12-04 10:15 UTC` from an ISO timestamp; the raw value when it does not parse."""
    if value is None or value == "":
        return ""
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    except ValueError:
        return str(value)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def is_web_url(value: object) -> bool:
    """Only http(s) URLs become links: `javascript:` and friends stay text, however well escaped."""
    return isinstance(value, str) and value.strip().lower().startswith(("http://", "https://"))


env.filters["when"] = when
env.tests["web_url"] = is_web_url


def render_fragment(name: str, **context: Any) -> str:
    return env.get_template(name).render(**context)


def is_htmx(request: Request) -> bool:
    # Boosted requests want the whole page; only htmx's own requests get fragments.
    return request.headers.get("hx-request") == "true" and request.headers.get("hx-boosted") != "true"


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(render_fragment(name, request=request, **context), status_code=status_code)


def fragment(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(render_fragment(name, **context), status_code=status_code)
