"""The contents and the index of a bundle: one line per entry with its page number.

Drawn with ReportLab directly rather than through xhtml2pdf, which spends about 3 ms on
each table row: a year's index of 300 inspections took 0.8 s there and takes a tenth of
that here. Same page, fonts and table look as the rendered sections (evidence/_base.html).
"""

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

HEADING = ParagraphStyle("heading", fontName="PortalKai-Bold", fontSize=17, leading=22, spaceAfter=8)
CELL = ParagraphStyle("cell", fontName="PortalKai", fontSize=9, leading=12, wordWrap="CJK")
GRID = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), "PortalKai", 9),
        ("FONT", (0, 0), (-1, 0), "PortalKai-Bold", 9),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#444444")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (1, 0), (1, -1), "RIGHT"),
    ]
)


def write(path, title, footer, column_titles, rows):
    """A PDF at path: the title, then a table of (entry, page) rows under column_titles."""
    width = A4[0] - 3 * cm
    document = SimpleDocTemplate(
        path,
        pagesize=A4,
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.6 * cm,
        bottomMargin=1.8 * cm,
        title=title,
    )
    table = Table(
        [list(column_titles)] + [[Paragraph(escape(entry), CELL), str(page)] for entry, page in rows],
        colWidths=[width * 0.85, width * 0.15],
        repeatRows=1,
    )
    table.setStyle(GRID)

    def draw_footer(canvas, _document):
        canvas.setFont("PortalKai", 8)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.drawCentredString(A4[0] / 2, 0.9 * cm, footer)

    document.build([Paragraph(escape(title), HEADING), table], onFirstPage=draw_footer, onLaterPages=draw_footer)
