"""HTML to PDF with xhtml2pdf, in Chinese that renders everywhere.

The traps of this stack, and how each is closed here:
- default fonts print Chinese as boxes, STSong-Light is not embedded: LXGW WenKai regular
  and bold (TrueType, fetched by scripts/fonts) are registered with ReportLab and used
  through the CSS family "portalkai"; no @font-face, so no resource-policy question;
- xhtml2pdf names Helvetica outright for empty fragments and anchors, which would leave a
  non-embedded font in every file: the name "Helvetica" points at the same embedded font
  object (not a second copy, which would embed a second subset in every file);
- long Chinese text needs -pdf-word-wrap: CJK in table cells, and a line must not start
  with full-width punctuation: ReportLab's no-line-start set lacks "，；：？！" and more;
- the font is set on html, not only body, so a Chinese <title> has its glyphs;
- one render at a time per process: a lock, and pdf_files() for several documents at once;
- the render processes are never forked from the web or queue process, which runs threads (a
  child forked while another thread held a lock waits for it forever, and so does the export
  that waits for the child): they come from multiprocessing's fork server, a process started
  once with nothing but this module loaded.
"""

import io
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor, as_completed

import reportlab.lib.textsplit as textsplit
import xhtml2pdf.default as xhtml2pdf_default
import xhtml2pdf.reportlab_paragraph as xhtml2pdf_paragraph
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from xhtml2pdf import pisa

from ..errors import DomainError

FONT_FILES = {"PortalKai": "LXGWWenKai-Regular.ttf", "PortalKai-Bold": "LXGWWenKai-Bold.ttf"}
CSS_FAMILY = "portalkai"
# Full-width closing punctuation that must never begin a line.
NO_LINE_START = "，。、；：？！）》」』】〕〉…—～·％”’"

# Evidence is for Chinese auditors: always in Simplified Chinese, whoever asks for it.
EVIDENCE_LOCALE = "zh_Hans_CN"

_lock = threading.Lock()
_registered_from = None


class FontsMissing(DomainError):
    pass


def _register_fonts(font_dir):
    global _registered_from
    if _registered_from == font_dir:
        return
    paths = {name: os.path.join(font_dir, file) for name, file in FONT_FILES.items()}
    if not all(os.path.exists(path) for path in paths.values()):
        raise FontsMissing(_l("The Chinese font for PDF evidence is not installed: run 'make fonts' on the server."))
    for name, path in paths.items():
        pdfmetrics.registerFont(TTFont(name, path))
    pdfmetrics.registerFontFamily(
        "PortalKai", normal="PortalKai", bold="PortalKai-Bold", italic="PortalKai", boldItalic="PortalKai-Bold"
    )
    # ReportLab has no public alias; its registry is a plain dict keyed by name.
    pdfmetrics._fonts["Helvetica"] = pdfmetrics.getFont("PortalKai")
    pdfmetrics._fonts["Helvetica-Bold"] = pdfmetrics.getFont("PortalKai-Bold")
    xhtml2pdf_default.DEFAULT_FONT[CSS_FAMILY] = "PortalKai"
    xhtml2pdf_paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START + NO_LINE_START
    _registered_from = font_dir


def html_to_pdf(html):
    """PDF bytes of one HTML document. Raises DomainError when the fonts are missing or the
    document cannot be rendered."""
    with _lock:
        _register_fonts(current_app.config["EVIDENCE_FONT_DIR"])
        out = io.BytesIO()
        failed = _convert(html, out)
    _raise_if(failed)
    return out.getvalue()


def _convert(html, out):
    return bool(pisa.CreatePDF(html, dest=out, encoding="utf-8").err)


def _convert_to_file(html, path):
    with open(path, "wb") as out:
        return _convert(html, out)


def pdf_files(documents):
    """Writes each (html, path) as a PDF file; yields each path when it is written.

    With EVIDENCE_RENDER_PROCESSES above one the documents render side by side in worker
    processes of the fork server, the longest first. Only HTML and a path go to a worker."""
    font_dir = current_app.config["EVIDENCE_FONT_DIR"]
    with _lock:
        _register_fonts(font_dir)
    processes = min(current_app.config["EVIDENCE_RENDER_PROCESSES"], len(documents))
    if processes <= 1:
        for html, path in documents:
            with _lock:
                failed = _convert_to_file(html, path)
            _raise_if(failed)
            yield path
        return
    with ProcessPoolExecutor(
        processes, mp_context=_fork_server(), initializer=_register_fonts, initargs=(font_dir,)
    ) as pool:
        longest_first = sorted(documents, key=lambda document: len(document[0]), reverse=True)
        futures = {pool.submit(_convert_to_file, html, path): path for html, path in longest_first}
        for future in as_completed(futures):
            _raise_if(future.result())
            yield futures[future]


def _fork_server():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def _raise_if(failed):
    if failed:
        raise DomainError(_l("The PDF could not be made."))


def evidence_language():
    return force_locale(EVIDENCE_LOCALE)


def template_to_pdf(template, **context):
    return html_to_pdf(render_template(template, **context))
