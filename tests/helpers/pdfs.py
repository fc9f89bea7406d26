"""PDFs made by the tests: real files written by PyMuPDF, covering the layouts and bad inputs extract must handle."""

from __future__ import annotations

import pymupdf

PAGE = pymupdf.Rect(0, 0, 612, 792)


def html_pdf(html: str, pages: int = 1) -> bytes:
    """A text PDF with `html` laid out by PyMuPDF's story engine on each of `pages` pages."""
    doc = pymupdf.open()
    for _ in range(pages):
        page = doc.new_page(width=PAGE.width, height=PAGE.height)
        page.insert_htmlbox(pymupdf.Rect(54, 54, 558, 738), html)
    return bytes(doc.tobytes())


def two_column_pdf(left: str, right: str) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=PAGE.width, height=PAGE.height)
    page.insert_htmlbox(pymupdf.Rect(54, 54, 290, 738), left)
    page.insert_htmlbox(pymupdf.Rect(322, 54, 558, 738), right)
    return bytes(doc.tobytes())


def scanned_pdf() -> bytes:
    """A page that is only an image of text: no text layer, like a scan."""
    src = pymupdf.open()
    page = src.new_page(width=PAGE.width, height=PAGE.height)
    page.insert_htmlbox(pymupdf.Rect(54, 54, 558, 738), "<h1>Jane Scan</h1><p>Engineer at Acme since 2019</p>" * 5)
    pixmap = page.get_pixmap(dpi=72)
    doc = pymupdf.open()
    out = doc.new_page(width=PAGE.width, height=PAGE.height)
    out.insert_image(PAGE, pixmap=pixmap)
    return bytes(doc.tobytes())


def encrypted_pdf(plain: bytes) -> bytes:
    doc = pymupdf.open(stream=plain, filetype="pdf")
    return bytes(doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner"))
