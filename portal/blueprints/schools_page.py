"""The page of schools a county user's query string asks for (``?page=``, ``?q=``), for the
county's tables and its choosers of a school (templates/_schools_page.html)."""

from flask import request

from ..services import schools


def requested_page_of_schools():
    return schools.page_of_schools(request.args.get("page", 1, type=int), request.args.get("q", ""))
