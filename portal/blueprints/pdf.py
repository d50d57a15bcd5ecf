"""A printable page as a PDF answer: rendered after the request's reading is done (no
transaction is held while xhtml2pdf works); when it cannot be made, the page says why."""

from flask import Response, flash, redirect

from ..errors import DomainError
from ..evidence import render
from ..extensions import db


def pdf_response(html, filename, page_url):
    db.session.rollback()
    try:
        pdf = render.html_to_pdf(html)
    except DomainError as exc:
        flash(exc.message, "error")
        return redirect(page_url)
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'})
